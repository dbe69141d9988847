"""The page of a unit's reports that go up: each with its period, due day and documents."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from caseflow import clock
from caseflow.printing import document_response
from caseflow.schemas import reports_up as schemas
from caseflow.services import reports_up, units
from caseflow.web.reports import page_args

bp = Blueprint("reports_up_pages", __name__, url_prefix="/reports-up")


@bp.route("/")
def index():
    args = page_args(schemas.ReportsUpArgs)
    found = reports_up.listing(current_user, args["unit"], args["year"] or clock.today().year)
    return render_template(
        "reports_up/index.html", listing=found, units=units.list_units(current_user)
    )


@bp.route("/<key>")
def document(key: str):
    args = page_args(schemas.ReportUpArgs)
    year = args["year"] or clock.today().year
    found = reports_up.document(current_user, key, args["unit"], year, args["month"])
    return document_response(found, args["format"])
