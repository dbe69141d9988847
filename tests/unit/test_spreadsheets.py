"""Lists written as spreadsheets keep their values, and no text becomes a formula."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from caseflow.services.spreadsheets import Sheet, csv_lines, xlsx

ROWS = [
    ["Nguyễn Thị Hoa", 1_500_000, date(2026, 9, 5), True],
    ['=HYPERLINK("http://x")', -5, None, False],
    ["+84 912", "@SUM(A1)", "-x", ""],
]


def test_an_xlsx_keeps_texts_numbers_and_dates_and_runs_no_formula() -> None:
    with xlsx([Sheet("Hộ", ["Họ và tên", "Thu nhập", "Ngày", "Có"], ROWS)]) as file:
        book = load_workbook(file)
    page = book["Hộ"]
    values = [[cell.value for cell in row] for row in page.iter_rows(min_row=2)]
    assert values[0][:2] == ["Nguyễn Thị Hoa", 1_500_000]
    assert values[0][2].date() == date(2026, 9, 5)
    assert values[1][0] == '=HYPERLINK("http://x")'
    assert page["A3"].data_type == "s"
    assert [page["A4"].data_type, page["B4"].data_type] == ["s", "s"]


def test_a_csv_starts_with_a_bom_and_quotes_what_looks_like_a_formula() -> None:
    text = "".join(csv_lines(Sheet("Hộ", ["Họ và tên", "Thu nhập", "Ngày", "Có"], ROWS)))
    lines = text.splitlines()
    assert lines[0] == "\ufeffHọ và tên,Thu nhập,Ngày,Có"
    assert lines[1] == "Nguyễn Thị Hoa,1500000,05/09/2026,x"
    assert lines[2] == '"\'=HYPERLINK(""http://x"")",-5,,'
    assert lines[3] == "'+84 912,'@SUM(A1),'-x,"
