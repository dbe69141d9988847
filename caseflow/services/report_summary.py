"""The reports' summary of the history (models/report_summary.py): rebuilt, and read back.

Rebuilding streams the history once, household by household in order, and adds up each event's
move from the standing before it (unit, state, class) to the one after, per business day. It is
built through yesterday; a report asks `usable(day)` before it trusts it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import insert

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Event, StandingDay, SummaryBuilt
from caseflow.services import transaction
from caseflow.services.report_basis import cutoff

BATCH = 20_000


def rebuild(through: date | None = None) -> dict:
    """Derive the summary again from the whole history, through `through` (default yesterday)."""
    through = through or clock.today() - timedelta(days=1)
    with transaction():
        db.session.execute(db.delete(StandingDay))
        db.session.execute(db.delete(SummaryBuilt))
        last = db.session.scalar(db.select(db.func.max(Event.id))) or 0
        changes = _changes(cutoff(through), last)
        rows = [
            {"unit_id": u, "day": d, "state": s, "classification": c, "households": n}
            for (u, d, s, c), n in changes.items()
            if n
        ]
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(StandingDay), rows[start : start + BATCH])
        db.session.add(SummaryBuilt(built_through=through, last_event_id=last))
    return {"built_through": through, "rows": len(rows)}


def _changes(before, last: int) -> Counter:
    changes: Counter = Counter()
    previous: dict = {}
    query = (
        db.select(Event.household_id, Event.at, Event.unit_id, Event.to_state, Event.classification)
        .where(Event.at < before, Event.id <= last)
        .order_by(Event.household_id, Event.id)
        .execution_options(yield_per=BATCH)
    )
    current = None
    for household, at, unit, state, cls in db.session.execute(query):
        if household != current:
            current, previous = household, None
        day = at.astimezone(clock.BUSINESS_TZ).date()
        if previous is not None:
            changes[(*previous[:1], day, *previous[1:])] -= 1
        changes[(unit, day, state, cls)] += 1
        previous = (unit, state, cls)
    return changes


def usable(day: date) -> bool:
    """Tell whether the summary answers for `day`: built through it, and no event written since
    it was built falls on or before it."""
    built = db.session.scalar(db.select(SummaryBuilt).order_by(SummaryBuilt.id.desc()).limit(1))
    if built is None or day > built.built_through:
        return False
    late = db.select(Event.id).where(Event.id > built.last_event_id, Event.at < cutoff(day))
    return not db.session.scalar(db.select(late.exists()))
