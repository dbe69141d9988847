"""Spreadsheet downloads for the API and the pages: xlsx from a temporary file, CSV streamed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO

from flask import Response, stream_with_context

from caseflow.services.spreadsheets import CSV_TYPE, XLSX_TYPE, Sheet, csv_lines, xlsx


def spreadsheet_response(sheets: Sequence[Sheet], fmt: str, name: str) -> Response:
    """Return the sheets as an xlsx download, or the first one as CSV, streamed."""
    if fmt == "csv":
        return Response(
            stream_with_context(csv_lines(sheets[0])),
            mimetype=CSV_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return xlsx_response(xlsx(sheets), name)


def xlsx_response(file: IO[bytes], name: str) -> Response:
    """Return an open xlsx file as a download, closed once sent (or once the answer is gone)."""
    return Response(
        _chunks(file),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


def _chunks(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while chunk := file.read(1 << 16):
            yield chunk
