"""A list or report as the download the caller asked for: xlsx (written to a temporary file,
then sent) or CSV (streamed a row at a time), both from caseflow.services.spreadsheets."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, send_file, stream_with_context

from caseflow.services.spreadsheets import CSV_TYPE, XLSX_TYPE, Sheet, csv_lines, xlsx


def sheet_response(sheets: Sequence[Sheet], fmt: str, filename: str) -> Response:
    """Return the sheets as an xlsx download, or the first one as a CSV download."""
    if fmt == "xlsx":
        return send_file(
            xlsx(sheets), mimetype=XLSX_TYPE, as_attachment=True, download_name=f"{filename}.xlsx"
        )
    response = Response(stream_with_context(csv_lines(sheets[0])), mimetype=CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
