"""A unit's population count and rate target by year: the figures reports divide and compare by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from caseflow.domain.errors import N_, InvalidInput
from caseflow.extensions import db
from caseflow.models import Household, Unit, UnitYear, User
from caseflow.services import transaction
from caseflow.services.access import require_role, unit_by_code
from caseflow.services.report_basis import warning

#: the programme's yearly target for the poverty rate, down at least one point (DOMAIN.md); a
#: unit's own target, when set, replaces it
DEFAULT_TARGET_POINTS = -1.0
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Basis:
    """What a unit's rates divide by in a year, and the target its change is held to."""

    households: int | None
    target_points: float


def set_population(actor: User, unit_code: str, year: int, households: int) -> dict:
    """Record the unit's number of households from the population count (admin, officer)."""
    require_role(actor, "officer")
    _check(year, households)
    with transaction():
        unit = unit_by_code(unit_code, actor, "unit")
        row = _row(unit, year)
        row.households, row.updated_by = households, actor.username
        registered = registered_households(unit)
    warnings = [] if households >= registered else [below_registered(households, registered)]
    return {"unit_code": unit.code, "year": year, "households": households, "warnings": warnings}


def registered_households(unit: Unit) -> int:
    """The households registered in the unit's subtree now."""
    return (
        db.session.scalar(
            db.select(db.func.count(Household.id))
            .join(Unit, Unit.id == Household.unit_id)
            .where(Unit.path.startswith(unit.path, autoescape=True))
        )
        or 0
    )


def below_registered(population: int, registered: int) -> dict:
    """The warning that a population count is smaller than the households registered."""
    return warning(
        "population_below_registered",
        N_(
            "The population count (%(population)s households) is smaller than the households "
            "registered (%(registered)s): the rates divided by it are too high."
        ),
        population=population,
        registered=registered,
    )


def set_target(actor: User, unit_code: str, year: int, target_points: float) -> dict:
    """Record the change in points the unit's poverty rate should reach in `year`."""
    require_role(actor, "officer")
    _check(year, 1)
    with transaction():
        unit = unit_by_code(unit_code, actor, "unit")
        row = _row(unit, year)
        row.target_points, row.updated_by = target_points, actor.username
    return {"unit_code": unit.code, "year": year, "target_points": target_points}


def bases(units: Iterable[Unit], year: int) -> dict[int, Basis]:
    """Each unit's basis for `year`, in one query."""
    ids = [u.id for u in units]
    found = {
        row.unit_id: row
        for row in db.session.scalars(
            db.select(UnitYear).where(UnitYear.unit_id.in_(ids), UnitYear.year == year)
        )
    }
    return {
        uid: Basis(
            found[uid].households if uid in found else None,
            _target(found.get(uid)),
        )
        for uid in ids
    }


def years(unit: Unit) -> list[UnitYear]:
    """The figures recorded for the unit, the latest year first."""
    return list(
        db.session.scalars(
            db.select(UnitYear).where(UnitYear.unit_id == unit.id).order_by(UnitYear.year.desc())
        )
    )


def _target(row: UnitYear | None) -> float:
    if row is None or row.target_points is None:
        return DEFAULT_TARGET_POINTS
    return row.target_points


def _row(unit: Unit, year: int) -> UnitYear:
    row = db.session.scalar(
        db.select(UnitYear).where(UnitYear.unit_id == unit.id, UnitYear.year == year)
    )
    if row is None:
        row = UnitYear(unit_id=unit.id, year=year)
        db.session.add(row)
    return row


def _check(year: int, households: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput.on(
            "year",
            N_("The year must lie between %(low)s and %(high)s."),
            low=FIRST_YEAR,
            high=LAST_YEAR,
        )
    if households <= 0:
        raise InvalidInput.on(
            "households", N_("A unit's population count must be at least one household.")
        )
