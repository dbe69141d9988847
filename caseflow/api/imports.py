"""Imports: the template, and a workbook or CSV file checked (dry run) or imported."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import jsonify, request

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.downloads import spreadsheet_response, xlsx_response
from caseflow.limits import accepts_upload
from caseflow.schemas.imports import (
    ExportArgs,
    HouseholdExportArgs,
    ImportArgs,
    ImportReportSchema,
    no_file,
)
from caseflow.services import exports, import_template, imports

blp = Blueprint("imports", __name__, description="Import households and surveys from Excel")


@blp.route("/imports/template.xlsx", methods=["GET"])
@blp.response(200, description="the template workbook")
def template():
    """The import template: the sheets and headers, an example row each, a guide sheet."""
    actor()
    return xlsx_response(import_template.template(), "mau-nhap-ho")


@blp.route("/imports", methods=["POST"])
@accepts_upload
@blp.arguments(ImportArgs, location="form")
@blp.response(200, ImportReportSchema)
@blp.alt_response(
    422,
    description="the ImportReport, when rows have errors (nothing was written); the error "
    "envelope for a refused file or form",
)
def create(args):
    """Check a file (`dry_run`, the default) or import it, all or nothing."""
    upload = request.files.get("file") or no_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        upload.save(path)
        report = imports.run(
            actor(), path, upload.filename or "", args["unit_code"], dry_run=args["dry_run"]
        )
    body = ImportReportSchema().dump(report)
    return (jsonify(body), 422) if report.errors and not report.dry_run else body


@blp.route("/households/export", methods=["GET"])
@blp.arguments(HouseholdExportArgs, location="query")
@blp.response(200, description="the households as xlsx (three sheets) or CSV (sheet Hộ)")
def export_households(args):
    """The households of the list's filters, in the import's format (an export imports back)."""
    fmt = args.pop("format")
    return spreadsheet_response(exports.household_sheets(actor(), **args), fmt, "ho")


@blp.route("/exports/<any(assessments, history):kind>", methods=["GET"])
@blp.arguments(ExportArgs, location="query")
@blp.response(200, description="a unit's surveys or history as xlsx or CSV")
def export_list(args, kind):
    """A unit's surveys or history, as xlsx or CSV."""
    sheets = exports.sheets_of(actor(), kind, unit=args["unit"])
    return spreadsheet_response(sheets, args["format"], kind)
