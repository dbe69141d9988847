"""Reports computed from history, so any of them can be asked "as of" a past date."""

from __future__ import annotations

from datetime import date, timedelta

from caseflow.extensions import db
from caseflow.models import Event, Unit, User
from caseflow.services import unit_years
from caseflow.services.access import unit_by_code
from caseflow.services.definitions import business_calendar

LISTED = ("poor", "near_poor")


def summary(actor: User, unit_code: str, as_of: date) -> dict:
    """Count households by class and state in a unit's subtree at the end of `as_of`."""
    unit = unit_by_code(unit_code, actor, "unit")
    cutoff = business_calendar().start_of_day(as_of + timedelta(days=1))
    latest = (
        db.select(db.func.max(Event.id).label("id"))
        .where(Event.at < cutoff)
        .group_by(Event.household_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(Event.to_state, Event.classification, db.func.count())
        .join(latest, latest.c.id == Event.id)
        .join(Unit, Unit.id == Event.unit_id)
        .where(Unit.path.startswith(unit.path))
        .group_by(Event.to_state, Event.classification)
    ).all()
    by_state: dict[str, int] = {}
    by_class = dict.fromkeys(LISTED, 0)
    for state, classification, count in rows:
        by_state[state] = by_state.get(state, 0) + count
        if classification in by_class:
            by_class[classification] += count
    total = sum(by_state.values())
    population = unit_years.bases([unit], as_of.year)[unit.id].households
    denominator = population or total
    return {
        "unit": unit.code,
        "as_of": as_of,
        "households": total,
        "by_class": by_class,
        "by_state": by_state,
        "poverty_rate": _share(by_class["poor"], denominator),
        "near_poverty_rate": _share(by_class["near_poor"], denominator),
        "rate_basis": "population" if population else "registered",
    }


def _share(part: int, total: int) -> float:
    return round(part / total, 6) if total else 0.0
