"""The file format of imports and exports: headers, choice words, cells as typed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseflow.domain.sheet_format import (
    HOUSEHOLD_SHEET,
    MEMBER_SHEET,
    blank_row,
    cell_value,
    letter,
    match_headers,
)


@pytest.mark.parametrize(("index", "name"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index, name):
    assert letter(index) == name


def test_headers_match_without_accents_case_or_the_required_mark():
    headers = ["ma ho", "HỌ VÀ TÊN CHỦ HỘ*", "Mã đơn vị", None]
    columns, problems = match_headers(HOUSEHOLD_SHEET, headers)
    assert [c.field for c in columns.values()] == ["code", "head_name", "unit_code"]
    assert problems == []


def test_a_misspelt_header_is_named_with_what_was_expected():
    columns, problems = match_headers(HOUSEHOLD_SHEET, ["Mã hộ", "Họ tên chủ hộ", "Mã đơn vị"])
    unknown, missing = problems
    assert (unknown.column, unknown.problem, unknown.header) == ("B", "unknown", "Họ tên chủ hộ")
    assert "Họ và tên chủ hộ*" in unknown.expected
    assert (missing.problem, missing.header) == ("missing", "Họ và tên chủ hộ*")


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (datetime(2026, 3, 5, 0, 0), date(2026, 3, 5)),
        (1500000.0, "1500000"),
        (36080001234, "36080001234"),
        ("  ", None),
        (True, "x"),
        ("Nam ", "Nam"),
    ],
)
def test_cells_are_read_as_typed_text_or_dates(value, read):
    assert cell_value(value) == read


@pytest.mark.parametrize(
    ("word", "code"), [("Nữ", "female"), ("nu", "female"), ("female", "female"), ("Bà", None)]
)
def test_choice_words_ignore_accents_and_case(word, code):
    assert MEMBER_SHEET.column("sex").code(word) == code


def test_trailing_empty_rows_are_blank():
    assert blank_row((None, "", "  "))
    assert not blank_row((None, 0))
