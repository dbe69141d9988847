"""What the listed households lack, and whether support reaches it: deprivations by indicator
and dimension (each survey read by the standard it was classified under) and support coverage."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects.postgresql import JSONB

from caseflow.extensions import db
from caseflow.models import Assessment, SupportItem, User
from caseflow.services.access import unit_by_code
from caseflow.services.definitions import standards
from caseflow.services.report_basis import (
    check_day,
    cutoff,
    history_warnings,
    in_subtree,
    listed,
    share,
)
from caseflow.services.supports import programs

#: the social policy bank's preferential credit in the catalogue (workflows/catalogue)
CREDIT_PROGRAM = "preferential_credit"
#: support items that reach a household: proposed or cancelled ones do not
REACHING = ("approved", "in_progress", "completed")


def deprivations(actor: User, unit_code: str, as_of: date) -> dict:
    """Count the poor and near-poor households' latest surveys deprived in each indicator and
    in each dimension (a household counts once per dimension)."""
    unit, surveyed = _surveyed(actor, unit_code, as_of)
    keys = _indicator_keys()
    dims = _dimension_keys()
    columns = [_sum(_indicator(surveyed, k)) for k in keys] + [
        _sum(_dimension(surveyed, d)) for d in dims
    ]
    row = db.session.execute(db.select(db.func.count(), *columns).select_from(surveyed)).one()
    return {
        "unit": unit.code,
        "as_of": as_of,
        "households": row[0],
        "by_indicator": dict(zip(keys, (n or 0 for n in row[1 : 1 + len(keys)]), strict=True)),
        "by_dimension": dict(zip(dims, (n or 0 for n in row[1 + len(keys) :]), strict=True)),
        "warnings": history_warnings(as_of),
    }


def coverage(actor: User, unit_code: str, as_of: date) -> dict:
    """Per dimension, the listed households deprived in it and those of them reached by a
    support that addresses it; and how many listed households the credit reaches."""
    unit, surveyed = _surveyed(actor, unit_code, as_of)
    dims = _dimension_keys()
    reach = _reach(as_of, {f"d{k}": _addressing(dim) for k, dim in enumerate(dims)})
    columns = []
    for k, dim in enumerate(dims):
        deprived = _dimension(surveyed, dim)
        columns += [_sum(deprived), _sum(db.and_(deprived, reach.c[f"d{k}"] == 1))]
    credit = _sum(reach.c.credit == 1)
    row = db.session.execute(
        db.select(db.func.count(), credit, *columns)
        .select_from(surveyed)
        .outerjoin(reach, reach.c.household_id == surveyed.c.household_id)
    ).one()
    listed, with_credit, figures = row[0], row[1] or 0, [n or 0 for n in row[2:]]
    by_dimension = [
        {
            "dimension": dim,
            "deprived": figures[2 * k],
            "supported": figures[2 * k + 1],
            "share": share(figures[2 * k + 1], figures[2 * k]),
        }
        for k, dim in enumerate(dims)
    ]
    return {
        "unit": unit.code,
        "as_of": as_of,
        "households": listed,
        "by_dimension": by_dimension,
        "credit": {"households": with_credit, "share": share(with_credit, listed)},
        "warnings": history_warnings(as_of),
    }


def _surveyed(actor: User, unit_code: str, as_of: date):
    """The listed households at the end of `as_of`, each with its latest survey by then."""
    unit = unit_by_code(unit_code, actor, "unit")
    check_day(as_of)
    now = listed(as_of)
    latest = (
        db.select(db.func.max(Assessment.id).label("id"))
        .where(Assessment.surveyed_on <= as_of)
        .group_by(Assessment.household_id)
        .subquery("latest_survey")
    )
    # computed once (MATERIALIZED), each survey's JSON read once as jsonb on PostgreSQL: not
    # once for each indicator and dimension that reads it (2.2 s of 2.6 s at 90,000 surveys)
    surveyed = (
        db.select(
            now.c.household_id,
            Assessment.standard.label("standard"),
            _readable(Assessment.deprivations).label("deprivations"),
        )
        .join(Assessment, Assessment.household_id == now.c.household_id)
        .join(latest, latest.c.id == Assessment.id)
        .where(in_subtree(unit, now.c.unit_id))
        .cte("surveyed")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return unit, surveyed


def _readable(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return db.cast(column, JSONB)
    return column


def _indicator(surveyed, key: str):
    """Deprived in `key`, under any standard that has it."""
    codes = [s.code for s in standards() if key in s.indicator_keys]
    return db.and_(surveyed.c.standard.in_(codes), surveyed.c.deprivations[key].as_boolean())


def _dimension(surveyed, dim: str):
    """Deprived in at least one indicator of `dim`, as the survey's own standard groups them."""
    cases = []
    for standard in standards():
        for dimension in standard.dimensions:
            if dimension.key == dim and dimension.indicators:
                held = db.or_(
                    *(surveyed.c.deprivations[i.key].as_boolean() for i in dimension.indicators)
                )
                cases.append(db.and_(surveyed.c.standard == standard.code, held))
    return db.or_(*cases) if cases else db.false()


def _reach(as_of: date, addressing: dict[str, list[str]]):
    """Per household with a support that reaches it by the end of `as_of`: for each named list
    of programmes, 1 when one of them reaches it (and `credit`), in one pass over the supports
    (an EXISTS per household and dimension probed the supports 700,000 times: 2.2 s)."""
    reached = SupportItem.state.in_(REACHING)
    flags = [
        db.func.max(db.case((SupportItem.program_code.in_(codes), 1), else_=0)).label(name)
        for name, codes in {**addressing, "credit": [CREDIT_PROGRAM]}.items()
    ]
    return (
        db.select(SupportItem.household_id, *flags)
        .where(reached, SupportItem.created_at < cutoff(as_of))
        .group_by(SupportItem.household_id)
        .subquery("reach")
    )


def _addressing(dim: str) -> list[str]:
    return [p.code for p in programs() if dim in (p.dimensions or [])]


def _sum(condition):
    return db.func.sum(db.case((condition, 1), else_=0))


def _indicator_keys() -> list[str]:
    keys: list[str] = []
    for standard in standards():
        keys += [k for k in standard.indicator_keys if k not in keys]
    return keys


def _dimension_keys() -> list[str]:
    keys: list[str] = []
    for standard in standards():
        keys += [d.key for d in standard.dimensions if d.key not in keys]
    return keys
