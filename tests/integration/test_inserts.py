"""Rows inserted with their ids back (services.inserts.insert_ids), on both databases: each id
is its own row's, in the rows' order and ascending, whether few rows (RETURNING) or many (the
ids drawn first on PostgreSQL)."""

from __future__ import annotations

import pytest

from caseflow.extensions import db
from caseflow.models import Unit
from caseflow.services.inserts import PARSED_ONCE, insert_ids


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


def test_nothing_to_insert_is_no_ids(ctx):
    assert insert_ids(Unit.__table__, []) == []
