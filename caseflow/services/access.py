"""Roles and unit scope, checked in services for every interface."""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from caseflow.domain.errors import N_, Forbidden, NotFound
from caseflow.domain.statuses import ApprovalStatus
from caseflow.extensions import db
from caseflow.models import Approval, Household, Unit, User

WRITERS = ("case_worker", "supervisor", "admin")
#: ids are PostgreSQL integers: a larger one names nothing (and cannot even be sent to SQL)
MAX_ID = 2_147_483_647


def storable_id(value: int) -> bool:
    """Tell whether `value` could be the id of a row."""
    return 0 < value <= MAX_ID


def in_scope(user: User, unit: Unit) -> bool:
    """Tell whether `unit` lies in the subtree `user` is assigned to."""
    return unit.path.startswith(user.scope_path)


def scoped(query: Select, user: User) -> Select:
    """Restrict a query over households (joined to Unit) to the user's units."""
    if not user.scope_path:
        return query
    return query.where(Unit.path.startswith(user.scope_path, autoescape=True))


#: the statements of household_for, built once: building a statement (its operators, its
#: options, its cache key) cost about as much as running it, on every request
_HOUSEHOLD = select(Household).where(Household.id == bindparam("household_id"))
_WITH_MEMBERS = _HOUSEHOLD.options(joinedload(Household.members))
_LOCKED = _HOUSEHOLD.with_for_update(of=Household)


def household_for(
    user: User, household_id: int, *, lock: bool = False, members: bool = False
) -> Household:
    """Return the household, or NotFound when unknown or outside the user's units; `members`:
    with its members, in the same query (what is shown of it)."""
    if not storable_id(household_id):
        raise _not_found(household_id)
    query = _LOCKED if lock else _WITH_MEMBERS if members else _HOUSEHOLD
    household = (
        db.session.execute(query, {"household_id": household_id}).unique().scalar_one_or_none()
    )
    if household is None or not in_scope(user, household.unit):
        raise _not_found(household_id)
    return household


def shown_household(user: User, household_id: int) -> tuple[Household, Approval | None]:
    """Return household_for's household with its members and its pending request (at most one
    at a time), all in one query: what a household's page or answer shows."""
    if not storable_id(household_id):
        raise _not_found(household_id)
    found = db.session.execute(_SHOWN, {"household_id": household_id}).unique().first()
    if found is None or not in_scope(user, found[0].unit):
        raise _not_found(household_id)
    return found[0], found[1]


_SHOWN = (
    select(Household, Approval)
    .outerjoin(
        Approval,
        (Approval.household_id == Household.id) & (Approval.status == ApprovalStatus.PENDING),
    )
    .where(Household.id == bindparam("household_id"))
    .options(joinedload(Household.members))
)


def _not_found(household_id: int) -> NotFound:
    return NotFound(N_("Household %(id)s not found."), params={"id": household_id})


def require_role(user: User, *roles: str) -> None:
    """Refuse unless the user has one of `roles` (admin may do everything)."""
    if user.role != "admin" and user.role not in roles:
        raise Forbidden(N_("Your role (%(role)s) may not do this."), params={"role": user.role})


def unit_by_code(code: str, user: User | None = None, field: str = "unit_code") -> Unit:
    """Return the unit with `code` (within the user's scope), or refuse naming the field."""
    from caseflow.domain.errors import InvalidInput

    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or (user is not None and not in_scope(user, unit)):
        raise InvalidInput.on(field, N_("Unknown unit '%(code)s'."), code=code)
    return unit
