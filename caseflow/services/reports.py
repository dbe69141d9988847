"""The summary of a unit as of a date: households by class and state, and the rates (on the
reports' one basis, services/report_basis.py)."""

from __future__ import annotations

from datetime import date

from caseflow.domain.statuses import LISTED
from caseflow.models import User
from caseflow.services import report_units, unit_years
from caseflow.services.access import unit_by_code


def summary(actor: User, unit_code: str, as_of: date) -> dict:
    """Count households by class and state in a unit's subtree at the end of `as_of`."""
    unit = unit_by_code(unit_code, actor, "unit")
    rows = report_units.by_standing(unit, as_of)
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
