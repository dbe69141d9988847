"""The import page (upload, the dry run's report, confirm, done) and the pages' downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_login import current_user

from caseflow.domain.errors import Conflict, DomainError
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
    name, unit = form.file.data.filename or "", form.unit.data
    try:
        path = uploads.path(token, current_user.id)
        report = imports.run(current_user, path, name, unit, dry_run=True)
    except DomainError as error:
        uploads.drop(token, current_user.id)
        return _refused(error, unit)
    if report.errors:  # a file with errors is corrected and sent again
        uploads.drop(token, current_user.id)
    return _shown(report, token, name, unit)


@bp.route("/imports/confirm", methods=["POST"])
def confirm():
    """Import the file checked by the dry run, kept on the server: all or nothing, once (a
    second confirmation, a double click or the back button, is told the file is imported)."""
    form = ConfirmForm()
    if not form.posted():
        abort(400)
    unit = form.unit.data
    try:
        taken = uploads.claim(form.token.data, current_user.id)
    except DomainError as error:
        return _refused(error, unit)
    try:
        report = imports.run(current_user, taken, form.filename.data, unit, dry_run=False)
    except DomainError as error:
        uploads.release(taken)
        return _refused(error, unit)
    except BaseException:
        uploads.put_back(taken)  # not the file's fault: it may be confirmed again
        raise
    if report.written:
        uploads.imported(taken)
    else:
        uploads.release(taken)
    return _shown(report, None, form.filename.data, unit)


def _refused(error: DomainError, unit: str):
    page = UploadForm(units.list_units(current_user), formdata=None, unit=unit)
    imported = isinstance(error, Conflict)  # its households are in the list
    return render_template(
        "imports/page.html", form=page, report=None, error=error_message(error), imported=imported
    ), error.status


def _shown(report, token: str | None, name: str, unit: str):
    """The report of a dry run (with its confirmation, when it has no errors) or an import."""
    confirm_form = ConfirmForm(formdata=None, token=token, filename=name, unit=unit)
    return render_template(
        "imports/page.html",
        form=UploadForm(units.list_units(current_user), formdata=None, unit=unit),
        report=report,
        confirm=confirm_form if report.dry_run and not report.errors else None,
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
