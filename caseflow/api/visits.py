"""Monitoring visits to households in follow-up."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.schemas.alerts import VisitArgs, VisitSchema
from caseflow.services import visits

blp = Blueprint("visits", __name__, description="Monitoring visits")


@blp.route("/households/<int:household_id>/visits", methods=["POST"])
@blp.arguments(VisitArgs)
@blp.response(201, VisitSchema)
def record(args, household_id):
    """Record a visit: it satisfies the due monitoring reminder and schedules the next."""
    return visits.record(
        actor(), household_id, args["visited_on"], args.get("notes"), args["hardship"]
    )


@blp.route("/households/<int:household_id>/visits", methods=["GET"])
@blp.response(200, VisitSchema(many=True))
def list_visits(household_id):
    return visits.list_for(actor(), household_id)
