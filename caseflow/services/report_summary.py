"""The reports' summary of the history (models/report_summary.py): rebuilt, and read back.

Rebuilding reads the history once, household by household in order, and adds up each event's
move from the standing before it (unit, state, class) to the one after, per business day (one
INSERT ... SELECT with a window on PostgreSQL; streamed through Python on SQLite). It is
built through yesterday; a report asks `usable(day)` before it trusts it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import insert, text

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Event, StandingDay, SummaryBuilt
from caseflow.services import listed_spans, transaction
from caseflow.services.report_basis import cutoff

BATCH = 20_000


def rebuild(through: date | None = None) -> dict:
    """Derive the summary again from the whole history, through `through` (default yesterday)."""
    through = through or clock.today() - timedelta(days=1)
    with transaction():
        db.session.execute(db.delete(StandingDay))
        db.session.execute(db.delete(SummaryBuilt))
        last = db.session.scalar(db.select(db.func.max(Event.id))) or 0
        if db.session.get_bind().dialect.name == "postgresql":
            _summed_in_sql(cutoff(through), last)
        else:
            _summed_in_python(cutoff(through), last)
        db.session.add(SummaryBuilt(built_through=through, last_event_id=last))
        rows = db.session.scalar(db.select(db.func.count(StandingDay.id)))
        spans = listed_spans.rebuild()
    return {"built_through": through, "rows": rows, "listed_spans": spans}


#: PostgreSQL: the same sums in one statement (each event +1 where it stands, -1 where the
#: household's event before it stood), on the business day of the event
SUMMED = text(
    """
    INSERT INTO report_standing_day (unit_id, day, state, classification, households)
    SELECT unit_id, day, state, classification, sum(n) FROM (
        SELECT unit_id, day, to_state AS state, classification, 1 AS n FROM moved
        UNION ALL
        SELECT was_unit, day, was_state, was_class, -1 FROM moved WHERE was_unit IS NOT NULL
    ) AS changes
    GROUP BY unit_id, day, state, classification
    HAVING sum(n) <> 0
    """
)
MOVED = """
    WITH moved AS (
        SELECT unit_id, to_state, classification,
            CAST(at AT TIME ZONE :zone AS date) AS day,
            lag(unit_id) OVER w AS was_unit, lag(to_state) OVER w AS was_state,
            lag(classification) OVER w AS was_class
        FROM event WHERE at < :before AND id <= :last
        WINDOW w AS (PARTITION BY household_id ORDER BY id)
    )
"""


def _summed_in_sql(before, last: int) -> None:
    statement = text(MOVED + SUMMED.text)
    db.session.execute(statement, {"zone": str(clock.BUSINESS_TZ), "before": before, "last": last})


def _summed_in_python(before, last: int) -> None:
    rows = [
        {"unit_id": u, "day": d, "state": s, "classification": c, "households": n}
        for (u, d, s, c), n in _changes(before, last).items()
        if n
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(StandingDay.__table__), rows[start : start + BATCH])


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
