"""The administrative tree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caseflow.domain.errors import N_, Conflict, InvalidInput
from caseflow.extensions import db
from caseflow.models import Unit, User
from caseflow.services import transaction
from caseflow.services.access import require_role, unit_by_code

AREAS = ("rural", "urban")


def list_units(actor: User) -> list[Unit]:
    """Return the units in the actor's scope, in tree order."""
    query = db.select(Unit).order_by(Unit.path)
    if actor.scope_path:
        query = query.where(Unit.path.startswith(actor.scope_path))
    return list(db.session.scalars(query))


def create(actor: User | None, fields: Mapping) -> Unit:
    """Add a unit (admin only; `actor` None is the command line)."""
    if actor is not None:
        require_role(actor, "admin")
    with transaction():
        unit = _add(fields)
    return unit


def load(rows: Iterable[Mapping]) -> int:
    """Add or update many units in one transaction, parents before children."""
    count = 0
    with transaction():
        for row in rows:
            existing = db.session.scalar(db.select(Unit).filter_by(code=row["code"]))
            if existing is None:
                _add(row)
            else:
                existing.name, existing.level = row["name"], row["level"]
                existing.area = row.get("area")
            count += 1
    return count


def _add(fields: Mapping) -> Unit:
    if db.session.scalar(db.select(Unit.id).filter_by(code=fields["code"])) is not None:
        raise Conflict(N_("Unit %(code)s exists already."), params={"code": fields["code"]})
    if fields.get("area") not in (None, *AREAS):
        raise InvalidInput(N_("Area must be rural or urban."), fields={"area": ["rural/urban"]})
    parent = (
        unit_by_code(fields["parent_code"], field="parent_code")
        if fields.get("parent_code")
        else None
    )
    unit = Unit(
        code=fields["code"],
        name=fields["name"],
        level=fields["level"],
        area=fields.get("area"),
        parent=parent,
        path="",
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit
