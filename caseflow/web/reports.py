"""The reports' pages: a table, a chart drawn on the server and the download buttons; and the
page where admins and officers record a unit's population count and target."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow import clock
from caseflow.i18n import render
from caseflow.reporting import file_response
from caseflow.schemas import reports as schemas
from caseflow.schemas.common import load_typed
from caseflow.services import report_catalogue, report_flows, unit_years, units
from caseflow.services.access import require_role, unit_by_code
from caseflow.web import report_charts

bp = Blueprint("report_pages", __name__, url_prefix="/reports")
ARGS = {"flows": schemas.FlowArgs, "overdue": schemas.OverdueArgs}
PAGE_KINDS = report_catalogue.KINDS[1:]
#: who records a unit's population count and targets (API.md: admin, officer)
FIGURE_ROLES = ("admin", "officer")


@bp.route("/")
def index():
    return redirect(url_for("report_pages.show", kind="units"))


@bp.route("/<kind>")
def show(kind: str):
    if kind not in PAGE_KINDS:
        abort(404)
    args = _args(kind)
    found = report_catalogue.build(
        current_user, kind, args["unit"], args.get("as_of"), args.get("start"), args.get("end")
    )
    if args["format"] != "json":
        return file_response(kind, found, args["format"])
    charts = report_charts.charts(kind, found)
    if kind == "units":
        years = report_flows.rates_by_year(current_user, args["unit"], found["as_of"])
        charts.append(report_charts.rates_by_year(years))
    return render_template(
        f"reports/{kind}.html",
        kind=kind,
        kinds=PAGE_KINDS,
        report=found,
        charts=charts,
        units=units.list_units(current_user),
        args=args,
        render=render,
        indicator_names=report_charts.indicator_names(),
        dimension_names=report_charts.dimension_names(),
        can_set_figures=current_user.role in FIGURE_ROLES,
    )


@bp.route("/figures/<code>", methods=["GET", "POST"])
def figures(code: str):
    require_role(current_user, "officer")
    unit = unit_by_code(code, current_user, "unit")
    if request.method == "POST":
        _record(code)
        return redirect(url_for("report_pages.figures", code=code))
    return render_template(
        "reports/figures.html",
        unit=unit,
        years=unit_years.years(unit),
        this_year=clock.today().year,
    )


def _record(code: str) -> None:
    sent = {k: v for k, v in request.form.items() if k != "csrf_token"}
    form = load_typed(schemas.FiguresForm(), sent)
    if form["households"] is not None:
        saved = unit_years.set_population(current_user, code, form["year"], form["households"])
        for found in saved["warnings"]:
            flash(render(found["message"]), "warning")
    if form["target_points"] is not None:
        unit_years.set_target(current_user, code, form["year"], form["target_points"])
    flash(gettext("The unit's figures were saved."), "success")


def _args(kind: str) -> dict:
    return page_args(ARGS.get(kind, schemas.ReportArgs))


def page_args(schema) -> dict:
    """Read a report page's query as typed (an empty box is not given); the reader's own unit
    when none is asked."""
    query = request.args.to_dict()
    if not query.get("unit"):
        query["unit"] = default_unit()
    return load_typed(schema(), query)


def default_unit() -> str:
    if current_user.unit is not None:
        return current_user.unit.code
    found = units.list_units(current_user)
    if not found:
        abort(404)
    return found[0].code
