"""The workbook reader: every kind of cell a spreadsheet program writes, read as openpyxl reads
it, a row at a time, each row dropped once read."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from caseflow.services.sheet_reader import FileRefused, Source

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _with_sheet(tmp_path: Path, rows_xml: str) -> Path:
    """A workbook (made by openpyxl: its styles say style 1 is a date) whose first sheet's
    rows are `rows_xml`, as another program could write them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Hộ"
    sheet["A1"] = "x"
    sheet["B1"] = date(2020, 1, 1)  # style 1: a date
    made = tmp_path / "made.xlsx"
    book.save(made)
    out = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                    f"<sheetData>{rows_xml}</sheetData></worksheet>"
                ).encode()
            dst.writestr(item, data)
    return out


def _rows(path: Path, title: str = "Hộ") -> list:
    with Source(path, path.name) as source:
        return list(source.rows(title))


def test_every_kind_of_cell_reads_as_its_value(tmp_path):
    path = _with_sheet(
        tmp_path,
        '<row r="1">'
        '<c r="A1" t="inlineStr"><is><r><t>Nguyễn </t></r><r><t>Văn A</t></r>'
        "<rPh><t>phonetic</t></rPh></is></c>"
        '<c r="C1" t="b"><v>1</v></c>'
        '<c r="D1" t="e"><v>#DIV/0!</v></c>'
        '<c r="E1" t="str"><f>A1&amp;"!"</f><v>Nguyễn Văn A!</v></c>'
        '<c r="F1" s="1"><v>45931</v></c>'
        '<c r="G1" t="d"><v>2026-02-28T00:00:00</v></c>'
        '<c r="H1"><v>1500000</v></c><c r="I1"><v>1.5E3</v></c>'
        '<c r="J1"><f>1+1</f><v>2</v></c>'
        "</row>"
        '<row r="4"><c r="B4" t="inlineStr"><is><t>after a gap</t></is></c><c r="C4"/></row>'
        '<row><c t="inlineStr"><is><t>no place given</t></is></c><c><v>7</v></c></row>',
    )
    assert _rows(path) == [
        (
            1,
            (
                "Nguyễn Văn A",
                None,
                True,
                "#DIV/0!",
                "Nguyễn Văn A!",
                datetime(2025, 10, 1),
                datetime(2026, 2, 28),
                1_500_000,
                1500.0,
                2,
            ),
        ),
        (4, (None, "after a gap", None)),
        (5, ("no place given", 7)),
    ]


def test_a_workbook_as_openpyxl_writes_it_reads_as_openpyxl_reads_it(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Hộ"
    rows = [
        ["Mã hộ", "Họ tên", "Ngày sinh", "Thu nhập", "Có"],
        ["HD-1", "Trần Thị B", date(1980, 2, 29), "1.500.000", False],
        [None, None, None, None, None],
        ["HD-2", "=cộng", datetime(2026, 12, 3, 7, 30), 2.25, True],
    ]
    for row in rows:
        sheet.append(row)
    path = tmp_path / "book.xlsx"
    book.save(path)  # shared strings, date styles
    expected = load_workbook(path, read_only=True, data_only=True)["Hộ"]
    assert [_trimmed(values) for _, values in _rows(path)] == [
        _trimmed(row) for row in expected.iter_rows(values_only=True)
    ]


def _trimmed(values: tuple) -> tuple:
    """The values without the empty cells openpyxl pads a row with to the sheet's width."""
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def test_a_sheet_damaged_past_its_first_rows_is_refused(tmp_path):
    path = _with_sheet(tmp_path, '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c')
    with pytest.raises(FileRefused) as refused:
        _rows(path)
    assert refused.value.code == "bad_file"


def test_reading_a_long_sheet_holds_one_row_at_a_time(tmp_path):
    def peak(count: int) -> int:
        cells = "".join(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>HD-{n}</t></is></c>'
            f'<c r="B{n}" s="1"><v>{30000 + n % 1000}</v></c></row>'
            for n in range(1, count + 1)
        )
        path = _with_sheet(tmp_path, cells)
        with Source(path, path.name) as source:
            tracemalloc.start()
            try:
                seen = sum(1 for _ in source.rows("Hộ"))
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
                assert seen == count

    small, large = peak(2_000), peak(40_000)
    # openpyxl's own rows keep every row read (58 bytes each: 2.2 MB more here)
    assert large - small < 500_000, (small, large)
