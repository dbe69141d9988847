"""Units, programmes, workflows and reports."""

from __future__ import annotations

from caseflow import clock
from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.schemas.others import (
    ProgramSchema,
    StandardSchema,
    SummaryArgs,
    SummarySchema,
    UnitArgs,
    UnitSchema,
    WorkflowSchema,
)
from caseflow.services import reports, supports, units
from caseflow.services.definitions import definitions, standards

blp = Blueprint("catalogue", __name__, description="Units, programmes, workflows, reports")


@blp.route("/units", methods=["GET"])
@blp.response(200, UnitSchema(many=True))
def list_units():
    return units.list_units(actor())


@blp.route("/units", methods=["POST"])
@blp.arguments(UnitArgs)
@blp.response(201, UnitSchema)
def create_unit(args):
    """Add an administrative unit (admin)."""
    return units.create(actor(), args)


@blp.route("/programs", methods=["GET"])
@blp.response(200, ProgramSchema(many=True))
def list_programs():
    return supports.programs()


@blp.route("/workflows", methods=["GET"])
@blp.response(200, WorkflowSchema(many=True))
def list_workflows():
    return list(definitions().current.values())


@blp.route("/standards", methods=["GET"])
@blp.response(200, StandardSchema(many=True))
def list_standards():
    """The poverty standards, each with its decree, dates, lines and its own indicators."""
    return standards()


@blp.route("/reports/summary", methods=["GET"])
@blp.arguments(SummaryArgs, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """Households by class and state in a unit's subtree, as of a date (default today)."""
    return reports.summary(actor(), args["unit"], args["as_of"] or clock.today())
