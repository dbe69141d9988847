"""Spreadsheet downloads for the API and the pages: xlsx from a temporary file, CSV streamed."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, send_file, stream_with_context

from caseflow.services.spreadsheets import CSV_TYPE, XLSX_TYPE, Sheet, csv_lines, xlsx


def spreadsheet_response(sheets: Sequence[Sheet], fmt: str, name: str) -> Response:
    """Return the sheets as an xlsx download, or the first one as CSV, streamed."""
    if fmt == "csv":
        return Response(
            stream_with_context(csv_lines(sheets[0])),
            mimetype=CSV_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return send_file(
        xlsx(sheets), mimetype=XLSX_TYPE, as_attachment=True, download_name=f"{name}.xlsx"
    )
