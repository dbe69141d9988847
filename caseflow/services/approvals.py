"""Supervisors' decisions: approve, reject, and a whole list in one decision."""

from __future__ import annotations

from collections.abc import Iterable

from caseflow import clock
from caseflow.domain.errors import (
    N_,
    AlreadyDecided,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
)
from caseflow.domain.statuses import ApprovalStatus
from caseflow.extensions import db
from caseflow.models import Approval, Household, Unit, User
from caseflow.services import cases, moves, transaction
from caseflow.services.access import household_for, in_scope, require_role, scoped, storable_id
from caseflow.services.cases import from_json
from caseflow.services.definitions import workflow


def list_approvals(
    actor: User, status: str | None = "pending", page: int = 1, per_page: int = 50
) -> tuple[list[Approval], int]:
    """Return a page of approval requests in the actor's units, oldest first."""
    query = scoped(db.select(Approval).join(Unit, Unit.id == Approval.unit_id), actor)
    if status:
        query = query.where(Approval.status == status)
    total = db.session.scalar(query.with_only_columns(db.func.count(Approval.id)))
    items = db.session.scalars(
        query.order_by(Approval.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(items), total or 0


def get_approval(actor: User, approval_id: int, *, lock: bool = False) -> Approval:
    """Return one request, or NotFound outside the actor's units."""
    if not storable_id(approval_id):
        raise NotFound(N_("Approval request %(id)s not found."), params={"id": approval_id})
    query = db.select(Approval).where(Approval.id == approval_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    approval = db.session.scalar(query)
    if approval is None or not in_scope(actor, db.session.get(Unit, approval.unit_id)):
        raise NotFound(N_("Approval request %(id)s not found."), params={"id": approval_id})
    return approval


def approve(actor: User, approval_id: int, comment: str | None = None) -> Approval:
    """Approve a pending request: re-check the guards and apply it with both names."""
    stale = False
    with transaction():
        approval, household = _decidable(actor, approval_id)
        definition = workflow(household.workflow, household.workflow_version)
        transition = definition.transition(approval.trigger, household.state)
        if household.version != approval.case_version or transition is None:
            _decide(approval, actor, ApprovalStatus.STALE, comment)
            stale = True
        else:
            view = moves.views([household.id])[household.id]
            requester = db.session.get(User, approval.requested_by_id)
            _decide(approval, actor, ApprovalStatus.APPROVED, comment)
            cases.move(
                view,
                definition,
                transition,
                from_json(transition, approval.data),
                approval.reason,
                actor=cases.as_actor(requester),
                approved_by=actor.username,
                approval_id=approval.id,
            )
    if stale:
        raise Conflict(
            N_(
                "The household changed after this request was made; the request "
                "is closed as stale. Ask again if it still holds."
            )
        )
    return approval


def reject(actor: User, approval_id: int, reason: str | None) -> Approval:
    """Reject a pending request with a reason; the household stays where it is."""
    if not reason or not reason.strip():
        raise InvalidInput(
            N_("A rejection needs a reason."),
            fields={"reason": ["Missing data for required field."]},
        )
    with transaction():
        approval, _ = _decidable(actor, approval_id)
        _decide(approval, actor, ApprovalStatus.REJECTED, reason.strip())
    return approval


def decide_many(actor: User, ids: Iterable[int], decision: str, comment: str | None) -> list[dict]:
    """Decide each request on its own merits; one failure does not undo the others.

    Each result holds the request's id, its status after, and the DomainError that refused it.
    """
    results = []
    for approval_id in dict.fromkeys(ids):
        try:
            approval = (
                approve(actor, approval_id, comment)
                if decision == "approve"
                else reject(actor, approval_id, comment)
            )
            results.append({"id": approval_id, "status": approval.status, "error": None})
        except DomainError as error:
            # outside the actor's units a request is not found, whatever its status is
            status = (
                None
                if isinstance(error, NotFound)
                else db.session.scalar(db.select(Approval.status).filter_by(id=approval_id))
            )
            results.append({"id": approval_id, "status": status or "not_found", "error": error})
    return results


def _decidable(actor: User, approval_id: int) -> tuple[Approval, Household]:
    approval = get_approval(actor, approval_id, lock=True)
    require_role(actor, approval.approver_role)
    if approval.requested_by_id == actor.id:
        raise Forbidden(N_("No one may decide their own request."))
    if approval.status != ApprovalStatus.PENDING:
        raise AlreadyDecided(
            N_("This request was already decided (%(status)s)."), params={"status": approval.status}
        )
    household = household_for(actor, approval.household_id, lock=True)
    return approval, household


def _decide(approval: Approval, actor: User, status: str, comment: str | None) -> None:
    approval.status = status
    approval.decided_by_id = actor.id
    approval.decided_by = actor.username
    approval.decided_at = clock.now()
    approval.comment = comment
