"""The page of a unit's reports that go up: each with its period, due day and documents."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput
from caseflow.printing import document_response
from caseflow.schemas import reports_up as schemas
from caseflow.services import reports_up, units

bp = Blueprint("reports_up_pages", __name__, url_prefix="/reports-up")


@bp.route("/")
def index():
    args = _args(schemas.ReportsUpArgs)
    found = reports_up.listing(current_user, args["unit"], args["year"] or clock.today().year)
    return render_template(
        "reports_up/index.html", listing=found, units=units.list_units(current_user)
    )


@bp.route("/<key>")
def document(key: str):
    args = _args(schemas.ReportUpArgs)
    year = args["year"] or clock.today().year
    found = reports_up.document(current_user, key, args["unit"], year, args["month"])
    return document_response(found, args["format"])


def _args(schema) -> dict:
    query = {k: v for k, v in request.args.to_dict().items() if v != ""}
    query.setdefault("unit", _default_unit())
    try:
        return schema().load(query)
    except ValidationError as error:
        raise InvalidInput(
            N_("Some fields are missing or wrong."), fields=error.messages
        ) from error


def _default_unit() -> str:
    if current_user.unit is not None:
        return current_user.unit.code
    found = units.list_units(current_user)
    if not found:
        abort(404)
    return found[0].code
