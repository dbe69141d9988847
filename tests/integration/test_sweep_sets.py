"""The sweep fires a claimed batch as one set: each deadline still once, with one alert of each
kind; a deadline that fails is fired alone and retried alone; a set that fails is fired one by
one; graduation goes through the one writer; the alerts and messages are those of one at a time.
"""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, Household, Outbox
from caseflow.services import alerts, bulk, deadline_sets, deadlines, households, moves
from caseflow.services.retries import backoff
from tests.factories import POOR_SURVEY, at, of_its_standard
from tests.timers_support import (
    Case,
    WallClock,
    caseflow_process,
    exited_case,
    hang_after_firing,
    kill_9,
    short_lease,
    wait_for,
)

POSTED_ON = date(2027, 10, 4)
DUE = at(date(2027, 10, 5), 8)
KEYS = itertools.count()


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    return WallClock(monkeypatch)


@pytest.fixture
def sets(monkeypatch) -> list[int]:
    """The size of every set the sweep fires (one for a deadline fired alone)."""
    sizes, real = [], deadline_sets.fire_set

    def counted(claims):
        sizes.append(len(claims))
        return real(claims)

    monkeypatch.setattr(deadline_sets, "fire_set", counted)
    return sizes


def posted(world, count: int) -> list[int]:
    """`count` households surveyed poor and posted on POSTED_ON, moved as lists."""
    worker = world.user("worker")
    with clock.frozen_at(at(POSTED_ON - timedelta(days=10))):
        ids = [
            households.register(worker, {"head_name": f"Hộ {n}", "unit_code": "C1-V1"}).id
            for n in range(count)
        ]
        bulk.fire_many(worker, ids, "start_review", {"review_kind": "periodic"})
        survey = of_its_standard({"surveyed_on": clock.today(), **POOR_SURVEY}, clock.today())
        bulk.record_surveys(worker, [{"household_id": i, **survey} for i in ids])
    with clock.frozen_at(at(POSTED_ON)):
        data = {"meeting_on": POSTED_ON, "posted_on": POSTED_ON, "agreement_pct": 80}
        bulk.fire_many(worker, ids, "agree", data)
    return ids


def add_due(
    household_ids: list[int], each: int = 1, timer: str = "posting_end", due_at=DUE
) -> list[int]:
    """Add `each` reminders, due at `due_at`, to every household."""
    rows = [
        Deadline(
            household_id=household_id,
            key=f"test:{next(KEYS)}",
            timer=timer,
            kind="remind",
            due_at=due_at,
            state="posted",
        )
        for household_id in household_ids
        for _ in range(each)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def statuses(ids: list[int]) -> dict[str, int]:
    return dict(
        db.session.execute(
            db.select(Deadline.status, db.func.count())
            .where(Deadline.id.in_(ids))
            .group_by(Deadline.status)
        ).all()
    )


def alerted(ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            db.select(Alert.deadline_id)
            .where(Alert.deadline_id.in_(ids))
            .order_by(Alert.deadline_id)
        )
    )


def test_a_batch_of_many_households_fires_as_sets_each_deadline_once(world, ctx, sets):
    ids = add_due(posted(world, 12), each=2)
    result = deadlines.sweep(DUE, batch=10, deliver=False)
    assert (result.fired, result.failed) == (24, 0)
    assert sets == [10, 10, 4]
    assert statuses(ids) == {"fired": 24}
    assert alerted(ids) == ids
    assert deadlines.sweep(DUE, deliver=False).fired == 0
    assert alerted(ids) == ids


def test_a_failing_deadline_inside_a_set_is_fired_alone_then_retried_alone(world, ctx, sets, wall):
    household_ids = posted(world, 6)
    good = add_due(household_ids)
    [broken] = add_due(household_ids[2:3], timer="no_such_timer")
    result = deadlines.sweep(DUE, deliver=False)
    assert (result.fired, result.failed) == (6, 1)
    assert sets == [7, 1]  # the set fired the others; the broken one failed alone
    assert statuses(good) == {"fired": 6}
    assert alerted(good) == good
    row = db.session.get(Deadline, broken, populate_existing=True)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "no_such_timer" in row.last_error
    assert row.retry_at == wall.moment + backoff(1)

    later = add_due(household_ids[:3])
    wall.move_to(row.retry_at)
    sets.clear()
    result = deadlines.sweep(DUE, deliver=False)
    assert (result.fired, result.failed) == (3, 1)
    assert sets == [4, 1]
    assert db.session.get(Deadline, broken, populate_existing=True).attempts == 2
    assert alerted(later) == later
    assert alerted([broken]) == []


def test_a_set_that_fails_as_a_whole_is_fired_one_by_one(world, ctx, sets, monkeypatch):
    ids = add_due(posted(world, 5))
    real = alerts.raise_many

    def fails_for_many(rows, households):
        if len(rows) > 1:  # as a database fault would, for the set only
            raise RuntimeError("the set's insert failed")
        return real(rows, households)

    monkeypatch.setattr(alerts, "raise_many", fails_for_many)
    result = deadlines.sweep(DUE, deliver=False)
    assert (result.fired, result.failed) == (5, 0)
    assert sets == [5, 1, 1, 1, 1, 1]
    assert statuses(ids) == {"fired": 5}
    assert alerted(ids) == ids


