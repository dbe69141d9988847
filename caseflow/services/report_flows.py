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
    before, after = standing(eve, "before"), standing(end, "after")
    entered, exited = _moved(unit, before, after)
    rate_from = _rate(unit, eve)
    rate_to = _rate(unit, end)
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
        "entered": entered,
        "exited": exited,
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


def _rate(unit: Unit, day: date) -> float:
    households, poor, _ = counts(unit, day)
    basis = unit_years.bases([unit], day.year)[unit.id].households or households
    return percent(poor, basis)


def _moved(unit: Unit, before, after) -> tuple[dict, dict]:
    """Households in a class at the end and not at the start (entered), and the reverse."""
    entered, exited = {}, {}
    for cls in LISTED:
        entered[cls] = _count(
            db.select(db.func.count())
            .select_from(after)
            .outerjoin(before, before.c.household_id == after.c.household_id)
            .where(
                after.c.classification == cls,
                db.or_(before.c.classification.is_(None), before.c.classification != cls),
                in_subtree(unit, after.c.unit_id),
            )
        )
        exited[cls] = _count(
            db.select(db.func.count())
            .select_from(before)
            .join(after, before.c.household_id == after.c.household_id)
            .where(
                before.c.classification == cls,
                db.or_(after.c.classification.is_(None), after.c.classification != cls),
                in_subtree(unit, before.c.unit_id),
            )
        )
    return entered, exited


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
