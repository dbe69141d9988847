"""The import page (upload, the dry run's report, confirm, done) and the pages' downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user

from caseflow.domain.errors import DomainError
from caseflow.downloads import spreadsheet_response, xlsx_response
from caseflow.i18n import error_message, render
from caseflow.limits import accepts_upload
from caseflow.schemas.common import load_typed
from caseflow.schemas.imports import HouseholdExportArgs
from caseflow.services import exports, import_template, imports, units, uploads
from caseflow.web.import_forms import ConfirmForm, UploadForm

bp = Blueprint("excel", __name__)


@bp.route("/imports", methods=["GET", "POST"])
@accepts_upload
def upload():
    """Upload a file and see what importing it would do (a dry run)."""
    form = UploadForm(units.list_units(current_user))
    if not form.posted() or not form.file.data:
        missing = gettext("Send the file to import.") if request.method == "POST" else None
        return render_template("imports/page.html", form=form, report=None, error=missing)
    token = uploads.keep(form.file.data.stream, current_user.id)
    name = form.file.data.filename or ""
    return _report(form, token, name, form.unit.data, dry_run=True)


@bp.route("/imports/confirm", methods=["POST"])
def confirm():
    """Import the file checked by the dry run, kept on the server: all or nothing."""
    form = ConfirmForm()
    if not form.posted():
        abort(400)
    return _report(form, form.token.data, form.filename.data, form.unit.data, dry_run=False)


def _report(form, token: str, name: str, unit: str, *, dry_run: bool):
    try:
        report = imports.run(
            current_user, uploads.path(token, current_user.id), name, unit, dry_run=dry_run
        )
    except DomainError as error:
        uploads.drop(token, current_user.id)
        page = UploadForm(units.list_units(current_user), formdata=None, unit=unit)
        return render_template(
            "imports/page.html", form=page, report=None, error=error_message(error)
        ), error.status
    if report.written or report.errors:  # a file with errors is corrected and sent again
        uploads.drop(token, current_user.id)
    confirm_form = ConfirmForm(formdata=None, token=token, filename=name, unit=unit)
    return render_template(
        "imports/page.html",
        form=UploadForm(units.list_units(current_user), formdata=None, unit=unit),
        report=report,
        confirm=confirm_form if dry_run and not report.errors else None,
        render=render,
    )


@bp.route("/imports/template.xlsx")
def template():
    """The import template."""
    return xlsx_response(import_template.template(), "mau-nhap-ho")


@bp.route("/exports/households")
def export_households():
    """The households of the list's filters, as xlsx or CSV."""
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    given = {k: v for k, v in request.args.items() if k != "format"}
    try:
        query = load_typed(HouseholdExportArgs(), given)
    except DomainError as error:
        abort(422, error_message(error))
    return spreadsheet_response(exports.household_sheets(current_user, **query), fmt, "ho")
