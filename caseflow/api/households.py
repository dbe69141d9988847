"""Households, their surveys, transitions, history, deadlines and supports."""

from __future__ import annotations

from flask import jsonify, make_response

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint, ErrorSchema
from caseflow.schemas.households import (
    ApprovalResultSchema,
    AssessmentArgs,
    AssessmentSchema,
    DeadlineSchema,
    EventSchema,
    HouseholdArgs,
    HouseholdPageSchema,
    HouseholdPatchArgs,
    HouseholdQueryArgs,
    HouseholdSchema,
    IdempotencyArgs,
    TransitionArgs,
    TransitionResultSchema,
)
from caseflow.schemas.others import SupportArgs, SupportSchema
from caseflow.services import assessments, cases, households, supports

blp = Blueprint("households", __name__, description="Households and their lifecycle")


def _one(household):
    return households.shown(actor(), household)


@blp.route("/households", methods=["POST"])
@blp.arguments(HouseholdArgs)
@blp.arguments(IdempotencyArgs, location="headers")
@blp.response(201, HouseholdSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description=(
        "duplicate_national_id: another household holds the national ID number; "
        "possible_duplicate: a household with the same head and village is registered (send "
        "confirm_duplicate: true if this is another one); `household_id` names it"
    ),
)
def register(args, headers):
    """Register a household with its members; an `Idempotency-Key` registers it once."""
    return _one(households.register(actor(), args, headers.get("key")))


@blp.route("/households", methods=["GET"])
@blp.arguments(HouseholdQueryArgs, location="query")
@blp.response(200, HouseholdPageSchema)
def search(args):
    """List households in the caller's units; `q` ignores accents and case."""
    page = households.search(actor(), **args)
    page.items = households.annotate(actor(), page.items)
    return page


@blp.route("/households/<int:household_id>", methods=["GET"])
@blp.response(200, HouseholdSchema)
def show(household_id):
    return _one(household_id)


@blp.route("/households/<int:household_id>", methods=["PATCH"])
@blp.arguments(HouseholdPatchArgs)
@blp.response(200, HouseholdSchema)
def patch(args, household_id):
    """Change a household's facts; a stale `version` is refused with 409."""
    version = args.pop("version")
    return _one(households.update(actor(), household_id, args, version))


@blp.route("/households/<int:household_id>/assessments", methods=["POST"])
@blp.arguments(AssessmentArgs)
@blp.response(201, AssessmentSchema)
def record_assessment(args, household_id):
    """Record a survey; under review, the household moves to `classified`."""
    return assessments.record(actor(), household_id, args)


@blp.route("/households/<int:household_id>/assessments", methods=["GET"])
@blp.response(200, AssessmentSchema(many=True))
def list_assessments(household_id):
    return assessments.list_for(actor(), household_id)


@blp.route("/households/<int:household_id>/transitions", methods=["POST"])
@blp.arguments(TransitionArgs)
@blp.response(200, TransitionResultSchema)
@blp.alt_response(202, schema=ApprovalResultSchema, description="Waiting for approval")
def fire(args, household_id):
    """Fire a trigger: 200 when applied, 202 when it waits for a supervisor."""
    outcome = cases.fire(
        actor(),
        household_id,
        args["trigger"],
        args["data"],
        args.get("reason"),
        args.get("version"),
    )
    if outcome.approval is not None:
        body = ApprovalResultSchema().dump({"approval": outcome.approval})
        return make_response(jsonify(body), 202)
    household = households.shown(actor(), outcome.household, moved=True)
    return {"household": household, "event": outcome.event}


@blp.route("/households/<int:household_id>/history", methods=["GET"])
@blp.response(200, EventSchema(many=True))
def history(household_id):
    return households.history(actor(), household_id)


@blp.route("/households/<int:household_id>/deadlines", methods=["GET"])
@blp.response(200, DeadlineSchema(many=True))
def deadlines(household_id):
    return households.deadlines(actor(), household_id)


@blp.route("/households/<int:household_id>/supports", methods=["POST"])
@blp.arguments(SupportArgs)
@blp.response(201, SupportSchema)
def propose_support(args, household_id):
    return supports.propose(actor(), household_id, args["program"], args.get("note"))


@blp.route("/households/<int:household_id>/supports", methods=["GET"])
@blp.response(200, SupportSchema(many=True))
def list_supports(household_id):
    return supports.list_for(actor(), household_id)
