"""Reports that go up: a unit's list with their due days, and each report as a document."""

from __future__ import annotations

from caseflow import clock
from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.printing import document_response
from caseflow.schemas import reports_up as schemas
from caseflow.services import reports_up

blp = Blueprint("reports_up", __name__, description="Reports that go up, and when they are due")


@blp.route("/reports/up", methods=["GET"])
@blp.arguments(schemas.ReportsUpArgs, location="query")
@blp.response(200, schemas.ReportsUpSchema)
def listing(args):
    """The reports the unit sends up in a year (default this year), with their due days."""
    return reports_up.listing(actor(), args["unit"], args["year"] or clock.today().year)


@blp.route("/reports/up/<key>", methods=["GET"])
@blp.arguments(schemas.ReportUpArgs, location="query")
@blp.response(200, description="the report: A4 HTML to print, or xlsx")
def document(args, key):
    """One report that goes up, print-ready A4 HTML in Vietnamese (or xlsx)."""
    year = args["year"] or clock.today().year
    found = reports_up.document(actor(), key, args["unit"], year, args["month"])
    return document_response(found, args["format"])
