"""The reports beside the summary, as JSON or files, and a unit's yearly figures."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.reporting import file_response
from caseflow.schemas import reports as schemas
from caseflow.services import report_catalogue, unit_years

blp = Blueprint("reports", __name__, description="Reports as of a date, and units' figures")


def _answer(kind: str, args: dict):
    report = report_catalogue.build(
        actor(), kind, args["unit"], args.get("as_of"), args.get("start"), args.get("end")
    )
    return report if args["format"] == "json" else file_response(kind, report, args["format"])


@blp.route("/reports/units", methods=["GET"])
@blp.arguments(schemas.ReportArgs, location="query")
@blp.response(200, schemas.UnitsReportSchema)
def units(args):
    """One row per child unit: households, poor, near-poor and their rates, as of a date."""
    return _answer("units", args)


@blp.route("/reports/flows", methods=["GET"])
@blp.arguments(schemas.FlowArgs, location="query")
@blp.response(200, schemas.FlowsReportSchema)
def flows(args):
    """Entered, exited, relapsed, graduated in a period; the rate's change against the target."""
    return _answer("flows", args)


@blp.route("/reports/deprivations", methods=["GET"])
@blp.arguments(schemas.ReportArgs, location="query")
@blp.response(200, schemas.DeprivationsReportSchema)
def deprivations(args):
    """Poor and near-poor households deprived in each indicator and dimension, as of a date."""
    return _answer("deprivations", args)


@blp.route("/reports/coverage", methods=["GET"])
@blp.arguments(schemas.ReportArgs, location="query")
@blp.response(200, schemas.CoverageReportSchema)
def coverage(args):
    """Of the listed households deprived in a dimension, those a support reaches; credit."""
    return _answer("coverage", args)


@blp.route("/reports/overdue", methods=["GET"])
@blp.arguments(schemas.OverdueArgs, location="query")
@blp.response(200, schemas.OverdueReportSchema)
def overdue(args):
    """Work past its time now, per child unit."""
    return _answer("overdue", args)


@blp.route("/units/<code>/population", methods=["PUT"])
@blp.arguments(schemas.PopulationArgs)
@blp.response(200, schemas.PopulationSchema)
def population(args, code):
    """Record the unit's households from the population count for a year (admin, officer)."""
    return unit_years.set_population(actor(), code, args["year"], args["households"])


@blp.route("/units/<code>/target", methods=["PUT"])
@blp.arguments(schemas.TargetArgs)
@blp.response(200, schemas.TargetSchema)
def target(args, code):
    """Record the change in points the unit's poverty rate should reach in a year."""
    return unit_years.set_target(actor(), code, args["year"], args["target_points"])
