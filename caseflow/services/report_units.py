"""The table a province reads: one row per child unit, as of a date; and late work per unit."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import aliased

from caseflow import clock
from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import Deadline, Household, StandingDay, Unit, User
from caseflow.services import report_summary, unit_years
from caseflow.services.access import unit_by_code
from caseflow.services.report_basis import (
    check_day,
    history_warnings,
    in_subtree,
    share,
    standing,
)
from caseflow.services.worklist import late


def units(actor: User, unit_code: str, as_of: date) -> dict:
    """Households, poor and near-poor and their rates in each child unit and in the unit."""
    unit = unit_by_code(unit_code, actor, "unit")
    check_day(as_of)
    children = list(
        db.session.scalars(db.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code))
    )
    counted = _counts(unit, children, as_of)
    bases = unit_years.bases([unit, *children], as_of.year)
    warnings = history_warnings(as_of)
    rows = [
        _row(child, counted.get(child.id, (0, 0, 0)), bases[child.id], warnings)
        for child in children
    ]
    total = _row(unit, counted.get(unit.id, (0, 0, 0)), bases[unit.id], warnings)
    return {"unit": unit.code, "as_of": as_of, "rows": rows, "total": total, "warnings": warnings}


def counts(unit: Unit, as_of: date) -> tuple[int, int, int]:
    """Households, poor and near-poor in the unit's subtree at the end of `as_of`."""
    return _counts(unit, [], as_of).get(unit.id, (0, 0, 0))


def rates(unit: Unit, counted: tuple[int, int, int], basis: unit_years.Basis) -> dict:
    """The rates of a unit's counts, divided by its population count when set."""
    households, poor, near_poor = counted
    denominator = basis.households or households
    return {
        "rate_basis": "population" if basis.households else "registered",
        "poverty_rate": share(poor, denominator),
        "near_poverty_rate": share(near_poor, denominator),
    }


def _row(unit: Unit, counted: tuple[int, int, int], basis, warnings: list[dict]) -> dict:
    households, poor, near_poor = counted
    if basis.households is not None and basis.households < households:
        warnings.append(_below(unit, basis.households, households))
    return {
        "unit_code": unit.code,
        "name": unit.name,
        "households": households,
        "population": basis.households,
        "poor": poor,
        "near_poor": near_poor,
        **rates(unit, counted, basis),
    }


def _below(unit: Unit, population: int, registered: int) -> dict:
    found = unit_years.below_registered(population, registered)
    found["unit_code"] = unit.code
    return found


def _counts(unit: Unit, children: list[Unit], as_of: date) -> dict[int, tuple[int, int, int]]:
    """Count each of `unit` and `children` over its subtree, in one query: from the summary
    when it answers for the day, else from the history (today: the households' own rows)."""
    if as_of < clock.today() and report_summary.usable(as_of):
        source, where = StandingDay, [StandingDay.day <= as_of]
        weight, cls, unit_id = (
            StandingDay.households,
            StandingDay.classification,
            StandingDay.unit_id,
        )
    else:
        source, where = standing(as_of), []
        weight, cls, unit_id = 1, source.c.classification, source.c.unit_id
    figures = [db.func.sum(weight)]
    figures += [db.func.sum(db.case((cls == name, weight), else_=0)) for name in LISTED]
    if not children:
        # one subtree, by a constant prefix the planner estimates (joined on the units'
        # prefixes it guessed one unit and read a million households a unit at a time: 2.9 s)
        row = db.session.execute(
            db.select(*figures).select_from(source).where(*where, in_subtree(unit, unit_id))
        ).one()
        return {unit.id: tuple(n or 0 for n in row)}
    group, member = aliased(Unit), aliased(Unit)
    rows = db.session.execute(
        db.select(group.id, *figures)
        .select_from(group)
        .join(member, member.path.startswith(group.path))
        .join(source, unit_id == member.id)
        .where(*where, group.id.in_([unit.id, *(c.id for c in children)]))
        .group_by(group.id)
    )
    return {uid: (n or 0, poor or 0, near or 0) for uid, n, poor, near in rows}


def by_standing(unit: Unit, as_of: date) -> list[tuple[str, str | None, int]]:
    """The households of the unit's subtree at the end of `as_of` by state and class (from
    the summary when it answers for the day, else from the history)."""
    member = aliased(Unit)
    in_unit = member.path.startswith(unit.path, autoescape=True)
    if as_of < clock.today() and report_summary.usable(as_of):
        day = StandingDay
        query = (
            db.select(day.state, day.classification, db.func.sum(day.households))
            .join(member, member.id == day.unit_id)
            .where(in_unit, day.day <= as_of)
            .group_by(day.state, day.classification)
        )
    else:
        now = standing(as_of)
        query = (
            db.select(now.c.to_state, now.c.classification, db.func.count())
            .join(member, member.id == now.c.unit_id)
            .where(in_unit)
            .group_by(now.c.to_state, now.c.classification)
        )
    return [(state, cls, n) for state, cls, n in db.session.execute(query) if n]


def overdue(actor: User, unit_code: str) -> dict:
    """Work past its time now, per child unit and in the unit (a deadline's lateness has no
    history, so this report is of today only)."""
    unit = unit_by_code(unit_code, actor, "unit")
    children = list(
        db.session.scalars(db.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code))
    )
    group, member = aliased(Unit), aliased(Unit)
    found = dict(
        db.session.execute(
            db.select(group.id, db.func.count(Deadline.id))
            .select_from(group)
            .join(member, member.path.startswith(group.path))
            .join(Household, Household.unit_id == member.id)
            .join(Deadline, Deadline.household_id == Household.id)
            .where(group.id.in_([unit.id, *(c.id for c in children)]), late(clock.now()))
            .group_by(group.id)
        ).all()
    )
    rows = [{"unit_code": c.code, "name": c.name, "overdue": found.get(c.id, 0)} for c in children]
    total = {"unit_code": unit.code, "name": unit.name, "overdue": found.get(unit.id, 0)}
    return {"unit": unit.code, "as_of": clock.today(), "rows": rows, "total": total}
