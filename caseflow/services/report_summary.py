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
from sqlalchemy.orm import aliased

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
        _exclusive()
        return _rebuilt(through)


def extend(through: date | None = None) -> dict | None:
    """Bring the summary up to `through` (default yesterday) from the events of the days it
    lacks; rebuild it all when it was never built or an event written since it was built falls
    on a day it holds. None when it already reaches that day. The clock calls it each tick
    (scheduler.tick): one read a tick, the work once a day."""
    through = through or clock.today() - timedelta(days=1)
    built = _built()
    if built is not None and built.built_through >= through:
        return None
    with transaction():
        _exclusive()
        built = _built()  # again, now that no one else extends it
        if built is not None and built.built_through >= through:
            return None
        if built is None or _late(built):
            return _rebuilt(through)
        last = db.session.scalar(db.select(db.func.max(Event.id))) or 0
        since = cutoff(built.built_through)
        _insert_changes(_changes(Event.at >= since, Event.at < cutoff(through), Event.id <= last))
        db.session.add(SummaryBuilt(built_through=through, last_event_id=last))
    return {"built_through": through, "extended_from": built.built_through}


def _rebuilt(through: date) -> dict:
    db.session.execute(db.delete(StandingDay))
    db.session.execute(db.delete(SummaryBuilt))
    last = db.session.scalar(db.select(db.func.max(Event.id))) or 0
    if db.session.get_bind().dialect.name == "postgresql":
        _summed_in_sql(cutoff(through), last)
    else:
        _insert_changes(_changes(Event.at < cutoff(through), Event.id <= last))
    db.session.add(SummaryBuilt(built_through=through, last_event_id=last))
    rows = db.session.scalar(db.select(db.func.count(StandingDay.id)))
    spans = listed_spans.rebuild()
    return {"built_through": through, "rows": rows, "listed_spans": spans}


def _built() -> SummaryBuilt | None:
    return db.session.scalar(db.select(SummaryBuilt).order_by(SummaryBuilt.id.desc()).limit(1))


def _late(built: SummaryBuilt):
    """An event written since the summary was built that falls on a day it holds."""
    late = db.select(Event.id).where(
        Event.id > built.last_event_id, Event.at < cutoff(built.built_through)
    )
    return db.session.scalar(db.select(late.exists()))


def _exclusive() -> None:
    """PostgreSQL: one builder at a time (several clocks may tick at once); SQLite writes one
    transaction at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE report_summary_built IN EXCLUSIVE MODE"))


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


def _insert_changes(changes: Counter) -> None:
    rows = [
        {"unit_id": u, "day": d, "state": s, "classification": c, "households": n}
        for (u, d, s, c), n in changes.items()
        if n
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(StandingDay.__table__), rows[start : start + BATCH])


#: each event with the standing of the household's event before it (None for its first)
_BEFORE = aliased(Event)
_EARLIER = aliased(Event)
_PREVIOUS = (
    db.select(db.func.max(_EARLIER.id))
    .where(_EARLIER.household_id == Event.household_id, _EARLIER.id < Event.id)
    .correlate(Event)
    .scalar_subquery()
)


def _changes(*conditions) -> Counter:
    """Each chosen event +1 where it stands and -1 where the household's event before it stood,
    on the event's business day (read in the events' order, in batches)."""
    changes: Counter = Counter()
    query = (
        db.select(
            Event.at,
            Event.unit_id,
            Event.to_state,
            Event.classification,
            _BEFORE.unit_id,
            _BEFORE.to_state,
            _BEFORE.classification,
        )
        .outerjoin(_BEFORE, _BEFORE.id == _PREVIOUS)
        .where(*conditions)
        .execution_options(yield_per=BATCH)
    )
    for at, unit, state, cls, was_unit, was_state, was_cls in db.session.execute(query):
        day = at.astimezone(clock.BUSINESS_TZ).date()
        changes[(unit, day, state, cls)] += 1
        if was_unit is not None:
            changes[(was_unit, day, was_state, was_cls)] -= 1
    return changes


def usable(day: date) -> bool:
    """Tell whether the summary answers for `day`: built through it, and no event written since
    it was built falls on or before it."""
    built = _built()
    if built is None or day > built.built_through:
        return False
    late = db.select(Event.id).where(Event.id > built.last_event_id, Event.at < cutoff(day))
    return not db.session.scalar(db.select(late.exists()))
