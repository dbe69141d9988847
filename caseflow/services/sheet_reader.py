"""Reading an uploaded workbook or CSV file, row by row, without holding it in memory.

xlsx is opened as openpyxl's read-only mode opens it (the sheets, the shared strings, which
styles are dates); its rows are streamed from the zip by `_sheet_rows` (lxml), each row dropped once
read, formula cells as their cached values. CSV is UTF-8 with or without a BOM, comma or
semicolon. Each sheet is read as often as the import needs it, from the start.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from lxml import etree
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601

from caseflow.domain.errors import N_, DomainError
from caseflow.domain.sheet_format import HOUSEHOLDS

#: the first bytes of a zip (xlsx) and of an OLE compound file (xls, or an encrypted xlsx)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is"
_TEXT, _PHONETIC = f"{_MAIN}t", f"{_MAIN}rPh"


#: what openpyxl and zipfile raise on a damaged workbook
BROKEN = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError, etree.LxmlError)


class FileRefused(DomainError):
    """The file cannot be read as an import: not xlsx or CSV, protected or broken."""

    code = "bad_file"
    status = 422


class Source:
    """A file to import: its rows by sheet, read again from the start each time."""

    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self._book = None
        with path.open("rb") as file:
            head = file.read(8)
        if head.startswith(ZIP_MAGIC):
            self.kind = "xlsx"
            self._check_workbook()
        elif head.startswith(OLE_MAGIC):
            raise FileRefused(
                N_(
                    "The workbook is password-protected or in the old .xls format: remove the "
                    "password, or save it as .xlsx, and upload it again."
                )
            )
        else:
            self.kind = "csv"
            self._check_text()

    def __enter__(self) -> Source:
        if self.kind == "xlsx":
            self._file = self.path.open("rb")  # a file, not a name: no check of its extension
            try:
                self._book = _load(self._file)
            except BROKEN as error:
                self._file.close()
                raise _damaged() from error
            except BaseException:
                self._file.close()
                raise
        return self

    def __exit__(self, *exc) -> None:
        if self._book is not None:
            self._book.close()
            self._file.close()
            self._book = None

    def sheets(self) -> list[str]:
        """Return the titles of the file's sheets (a CSV file holds the sheet `Hộ`)."""
        if self.kind == "csv":
            return [HOUSEHOLDS]
        return list(self._book.sheets)

    def rows(self, title: str) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, cell values) of a sheet, from row 1 (inside `with source:`)."""
        if self.kind == "csv":
            yield from self._csv_rows()
            return
        try:
            yield from _sheet_rows(self._book, title)
        except (*BROKEN, IndexError) as error:  # a sheet's XML damaged past its first rows
            raise _damaged() from error

    def _check_workbook(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile("no workbook")
        except BROKEN as error:
            raise _damaged() from error

    def _check_text(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        with self.path.open("rb") as file:
            try:
                while chunk := file.read(1 << 16):
                    if b"\x00" in chunk:
                        raise UnicodeDecodeError("utf-8", chunk, 0, 1, "NUL byte")
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise FileRefused(
                    N_("The file is neither an .xlsx workbook nor a CSV file in UTF-8.")
                ) from error

    def _csv_rows(self) -> Iterator[tuple[int, tuple]]:
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            first = text.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(_chain(first, text), delimiter=delimiter)
            for number, values in enumerate(reader, start=1):
                yield number, tuple(values)


def _damaged() -> FileRefused:
    return FileRefused(
        N_("The workbook is damaged or is not an .xlsx file; save it again and retry.")
    )


@dataclass
class _Book:
    """What the rows of a workbook are read with: its zip, sheets, strings and date styles."""

    archive: zipfile.ZipFile
    #: each worksheet's path in the zip, by title
    sheets: dict[str, str]
    strings: list
    epoch: object
    dates: set[int]
    spans: set[int]

    def close(self) -> None:
        self.archive.close()


def _load(file) -> _Book:
    """Read what openpyxl's read-only `load_workbook` reads, but the worksheets: it would
    parse each whole sheet to find its size when the sheet does not say it (our exports,
    written by openpyxl's write-only mode, do not), and we read no sizes."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(file, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    book = reader.wb
    apply_stylesheet(reader.archive, book)
    sheets = {
        sheet.name: relation.target
        for sheet, relation in reader.parser.find_sheets()
        if relation.target in reader.valid_files and "chartsheet" not in relation.Type
    }
    return _Book(
        reader.archive,
        sheets,
        reader.shared_strings,
        book.epoch,
        set(book._date_formats),
        set(book._timedelta_formats),
    )


def _sheet_rows(book: _Book, title: str) -> Iterator[tuple[int, tuple]]:
    """Yield (row number, cell values) of a read-only sheet, each row dropped once read.

    Not `sheet.iter_rows()`: openpyxl keeps every row element it has read attached to the
    sheet until the end (58 bytes a row, 20 MB for 350,000 members: memory grew with the
    file), and reads an inline string through its object model (half the reading time of
    the members sheet). The cell types are ECMA-376's (18.18.11): shared and inline strings,
    a formula's string, booleans, errors, ISO dates, and numbers that a date style makes dates.
    """
    strings, epoch, dates, spans = book.strings, book.epoch, book.dates, book.spans
    number = 0
    with book.archive.open(book.sheets[title]) as source:
        for _, row in etree.iterparse(source, tag=_ROW, resolve_entities=False, no_network=True):
            number = int(float(row.get("r") or number + 1))
            values: list = []
            for cell in row.iterchildren(_CELL):
                place = cell.get("r")
                if place:  # a cell may be skipped: its column says where this one is
                    column = _column(place.rstrip("0123456789"))
                    values.extend([None] * (column - 1 - len(values)))
                kind = cell.get("t")
                if kind == "inlineStr":
                    values.append(_inline(cell))
                else:
                    values.append(_value(cell, kind, strings, dates, spans, epoch))
            yield number, tuple(values)
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]


def _inline(cell) -> str | None:
    """An inline string: its text runs, without the phonetic ones (one run, most often)."""
    for text in cell.iterchildren(_INLINE):
        if len(text) == 1 and text[0].tag == _TEXT:
            return text[0].text or ""
        return "".join(t.text or "" for t in text.iter(_TEXT) if t.getparent().tag != _PHONETIC)
    return None


def _value(cell, kind, strings, dates, spans, epoch):
    value = cell.findtext(_VALUE)
    if not value:
        return None
    if kind is None or kind == "n":
        number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        style = cell.get("s")
        if style is None or int(style) not in dates:
            return number
        try:
            return from_excel(number, epoch, timedelta=int(style) in spans)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl reads a date beyond the calendar
    if kind == "s":
        return strings[int(value)]
    if kind == "b":
        return value == "1"
    if kind == "d":
        return from_ISO8601(value)
    return value  # "str" (a formula's text) and "e" (an error such as #DIV/0!)


@functools.lru_cache(maxsize=256)
def _column(letters: str) -> int:
    return column_index_from_string(letters)


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
