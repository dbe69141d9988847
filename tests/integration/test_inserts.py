"""Rows inserted at once (services.inserts), on both databases: with their ids back, each id
its own row's, in the rows' order and ascending, whether few rows (RETURNING) or many (the ids
drawn first on PostgreSQL); and many rows by COPY on PostgreSQL, read back as SQLAlchemy's own
insert writes them."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from caseflow.extensions import db
from caseflow.models import Event, Household, Unit
from caseflow.models.base import utcnow
from caseflow.services import households
from caseflow.services.inserts import COPIED, PARSED_ONCE, insert_ids, insert_rows


@pytest.mark.parametrize("count", [1, 3, PARSED_ONCE + 1, 2_500])
def test_each_id_is_its_rows_in_order(ctx, count):
    rows = [
        {"code": f"T-{n}", "name": f"Đơn vị {n}", "level": "village", "path": f"/t/{n}/"}
        for n in range(count)
    ]
    ids = insert_ids(Unit.__table__, rows)
    assert len(ids) == count
    assert ids == sorted(ids) and len(set(ids)) == count
    found = dict(db.session.execute(db.select(Unit.id, Unit.code).where(Unit.id.in_(ids))).all())
    assert [found[i] for i in ids] == [row["code"] for row in rows]


def _unit(n: int) -> dict:
    return {"code": f"U-{n}", "name": "Đơn vị", "level": "village", "path": f"/u/{n}/"}


def test_ids_follow_the_rows_before_and_the_rows_after_follow_them(ctx):
    """Many rows (ids drawn from the sequence on PostgreSQL, after the greatest on SQLite)
    and then one (RETURNING): no id taken twice, each after the ones before."""
    first = insert_ids(Unit.__table__, [_unit(0)])
    many = insert_ids(Unit.__table__, [_unit(n) for n in range(1, 1_201)])
    last = insert_ids(Unit.__table__, [_unit(1_201)])
    ids = first + many + last
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == 1_202
    db.session.flush()
    db.session.add(Unit(code="U-orm", name="Đơn vị", level="village", path="/u/orm/"))
    db.session.flush()
    assert db.session.scalar(db.select(Unit.id).where(Unit.code == "U-orm")) > last[0]


def test_nothing_to_insert_is_no_ids(ctx):
    assert insert_ids(Unit.__table__, []) == []


def _events(household: Household, count: int, mark: str) -> list[dict]:
    """Rows of history events, leaving `at` to its default and giving data of every kind."""
    return [
        {
            "household_id": household.id,
            "trigger": mark,
            "from_state": None,
            "to_state": "registered",
            "unit_id": household.unit_id,
            "actor": "Nguyễn Văn A",
            "reason": "Lý do; có \t tab, \\ và\ndòng mới" if n % 2 else None,
            "data": {"số": n, "danh sách": [1, "hai", None], "có": True},
            "workflow": "household_lifecycle",
            "workflow_version": 1,
        }
        for n in range(count)
    ]


def _read(mark: str) -> list[tuple]:
    rows = db.session.execute(
        db.select(Event).where(Event.trigger == mark).order_by(Event.id)
    ).scalars()
    return [
        (e.household_id, e.from_state, e.to_state, e.unit_id, e.actor, e.reason, e.data)
        for e in rows
    ]


@pytest.mark.parametrize("count", [COPIED - 1, COPIED, 1_500])
def test_rows_are_written_as_sqlalchemy_writes_them(ctx, world, count):
    """On PostgreSQL COPIED rows or more go by COPY: they read back as the executemany's do,
    with JSON, escapes, NULLs and the columns' defaults."""
    before = utcnow()
    household = households.register(world.user("worker"), {"head_name": "Hộ", "unit_code": "C1-V1"})
    insert_rows(Event.__table__, _events(household, count, "copied"))
    db.session.execute(insert(Event.__table__), _events(household, count, "plain"))
    copied, plain = _read("copied"), _read("plain")
    assert len(copied) == count
    assert copied == plain
    assert copied[1][5] == "Lý do; có \t tab, \\ và\ndòng mới"
    assert copied[0][6] == {"số": 0, "danh sách": [1, "hai", None], "có": True}
    times = db.session.scalars(db.select(Event.at).where(Event.trigger == "copied")).all()
    assert all(before <= at <= utcnow() for at in times)  # the default, as an aware UTC time
