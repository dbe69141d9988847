"""Households that entered, exited, relapsed and graduated in a period, and the rate's change
against the unit's yearly target; and the rates year by year."""

from __future__ import annotations

from datetime import date, timedelta

from caseflow.extensions import db
from caseflow.models import Event, Unit, User
from caseflow.services import unit_years
from caseflow.services.access import unit_by_code
from caseflow.services.report_basis import (
    LISTED,
    check_day,
    check_period,
    cutoff,
    history_warnings,
    in_subtree,
    percent,
    standing,
)
from caseflow.services.report_units import counts


def flows(actor: User, unit_code: str, start: date, end: date) -> dict:
    """Compare the unit's households at the start of `start` and at the end of `end`."""
    unit = unit_by_code(unit_code, actor, "unit")
    check_period(start, end)
    eve = start - timedelta(days=1)
    moved = _moved(unit, standing(eve, "before"), standing(end, "after"))
    rate_from = _rate(unit, eve, moved["households_from"], moved["poor_from"])
    rate_to = _rate(unit, end, moved["households_to"], moved["poor_to"])
    change = round(rate_to - rate_from, 2)
    target = unit_years.bases([unit], end.year)[unit.id].target_points
    return {
        "unit": unit.code,
        "from": start,
        "to": end,
        "rate_from": rate_from,
        "rate_to": rate_to,
        "change_points": change,
        "target_points": target,
        "met": change <= target,
        "entered": {cls: moved[f"entered_{cls}"] for cls in LISTED},
        "exited": {cls: moved[f"exited_{cls}"] for cls in LISTED},
        "relapsed": _events(unit, "relapse", eve, end),
        "graduated": _events(unit, "graduate", eve, end),
        "warnings": history_warnings(end),
    }


def rates_by_year(actor: User, unit_code: str, as_of: date) -> list[dict]:
    """The poverty and near-poverty rates (percent) at each year's end, up to `as_of`."""
    from caseflow.services.report_basis import first_history_day

    unit = unit_by_code(unit_code, actor, "unit")
    check_day(as_of)
    first = first_history_day()
    if first is None:
        return []
    found = []
    for year in range(first.year, as_of.year + 1):
        day = min(date(year, 12, 31), as_of)
        households, poor, near_poor = counts(unit, day)
        basis = unit_years.bases([unit], year)[unit.id].households or households
        found.append(
            {
                "year": year,
                "poverty": percent(poor, basis),
                "near_poverty": percent(near_poor, basis),
            }
        )
    return found


def _rate(unit: Unit, day: date, households: int, poor: int) -> float:
    basis = unit_years.bases([unit], day.year)[unit.id].households or households
    return percent(poor, basis)


def _moved(unit: Unit, before, after) -> dict[str, int]:
    """In one pass over both days' standings: the households and the poor at each end, the
    households in a class at the end and not at the start (entered), and the reverse (exited).

    A household with an event before the start has one before the end, so `after` holds every
    household of `before`.
    """
    was_here = in_subtree(unit, before.c.unit_id)
    is_here = in_subtree(unit, after.c.unit_id)
    columns = {
        "households_from": was_here,
        "poor_from": db.and_(was_here, before.c.classification == "poor"),
        "households_to": is_here,
        "poor_to": db.and_(is_here, after.c.classification == "poor"),
    }
    for cls in LISTED:
        was, now = before.c.classification == cls, after.c.classification == cls
        columns[f"entered_{cls}"] = db.and_(
            is_here, now, db.or_(before.c.classification.is_(None), db.not_(was))
        )
        columns[f"exited_{cls}"] = db.and_(
            was_here, was, db.or_(after.c.classification.is_(None), db.not_(now))
        )
    row = db.session.execute(
        db.select(*(db.func.sum(db.case((c, 1), else_=0)).label(k) for k, c in columns.items()))
        .select_from(after)
        .outerjoin(before, before.c.household_id == after.c.household_id)
        .where(db.or_(is_here, was_here))
    ).one()
    return {key: value or 0 for key, value in row._mapping.items()}


def _events(unit: Unit, trigger: str, eve: date, end: date) -> int:
    return _count(
        db.select(db.func.count(Event.id)).where(
            Event.trigger == trigger,
            Event.at >= cutoff(eve),
            Event.at < cutoff(end),
            in_subtree(unit, Event.unit_id),
        )
    )


def _count(query) -> int:
    return db.session.scalar(query) or 0
