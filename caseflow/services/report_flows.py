"""Households that entered, exited, relapsed and graduated in a period, and the rate's change
against the unit's yearly target; and the rates year by year."""

from __future__ import annotations

from datetime import date, timedelta

from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import Event, Unit, User
from caseflow.models.history import FLOW
from caseflow.services import unit_years
from caseflow.services.access import unit_by_code
from caseflow.services.report_basis import (
    check_day,
    check_period,
    cutoff,
    history_warnings,
    in_subtree,
    listed,
    percent,
)
from caseflow.services.report_units import counts


def flows(actor: User, unit_code: str, start: date, end: date) -> dict:
    """Compare the unit's households at the start of `start` and at the end of `end`."""
    unit = unit_by_code(unit_code, actor, "unit")
    check_period(start, end)
    eve = start - timedelta(days=1)
    moved = _moved(unit, eve, end)
    rate_from = _rate(unit, eve, moved["households_from"], moved["poor_from"])
    rate_to = _rate(unit, end, moved["households_to"], moved["poor_to"])
    change = round(rate_to - rate_from, 2)
    target = unit_years.bases([unit], end.year)[unit.id].target_points
    counted = _flow_events(unit, eve, end)
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
        "relapsed": counted.get("relapse", 0),
        "graduated": counted.get("graduate", 0),
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


def _moved(unit: Unit, eve: date, end: date) -> dict[str, int]:
    """The households and the poor at each end (the units' counts), and per class the listed
    households in it at the end and not at the start (entered), and the reverse (exited).

    Only listed households can enter or leave a class, so both come from the listed at each
    end (services/listed_spans), joined on the household: in a class at the end, less those
    that were in it at the start too.
    """
    households_from, poor_from, _ = counts(unit, eve)
    households_to, poor_to, _ = counts(unit, end)
    before, after = listed(eve, "before"), listed(end, "after")
    moved = {
        "households_from": households_from,
        "poor_from": poor_from,
        "households_to": households_to,
        "poor_to": poor_to,
    }
    for kind, here, there in (("entered", after, before), ("exited", before, after)):
        stayed = db.case((there.c.classification == here.c.classification, 1), else_=0)
        rows = db.session.execute(
            db.select(here.c.classification, db.func.count(), db.func.sum(stayed))
            .select_from(here)
            .outerjoin(there, there.c.household_id == here.c.household_id)
            .where(in_subtree(unit, here.c.unit_id))
            .group_by(here.c.classification)
        )
        found = {cls: total - (same or 0) for cls, total, same in rows}
        moved.update({f"{kind}_{cls}": found.get(cls, 0) for cls in LISTED})
    return moved


def _flow_events(unit: Unit, eve: date, end: date) -> dict[str, int]:
    """The relapses and graduations in the period, by trigger (over ix_event_flow)."""
    rows = db.session.execute(
        db.select(Event.trigger, db.func.count(Event.id))
        .where(
            FLOW, Event.at >= cutoff(eve), Event.at < cutoff(end), in_subtree(unit, Event.unit_id)
        )
        .group_by(Event.trigger)
    )
    return dict(rows.all())
