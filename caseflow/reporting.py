"""A report as the caller asked for it: JSON (the view's), or an xlsx or CSV download.

The JSON API, the pages' download buttons and `caseflow report` answer files this way.
"""

from __future__ import annotations

from flask import Response, send_file

from caseflow.services.report_sheets import sheet
from caseflow.services.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx


def file_response(kind: str, report: dict, fmt: str) -> Response:
    """Return the report of `kind` as an xlsx or CSV download named after the unit and day."""
    name = f"{kind}-{report['unit']}-{report.get('as_of') or report.get('to')}"
    if fmt == "xlsx":
        return send_file(
            xlsx([sheet(kind, report)]),
            mimetype=XLSX_TYPE,
            as_attachment=True,
            download_name=f"{name}.xlsx",
        )
    return Response(
        csv_lines(sheet(kind, report)),
        mimetype=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
