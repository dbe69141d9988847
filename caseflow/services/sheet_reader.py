"""Reading an uploaded workbook or CSV file, row by row, without holding it in memory.

xlsx is read with openpyxl's read-only mode (cells streamed from the zip, shared strings,
formula cells as their cached values); CSV is UTF-8 with or without a BOM, comma or
semicolon. Each sheet is read as often as the import needs it, from the start.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import ParseError

from caseflow.domain.errors import N_, DomainError
from caseflow.domain.sheet_format import HOUSEHOLDS

#: the first bytes of a zip (xlsx) and of an OLE compound file (xls, or an encrypted xlsx)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


#: what openpyxl and zipfile raise on a damaged workbook
BROKEN = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, ParseError)


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
        return list(self._book.sheetnames)

    def rows(self, title: str) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, cell values) of a sheet, from row 1 (inside `with source:`)."""
        if self.kind == "csv":
            yield from self._csv_rows()
            return
        sheet = self._book[title]
        sheet.reset_dimensions()  # LibreOffice and others may write a wrong dimension
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)

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


def _load(file):
    from openpyxl import load_workbook

    return load_workbook(file, read_only=True, data_only=True)


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield first
    yield from rest
