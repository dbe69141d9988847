"""Review rounds: a commune's periodic or regular review, village by village."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint, error_body
from caseflow.i18n import render
from caseflow.printing import document_response
from caseflow.schemas.rounds import (
    AddedSchema,
    AddHouseholdsArgs,
    CloseArgs,
    DecideArgs,
    DocumentArgs,
    MeetingArgs,
    MeetingSchema,
    ResultsSchema,
    RoundArgs,
    RoundHouseholdPageSchema,
    RoundHouseholdQueryArgs,
    RoundPageSchema,
    RoundQueryArgs,
    RoundSchema,
    StepArgs,
    SurveysArgs,
    read_surveys,
)
from caseflow.services import (
    round_decisions,
    round_documents,
    round_meetings,
    round_members,
    round_steps,
    rounds,
)

blp = Blueprint("rounds", __name__, description="Review rounds")


def results(found, *, surveys: bool = False) -> dict:
    """Each household's outcome, its refusal in the envelope's shape (a survey's: its class)."""
    return {"results": [_result(r, surveys) for r in found]}


def _result(result, surveys: bool) -> dict:
    shown = {
        "household_id": result.household_id,
        "status": result.status,
        "error": error_body(result.error) if result.error else None,
    }
    if surveys:
        shown["classification"] = result.classification if result.status == "recorded" else None
    return shown


@blp.route("/rounds", methods=["POST"])
@blp.arguments(RoundArgs)
@blp.response(201, RoundSchema)
@blp.alt_response(
    409,
    description="another open round of this kind for the unit, or this period's round already made",
)
def create(args):
    """Make a round for a commune; its dates come from workflows/rounds/."""
    return rounds.create(actor(), args)


@blp.route("/rounds", methods=["GET"])
@blp.arguments(RoundQueryArgs, location="query")
@blp.response(200, RoundPageSchema)
def list_rounds(args):
    """List the rounds the caller may see, newest first."""
    page, per_page = args.pop("page"), args.pop("per_page")
    items, total = rounds.list_rounds(actor(), page=page, per_page=per_page, **args)
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/rounds/<int:round_id>", methods=["GET"])
@blp.response(200, RoundSchema)
def show(round_id):
    """A round, with its progress per step and per village, and what is late."""
    return rounds.show(actor(), round_id)


@blp.route("/rounds/<int:round_id>/households", methods=["POST"])
@blp.arguments(AddHouseholdsArgs)
@blp.response(200, AddedSchema)
def add_households(args, round_id):
    """Put households on the list: by id (form 01 or 04), or every listed one of the unit."""
    added = round_members.add_households(
        actor(),
        round_id,
        household_ids=args.get("household_ids"),
        household_codes=args.get("household_codes"),
        listed="select" in args,
        form=args.get("form"),
    )
    return {
        "added": added.added,
        "skipped": [{"household_id": h, "reason": render(m)} for h, m in added.skipped],
    }


@blp.route("/rounds/<int:round_id>/households", methods=["GET"])
@blp.arguments(RoundHouseholdQueryArgs, location="query")
@blp.response(200, RoundHouseholdPageSchema)
def households(args, round_id):
    """The round's households, each with its step, village and why it is late."""
    items, total = rounds.households_page(actor(), round_id, **args)
    return {"items": items, "total": total, "page": args["page"], "per_page": args["per_page"]}


@blp.route("/rounds/<int:round_id>/steps", methods=["POST"])
@blp.arguments(StepArgs)
@blp.response(200, ResultsSchema)
def step(args, round_id):
    """Start the reviews or ask for the decisions of a village (or the households named)."""
    return results(
        round_steps.run_step(
            actor(),
            round_id,
            args["step"],
            village=args.get("village"),
            household_ids=args.get("household_ids"),
            data=args["data"],
        )
    )


@blp.route("/rounds/<int:round_id>/assessments", methods=["POST"])
@blp.arguments(SurveysArgs)
@blp.response(200, ResultsSchema)
def surveys(args, round_id):
    """Record many surveys: valid ones are saved, each refusal is given on its row."""
    rows = read_surveys(args["items"])
    return results(round_steps.record_surveys(actor(), round_id, rows), surveys=True)


@blp.route("/rounds/<int:round_id>/meetings", methods=["POST"])
@blp.arguments(MeetingArgs)
@blp.response(201, MeetingSchema)
@blp.alt_response(409, description="no household of the meeting could be moved")
def meeting(args, round_id):
    """Record a village meeting: each household agreed (posted) or sent back to survey."""
    held = round_meetings.hold_meeting(actor(), round_id, args)
    held.results = [
        {**r, "error": error_body(r["error"]) if r["error"] else None} for r in held.results
    ]
    return held


@blp.route("/rounds/<int:round_id>/decisions", methods=["POST"])
@blp.arguments(DecideArgs)
@blp.response(200, ResultsSchema)
def decide(args, round_id):
    """The chair decides what a village's households (or those named) wait for, in one batch."""
    decided = round_decisions.decide(
        actor(),
        round_id,
        args["decision"],
        args.get("comment"),
        village=args.get("village"),
        household_ids=args.get("household_ids"),
    )
    return {
        "results": [{**r, "error": error_body(r["error"]) if r["error"] else None} for r in decided]
    }


@blp.route("/rounds/<int:round_id>/close", methods=["POST"])
@blp.arguments(CloseArgs)
@blp.response(200, RoundSchema)
def close(args, round_id):
    """Close the round by hand; `undecided` lists the households not decided."""
    return rounds.close(actor(), round_id, args.get("note")).view


@blp.route("/rounds/<int:round_id>/documents/<kind>", methods=["GET"])
@blp.arguments(DocumentArgs, location="query")
@blp.response(200, description="the document: A4 HTML to print, or xlsx")
def document(args, round_id, kind):
    """A document of the round, print-ready A4 HTML in Vietnamese (or xlsx)."""
    found = round_documents.build(actor(), round_id, kind, args.get("village"))
    return document_response(found, args["format"])
