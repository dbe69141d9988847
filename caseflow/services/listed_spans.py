"""The whiles households stood listed (models.ListedSpan): kept in step, rebuilt, and read.

A household's standing on a day is its latest history event by the end of that day
(services/report_basis.py). Finding that event for a million households means reading the
whole history; the spans hold the same answer for the listed ones in a table a tenth its size.
The one writer (services/moves.py) calls `follow` with the moves it writes; `rebuild` derives
every span again from the history (`caseflow report rebuild`, and the migration that made them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Subquery, bindparam, insert, text, update

from caseflow.domain.planner import Move
from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import Event, Household, ListedSpan
from caseflow.services.inserts import insert_rows

_CLOSE = (
    update(ListedSpan.__table__)
    .where(
        ListedSpan.__table__.c.household_id == bindparam("b_household"),
        ListedSpan.__table__.c.until.is_(None),
    )
    .values(until=bindparam("b_at"))
)


def follow(moves: Sequence[Move]) -> None:
    """Close and open the spans of the households whose class these moves' events change
    (in the caller's transaction; most moves change no class and cost nothing here)."""
    changes: dict[int, list[tuple[datetime, str | None, int]]] = {}
    now: dict[int, str | None] = {}
    for move in moves:
        if not move.event:
            continue
        household = move.case.id
        to = move.event.get("classification")
        if to == now.get(household, move.case.classification):
            continue
        now[household] = to
        changes.setdefault(household, []).append((move.event["at"], to, move.case.unit_id))
    if not changes:
        return
    db.session.execute(
        _CLOSE, [{"b_household": h, "b_at": found[0][0]} for h, found in changes.items()]
    )
    opened = [
        {
            "household_id": household,
            "unit_id": unit_id,
            "classification": to,
            "since": at,
            "until": found[k + 1][0] if k + 1 < len(found) else None,
        }
        for household, found in changes.items()
        for k, (at, to, unit_id) in enumerate(found)
        if to in LISTED
    ]
    if opened:
        insert_rows(ListedSpan.__table__, opened)


def listed_at(cutoff: datetime | None, name: str = "listed") -> Subquery:
    """The households listed just before `cutoff` (None: now, from their own rows), with
    their unit and class: the spans begun before it and not ended by then."""
    if cutoff is None:
        return (
            db.select(
                Household.id.label("household_id"), Household.unit_id, Household.classification
            )
            .where(Household.classification.in_(LISTED))
            .subquery(name)
        )
    return (
        db.select(ListedSpan.household_id, ListedSpan.unit_id, ListedSpan.classification)
        .where(
            ListedSpan.since < cutoff,
            db.or_(ListedSpan.until.is_(None), ListedSpan.until >= cutoff),
        )
        .subquery(name)
    )


def rebuild() -> int:
    """Derive every span again from the history, in the caller's transaction; return how many.

    The event that starts a span is a household's first, or one whose class differs from the
    event before it; the span lasts until the next such event."""
    if db.session.get_bind().dialect.name == "postgresql":
        # a move committing meanwhile waits, then closes and opens its spans on the new rows
        db.session.execute(text("LOCK TABLE report_listed_span IN EXCLUSIVE MODE"))
    db.session.execute(db.delete(ListedSpan))
    db.session.execute(REBUILD)
    return db.session.scalar(db.select(db.func.count(ListedSpan.id))) or 0


def _rebuild_statement():
    by_household = {"partition_by": Event.household_id, "order_by": Event.id}
    ordered = db.select(
        Event.household_id,
        Event.unit_id,
        Event.classification,
        Event.at,
        db.func.lag(Event.classification).over(**by_household).label("was"),
        db.func.row_number().over(**by_household).label("n"),
        Event.id,
    ).subquery("ordered")
    changed = (
        db.select(
            ordered.c.household_id,
            ordered.c.unit_id,
            ordered.c.classification,
            ordered.c.at,
            db.func.lead(ordered.c.at)
            .over(partition_by=ordered.c.household_id, order_by=ordered.c.id)
            .label("next_at"),
        )
        .where(db.or_(ordered.c.n == 1, ordered.c.classification.is_distinct_from(ordered.c.was)))
        .subquery("changed")
    )
    spans = db.select(
        changed.c.household_id,
        changed.c.unit_id,
        changed.c.classification,
        changed.c.at,
        changed.c.next_at,
    ).where(changed.c.classification.in_(LISTED))
    return insert(ListedSpan.__table__).from_select(
        ["household_id", "unit_id", "classification", "since", "until"], spans
    )


REBUILD = _rebuild_statement()
