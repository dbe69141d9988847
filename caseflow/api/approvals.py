"""Supervisors' decisions."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint, error_body
from caseflow.schemas.households import (
    ApprovalPageSchema,
    ApprovalQueryArgs,
    ApprovalResultSchema,
    ApprovalSchema,
    ApproveArgs,
    BatchArgs,
    BatchResultSchema,
    RejectArgs,
)
from caseflow.services import approvals, households

blp = Blueprint("approvals", __name__, description="Approval requests")


@blp.route("/approvals", methods=["GET"])
@blp.arguments(ApprovalQueryArgs, location="query")
@blp.response(200, ApprovalPageSchema)
def list_approvals(args):
    """List requests in the caller's units."""
    return approvals.approvals_page(actor(), **args)


@blp.route("/approvals/<int:approval_id>", methods=["GET"])
@blp.response(200, ApprovalSchema)
def show(approval_id):
    return approvals.get_approval(actor(), approval_id)


@blp.route("/approvals/<int:approval_id>/approve", methods=["POST"])
@blp.arguments(ApproveArgs)
@blp.response(200, ApprovalResultSchema)
def approve(args, approval_id):
    """Approve: the transition is applied with both names in history."""
    approval = approvals.approve(actor(), approval_id, args.get("comment"))
    household = households.annotate(actor(), [households.get(actor(), approval.household_id)])
    return {"approval": approval, "household": household[0]}


@blp.route("/approvals/<int:approval_id>/reject", methods=["POST"])
@blp.arguments(RejectArgs)
@blp.response(200, ApprovalResultSchema)
def reject(args, approval_id):
    """Reject with a reason; the household stays where it is."""
    return {"approval": approvals.reject(actor(), approval_id, args["reason"])}


@blp.route("/approvals/batch", methods=["POST"])
@blp.arguments(BatchArgs)
@blp.response(200, BatchResultSchema)
def batch(args):
    """Decide a whole list in one call; each request on its own merits."""
    results = approvals.decide_many(actor(), args["ids"], args["decision"], args.get("comment"))
    return {
        "results": [{**r, "error": error_body(r["error"]) if r["error"] else None} for r in results]
    }
