"""A unit at a glance (read-only): counts by class and state, rates, late work per sub-unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import aliased

from caseflow import clock
from caseflow.domain.errors import N_, NotFound
from caseflow.domain.statuses import LISTED
from caseflow.extensions import db
from caseflow.models import Deadline, Household, Unit, User
from caseflow.services import reports
from caseflow.services.access import in_scope
from caseflow.services.worklist import late


@dataclass
class SubUnit:
    unit: Unit
    households: int = 0
    poor: int = 0
    near_poor: int = 0
    overdue: int = 0


@dataclass
class Overview:
    unit: Unit
    #: reports.summary: households, by_class, by_state, poverty_rate, near_poverty_rate
    summary: dict
    overdue: int
    subunits: list[SubUnit]


def overview(actor: User, unit_code: str | None = None, as_of: date | None = None) -> Overview:
    """Return the dashboard of a unit in the actor's scope (the actor's own unit by default)."""
    unit = _unit(actor, unit_code)
    subunits = {
        u.id: SubUnit(u)
        for u in db.session.scalars(
            db.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name)
        )
    }
    _count_households(unit, subunits)
    _count_overdue(unit, subunits)
    overdue = (
        db.session.scalar(
            db.select(db.func.count(Deadline.id))
            .join(Household, Household.id == Deadline.household_id)
            .join(Unit, Unit.id == Household.unit_id)
            .where(Unit.path.startswith(unit.path, autoescape=True), late(clock.now()))
        )
        or 0
    )
    summary = reports.summary(actor, unit.code, as_of or clock.today())
    return Overview(unit, summary, overdue, list(subunits.values()))


def _unit(actor: User, code: str | None) -> Unit:
    if not code:
        if actor.unit is not None:
            return actor.unit
        top = db.session.scalar(db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        if top is None:
            raise NotFound(N_("No unit has been set up yet."))
        return top
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or not in_scope(actor, unit):
        raise NotFound(N_("Unit %(code)s not found."), params={"code": code})
    return unit


def _count_households(unit: Unit, subunits: dict[int, SubUnit]) -> None:
    child, member = aliased(Unit), aliased(Unit)
    listed = {
        cls: db.func.sum(db.case((Household.classification == cls, 1), else_=0)) for cls in LISTED
    }
    rows = db.session.execute(
        db.select(child.id, db.func.count(Household.id), listed["poor"], listed["near_poor"])
        .select_from(child)
        .join(member, member.path.startswith(child.path))
        .join(Household, Household.unit_id == member.id)
        .where(child.parent_id == unit.id)
        .group_by(child.id)
    )
    for unit_id, households, poor, near_poor in rows:
        row = subunits[unit_id]
        row.households, row.poor, row.near_poor = households, poor or 0, near_poor or 0


def _count_overdue(unit: Unit, subunits: dict[int, SubUnit]) -> None:
    child, member = aliased(Unit), aliased(Unit)
    rows = db.session.execute(
        db.select(child.id, db.func.count(Deadline.id))
        .select_from(child)
        .join(member, member.path.startswith(child.path))
        .join(Household, Household.unit_id == member.id)
        .join(Deadline, Deadline.household_id == Household.id)
        .where(child.parent_id == unit.id, late(clock.now()))
        .group_by(child.id)
    )
    for unit_id, overdue in rows:
        subunits[unit_id].overdue = overdue
