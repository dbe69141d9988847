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
from caseflow.domain.planner import plan_move
from caseflow.domain.statuses import ApprovalStatus
from caseflow.extensions import db
from caseflow.models import Approval, Household, Unit, User
from caseflow.services import cases, moves, transaction
from caseflow.services.access import household_for, in_scope, require_role, scoped, storable_id
from caseflow.services.cases import from_json
from caseflow.services.definitions import business_calendar, workflow
from caseflow.services.listing import Page, keyset_page


def list_approvals(
    actor: User, status: str | None = "pending", page: int = 1, per_page: int = 50
) -> tuple[list[Approval], int]:
    """Return a page of approval requests in the actor's units, oldest first, and their total
    (exact up to listing.BOUND)."""
    found = approvals_page(actor, status, page, per_page)
    return found.items, found.total


def approvals_page(
    actor: User,
    status: str | None = "pending",
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
) -> Page:
    """Return a page of approval requests in the actor's units, oldest first: after `after`
    when given, else page `page`."""
    query = scoped(db.select(Approval).join(Unit, Unit.id == Approval.unit_id), actor)
    if status:
        query = query.where(Approval.status == status)
    return keyset_page(query, [Approval.id], after=after, page=page, per_page=per_page)


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
    [result] = approve_many(actor, [approval_id], comment, one_by_one=False)
    if result["error"] is not None:
        raise result["error"]
    return db.session.get(Approval, approval_id)


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
    if decision == "approve":
        return approve_many(actor, ids, comment)
    results = []
    for approval_id in dict.fromkeys(ids):
        try:
            approval = reject(actor, approval_id, comment)
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


def approve_many(
    actor: User, ids: Iterable[int], comment: str | None = None, *, one_by_one: bool = True
) -> list[dict]:
    """Approve a whole list in one transaction, each request on its own merits: the moves are
    planned one by one (guards re-run, stale requests closed) and written together.

    If the batch loses a race while writing (a household changed meanwhile), nothing of it is
    kept and, with `one_by_one`, the list is decided one request at a time instead (a request
    alone that loses its race is a 409). Results as decide_many's.
    """
    ids = list(dict.fromkeys(ids))
    results: dict[int, dict] = {}
    try:
        with transaction():
            _approve_batch(actor, ids, comment, results)
    except Conflict:
        if not one_by_one or len(ids) == 1:
            raise
        return [approve_many(actor, [i], comment)[0] for i in ids]
    return [results[i] for i in ids]


def _approve_batch(actor: User, ids: list[int], comment: str | None, results: dict) -> None:
    usable = [i for i in ids if storable_id(i)]
    found = {
        a.id: a
        for a in db.session.scalars(
            scoped(db.select(Approval).join(Unit, Unit.id == Approval.unit_id), actor)
            .where(Approval.id.in_(usable))
            .with_for_update(of=Approval)
            .execution_options(populate_existing=True)
        )
    }
    household_ids = [a.household_id for a in found.values()]
    households = {
        h.id: h
        for h in db.session.scalars(
            db.select(Household)
            .where(Household.id.in_(household_ids))
            .with_for_update(of=Household)
            .execution_options(populate_existing=True)
        )
    }
    views = moves.views(household_ids)
    requesters = {
        u.id: u
        for u in db.session.scalars(
            db.select(User).where(User.id.in_({a.requested_by_id for a in found.values()}))
        )
    }
    now, calendar, planned = clock.now(), business_calendar(), []
    for approval_id in ids:
        approval = found.get(approval_id)
        try:
            if approval is None:
                raise NotFound(N_("Approval request %(id)s not found."), params={"id": approval_id})
            planned += _approved(
                actor, approval, households, views, requesters, comment, now, calendar
            )
            results[approval_id] = {"id": approval_id, "status": approval.status, "error": None}
        except DomainError as error:
            status = approval.status if approval is not None else "not_found"
            results[approval_id] = {"id": approval_id, "status": status, "error": error}
    moves.write(planned)


def _approved(actor, approval, households, views, requesters, comment, now, calendar) -> list:
    """Decide one request of a batch; return the move it makes (none when stale)."""
    require_role(actor, approval.approver_role)
    if approval.requested_by_id == actor.id:
        raise Forbidden(N_("No one may decide their own request."))
    if approval.status != ApprovalStatus.PENDING:
        raise AlreadyDecided(
            N_("This request was already decided (%(status)s)."), params={"status": approval.status}
        )
    household = households[approval.household_id]
    definition = workflow(household.workflow, household.workflow_version)
    transition = definition.transition(approval.trigger, household.state)
    if household.version != approval.case_version or transition is None:
        _decide(approval, actor, ApprovalStatus.STALE, comment)
        raise Conflict(
            N_(
                "The household changed after this request was made; the request "
                "is closed as stale. Ask again if it still holds."
            )
        )
    move = plan_move(
        views[household.id],
        definition,
        transition,
        from_json(transition, approval.data),
        approval.reason,
        actor=cases.as_actor(requesters.get(approval.requested_by_id)),
        now=now,
        calendar=calendar,
        approved_by=actor.username,
        approval_id=approval.id,
    )
    _decide(approval, actor, ApprovalStatus.APPROVED, comment)
    return [move]