def test_graduation_fires_through_the_one_writer_for_the_whole_set(world, ctx, monkeypatch):
    cases = [exited_case(world, date(2027, 4, 15)) for _ in range(3)]
    written, real = [], moves.write

    def counted(planned, **options):
        written.append(len(planned))
        return real(planned, **options)

    monkeypatch.setattr(moves, "write", counted)
    deadlines.sweep(at(date(2030, 4, 15), 0), deliver=False)
    assert written == [3]
    for case in cases:
        assert case.household.state == "graduated"
        assert case.history()[-1] == ("graduate", "system")
        assert case.deadlines() == {}
        assert case.alerts("open") == []  # the graduation closed what it ended


def _what_was_raised(case: Case) -> list[tuple]:
    """The case's alerts and their messages, without what differs between two households."""
    household = db.session.get(Household, case.id)
    found = []
    for alert in db.session.scalars(
        db.select(Alert).where(Alert.household_id == case.id).order_by(Alert.id)
    ):
        key = db.session.get(Deadline, alert.deadline_id).key
        messages = []
        for message in db.session.scalars(
            db.select(Outbox).where(Outbox.alert_id == alert.id).order_by(Outbox.id)
        ):
            payload = repr(message.payload)
            for varying in (f"số {alert.id}", household.code):
                payload = payload.replace(varying, "…")
            payload = payload.replace(f"'id': {alert.id}", "'id': …")
            payload = payload.replace(f"'household_id': {case.id}", "'household_id': …")
            payload = payload.replace(f"'deadline_id': {alert.deadline_id}", "'deadline_id': …")
            messages.append((message.channel, message.recipient, payload))
        found.append(
            (alert.kind, key, alert.role, alert.unit_id, alert.message, alert.message_en)
            + (alert.due_at, alert.status, tuple(messages))
        )
    return found


def _hold(case_ids: list[int], years: int) -> None:
    """Move the households' pending deadlines `years` later (or back): out of the sweep's reach."""
    rows = db.session.scalars(
        db.select(Deadline).where(Deadline.household_id.in_(case_ids), Deadline.status == "pending")
    )
    for row in rows:
        row.due_at = row.due_at.replace(year=row.due_at.year + years)
    db.session.commit()


def test_a_set_raises_the_alerts_and_messages_one_at_a_time_raises(world, ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "CASEFLOW_SMTP_URL", "smtp://127.0.0.1:9")
    monkeypatch.setitem(ctx.config, "CASEFLOW_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    pairs = []
    for _ in range(2):  # the first of each kind fired one at a time, the second in a set
        review = Case.register(world, date(2030, 3, 1))
        review.review(date(2030, 3, 1))  # left waiting: reminded, overdue, escalated
        pairs.append((review, exited_case(world, date(2027, 4, 15))))
    (alone, together), moment = pairs, at(date(2030, 4, 15), 0)
    _hold([c.id for c in together], 100)
    assert deadlines.sweep(moment, batch=1, deliver=False).fired >= 6
    _hold([c.id for c in together], -100)
    assert deadlines.sweep(moment, deliver=False).fired >= 6
    review_raised, exited_raised = _what_was_raised(alone[0]), _what_was_raised(alone[1])
    assert [kind for kind, *_ in review_raised] == ["reminder", "overdue", "escalation"]
    assert "reminder" in [kind for kind, *_ in exited_raised]
    assert all(messages for *_, messages in review_raised + exited_raised)
    for one, other in zip(alone, together, strict=True):
        assert _what_was_raised(other) == _what_was_raised(one)
        assert db.session.get(Household, other.id).state == db.session.get(Household, one.id).state
    assert db.session.get(Household, together[1].id).state == "graduated"


@pytest.mark.postgres_only
def test_two_sweeps_at_once_fire_the_sets_of_many_households_exactly_once(
    on_postgres, committed, world, ctx
):
    ids = add_due(posted(world, 150), each=2)
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        with ctx.app_context():
            try:
                start.wait()
                results.append(deadlines.sweep(DUE, batch=20, deliver=False))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(r.fired for r in results) == 300
    assert all(r.fired > 0 for r in results), results
    assert statuses(ids) == {"fired": 300}
    assert alerted(ids) == ids


def test_a_sweep_killed_inside_a_set_leaves_it_whole_to_the_next_sweep(
    world, committed, ctx, tmp_path
):
    now, lease = datetime.now(UTC), timedelta(seconds=2)
    ids = add_due(posted(world, 30), due_at=now - timedelta(hours=1))
    marker = tmp_path / "in-the-second-set"
    prelude = short_lease(lease.total_seconds()) + hang_after_firing(10, marker)
    sweep = caseflow_process(committed, "sweep", prelude=prelude)
    wait_for(sweep, marker.exists)  # the first set of 10 committed; the second written, not
    kill_9(sweep)

    db.session.rollback()
    assert statuses(ids) == {"fired": 10, "claimed": 10, "pending": 10}
    assert alerted(ids) == ids[:10]
    time.sleep(lease.total_seconds() + 0.1)
    assert deadlines.sweep(deliver=False).fired == 20
    assert statuses(ids) == {"fired": 30}
    assert alerted(ids) == ids


def test_a_sweep_that_finds_nothing_due_runs_one_read_and_writes_nothing(world, ctx):
    later = add_due(posted(world, 3), due_at=DUE + timedelta(days=1))
    ran = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split()[0].upper() in (
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "WITH",
        ):
            ran.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        result = deadlines.sweep(DUE)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert (result.fired, result.delivered) == (0, 0)
    assert len(ran) == 1 and ran[0].lstrip().startswith("SELECT"), ran
    assert statuses(later) == {"pending": 3}
