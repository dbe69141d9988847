"""Claiming rows for one worker among many: the sweep's deadlines, the outbox's messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from caseflow.extensions import db


def claim(
    model, condition, order_by: Sequence, limit: int, values: Mapping, returning: Sequence
) -> list:
    """Mark up to `limit` rows meeting `condition`, in `order_by` order, with `values`; commit.

    PostgreSQL locks the chosen rows with FOR UPDATE SKIP LOCKED in a CTE, so concurrent
    claimers take disjoint rows without waiting; SQLite runs one atomic UPDATE ... RETURNING
    (writers are serialised by the database lock). Return the claimed rows' `returning` columns.
    """
    chosen = db.select(model.id).where(condition).order_by(*order_by).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        due = chosen.with_for_update(skip_locked=True).cte("due")
        statement = db.update(model).where(model.id == due.c.id)
    else:
        statement = db.update(model).where(model.id.in_(chosen.scalar_subquery()))
    statement = (
        statement.values(**values)
        .returning(*returning)
        .execution_options(synchronize_session=False)
    )
    try:
        rows = db.session.execute(statement).all()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return rows
