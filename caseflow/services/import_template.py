"""The import template: the sheets and headers of the file format, an example row on each,
drop-down lists on choice columns, and a guide sheet explaining every column in Vietnamese."""

from __future__ import annotations

import tempfile
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from caseflow.domain.sheet_format import (
    GUIDE,
    HOUSEHOLD_SHEET,
    MEMBER_SHEET,
    SheetFormat,
    letter,
)
from caseflow.services.definitions import standards
from caseflow.services.import_rows import surveys_format
from caseflow.services.spreadsheets import DATE_FORMAT

#: rows of a template sheet that carry a drop-down list
VALIDATED_ROWS = 5000


def template() -> IO[bytes]:
    """Write the template to a temporary xlsx file; return it open at its start."""
    book = Workbook()
    book.remove(book.active)
    sheets = [HOUSEHOLD_SHEET, MEMBER_SHEET, surveys_format(standards())[0]]
    for sheet in sheets:
        _sheet(book, sheet)
    _guide(book, sheets)
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the caller reads it, then closes it
    book.save(file)
    file.seek(0)
    return file


def _sheet(book: Workbook, sheet: SheetFormat) -> None:
    page = book.create_sheet(sheet.title)
    page.append(sheet.headers)
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.append([column.example for column in sheet.columns])
    page.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns):
        name = letter(index)
        page.column_dimensions[name].width = max(12, len(column.title) + 2)
        if column.kind == "date" or column.kind == "birth":
            page.cell(row=2, column=index + 1).number_format = DATE_FORMAT
        if column.choices and column.kind == "choice":
            words = ",".join(word for word, _ in column.choices)
            check = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
            check.error = "Chọn một giá trị trong danh sách: " + words.replace(",", ", ")
            check.add(f"{name}2:{name}{VALIDATED_ROWS}")
            page.add_data_validation(check)


def _guide(book: Workbook, sheets: list[SheetFormat]) -> None:
    page = book.create_sheet(GUIDE)
    page.append(["Trang", "Cột", "Bắt buộc", "Nội dung"])
    for cell in page[1]:
        cell.font = Font(bold=True)
    page.append(
        [
            "",
            "",
            "",
            "Dòng 1 là tiêu đề (cột có dấu * là bắt buộc); mỗi dòng sau là một hộ, một thành "
            "viên hoặc một phiếu khảo sát. Ngày ghi dd/mm/yyyy hoặc ô kiểu ngày; ô có/không ghi "
            "x, 1 hoặc có. Tệp CSV chỉ chứa trang Hộ (UTF-8, dấu phẩy hoặc chấm phẩy).",
        ]
    )
    for sheet in sheets:
        for column in sheet.columns:
            page.append([sheet.title, column.header, "x" if column.required else "", column.help])
    for name, width in zip("ABCD", (12, 40, 10, 100), strict=True):
        page.column_dimensions[name].width = width
