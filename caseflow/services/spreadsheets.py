"""Lists written as spreadsheets: xlsx (openpyxl write-only) and CSV, streaming, safe to open.

Rows come from iterators and go to a temporary file (xlsx) or out as they are made (CSV), so
memory stays flat whatever the list's length. A text that begins like a formula (= + - @) is
kept as text, never run by the spreadsheet that opens it (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

#: what a spreadsheet reads as the start of a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
#: Excel's limit on a sheet's title
TITLE_LENGTH = 31


@dataclass
class Sheet:
    """One sheet: its title, its header row, and its rows (any iterable, read once)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]


def xlsx(sheets: Iterable[Sheet]) -> IO[bytes]:
    """Write the sheets to a temporary xlsx file; return it open at its start."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:TITLE_LENGTH])
        page.freeze_panes = "A2"
        page.append([_header(page, text) for text in sheet.headers])
        for row in sheet.rows:
            page.append([_cell(page, value) for value in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the caller reads it, then closes it
    book.save(file)
    file.seek(0)
    return file


def _header(page, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(page, value=text)
    cell.font = Font(bold=True)
    return cell


def _cell(page, value: object):
    if isinstance(value, str):
        cell = WriteOnlyCell(page, value=value)
        cell.data_type = "s"  # even "=1+1" stays the text it is
        return cell
    if isinstance(value, date | datetime):
        cell = WriteOnlyCell(page, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def csv_lines(sheet: Sheet, delimiter: str = ",") -> Iterator[str]:
    """Yield the sheet as CSV text, a row at a time, with a BOM so that Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    yield "\ufeff"
    for values in chain([sheet.headers], sheet.rows):
        writer.writerow([_text(value) for value in values])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text  # OWASP: a leading quote keeps it text in every spreadsheet
    return text
