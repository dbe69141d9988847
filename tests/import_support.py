"""Import files for tests: workbooks written with openpyxl, CSV files, by header."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

from caseflow.domain.sheet_format import HOUSEHOLD_SHEET, MEMBER_SHEET, survey_sheet
from caseflow.domain.standards import INDICATOR_KEYS

SURVEY_SHEET = survey_sheet([(key, key) for key in INDICATOR_KEYS])


def household(code: str = "HN-1", **values) -> dict:
    return {
        "Mã hộ": code,
        "Họ và tên chủ hộ": "Nguyễn Văn An",
        "Mã đơn vị": "C1-V1",
        "Thôn/Tổ": "Đông Hải",
        **values,
    }


def member(code: str = "HN-1", **values) -> dict:
    return {
        "Mã hộ": code,
        "Họ và tên": "Nguyễn Văn An",
        "Ngày sinh": date(1980, 3, 5),
        "Giới tính": "Nam",
        "Quan hệ với chủ hộ": "Chủ hộ",
        **values,
    }


def survey(code: str = "HN-1", deprived=("employment", "health_insurance", "water"), **values):
    return {
        "Mã hộ": code,
        "Ngày khảo sát": date(2026, 10, 1),
        "Thu nhập bình quân (đồng/người/tháng)": 1_200_000,
        **{key: "x" for key in deprived},
        **values,
    }


def workbook(path: Path, households=(), members=(), surveys=(), *, headers=None) -> Path:
    """Write an import workbook; `headers` overrides a sheet's header row by title."""
    book = Workbook()
    book.remove(book.active)
    for sheet, rows in (
        (HOUSEHOLD_SHEET, households),
        (MEMBER_SHEET, members),
        (SURVEY_SHEET, surveys),
    ):
        if rows is None:
            continue
        page = book.create_sheet(sheet.title)
        titles = (headers or {}).get(sheet.title) or [c.title for c in sheet.columns]
        page.append(titles)
        for row in rows:
            by_header = {k.rstrip("*"): v for k, v in row.items()}
            page.append([by_header.get(t.rstrip("*")) for t in titles])
    book.save(path)
    return path
