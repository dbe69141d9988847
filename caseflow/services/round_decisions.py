"""The chair's decisions of a round: what its households wait for, decided in one batch."""

from __future__ import annotations

from collections.abc import Sequence

from caseflow.domain.errors import N_, Conflict
from caseflow.domain.rounds import DECISIONS, Step
from caseflow.extensions import db
from caseflow.models import Approval, User
from caseflow.services import approvals, round_roster, rounds
from caseflow.services.access import require_role
from caseflow.services.round_steps import _settle, _targets

#: who decides what the round's households wait for (the workflow's approver)
SUPERVISOR = "supervisor"


def decide(
    actor: User,
    round_id: int,
    decision: str,
    comment: str | None,
    *,
    village: str | None = None,
    household_ids: Sequence[int] | None = None,
) -> list[dict]:
    """Decide every decision the round's households (a village's, or those named) wait for,
    in one batch: each request on its own merits."""
    require_role(actor, SUPERVISOR)
    found = rounds.get_round(actor, round_id)
    targets, refused = _targets(actor, found, village, household_ids, None)
    waiting = (
        dict(
            db.session.execute(
                db.select(Approval.household_id, Approval.id).where(
                    Approval.household_id.in_(targets),
                    Approval.status == "pending",
                    Approval.trigger.in_(DECISIONS),
                )
            ).all()
        )
        if targets
        else {}
    )
    decide_all = approvals.approve_many if decision == "approve" else _reject_all
    decided = decide_all(actor, list(waiting.values()), comment)
    by_request = {d["id"]: d for d in decided}
    results = [
        {"household_id": h, "approval_id": a, **_decided(by_request[a])} for h, a in waiting.items()
    ]
    if household_ids is not None:
        results += [
            {
                "household_id": h,
                "approval_id": None,
                "status": "refused",
                "error": Conflict(N_("No decision is waiting for this household.")),
            }
            for h in targets
            if h not in waiting
        ]
    results += [
        {"household_id": r.household_id, "approval_id": None, "status": "refused", "error": r.error}
        for r in refused
    ]
    _settle(actor, round_id)
    return results


def _reject_all(actor: User, ids: list[int], comment: str | None) -> list[dict]:
    return approvals.decide_many(actor, ids, "reject", comment)


def _decided(result: dict) -> dict:
    return {"status": result["status"], "error": result["error"]}


def waiting(
    actor: User, round_id: int, village: str | None = None, page: int = 1, per_page: int = 200
) -> tuple[list[Approval], int]:
    """Return a page of the decisions the round's households (a village's) wait for."""
    found = rounds.get_round(actor, round_id)
    key = round_roster.resolve_village(found, village)
    members, _ = round_roster.members(actor, found.id, village=key, step=Step.AWAITING_DECISION)
    ids = [m.household_id for m in members]
    order = {h: i for i, h in enumerate(ids)}
    shown = ids[(page - 1) * per_page : page * per_page]
    requests = (
        db.session.scalars(
            db.select(Approval).where(
                Approval.household_id.in_(shown),
                Approval.status == "pending",
                Approval.trigger.in_(DECISIONS),
            )
        ).all()
        if shown
        else []
    )
    return sorted(requests, key=lambda a: order[a.household_id]), len(ids)
