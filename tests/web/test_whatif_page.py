"""The what-if page: counts now and under 2027-2030 side by side, a chart, the changes, the
downloads; refusals as pages in Vietnamese."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from caseflow.services import whatif_table
from tests.web.support import unlabelled
from tests.whatif_support import NEW, four_households


def cells(html: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table class="rows" id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_page_shows_both_standards_side_by_side(pages, api_as) -> None:
    four_households(api_as)
    pages.login("worker")

    page = pages.get("/reports/what-if").text  # C1 and 2027-2030 by default

    assert cells(page, "what-if-counts") == [
        ["Hộ nghèo", "1", "1–2"],
        ["Hộ cận nghèo", "0", "0–1"],
        ["Hộ có mức sống trung bình", "1", "1"],
        ["Hộ không nghèo (trên mức sống trung bình)", "1", "0"],
    ]
    assert '<title id="chart-what-if">' in page and page.count("<svg") == 1
    changes = cells(page, "what-if-changes")
    assert sorted(row[2:] for row in changes) == [
        ["Hộ có mức sống trung bình", "Hộ cận nghèo hoặc Hộ nghèo"],
        ["Hộ không nghèo (trên mức sống trung bình)", "Hộ có mức sống trung bình"],
    ]
    assert "1 hộ có thể rơi vào một trong hai loại" in page
    assert unlabelled(page) == []


def test_an_officer_asks_for_another_unit(pages, api_as) -> None:
    four_households(api_as)
    pages.login("officer")

    page = pages.get(f"/reports/what-if?unit=C2&standard={NEW}").text

    assert cells(page, "what-if-counts")[1] == ["Hộ cận nghèo", "0", "1"]


def test_the_page_downloads_the_changes_as_xlsx(pages, api_as) -> None:
    four_households(api_as)
    pages.login("worker")

    response = pages.get(f"/reports/what-if/download?unit=C1&standard={NEW}&format=xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    response.close()
    assert [sheet.title for sheet in book.worksheets] == ["Hộ thay đổi phân loại", "Tổng hợp"]
    assert len(list(book.worksheets[0].iter_rows(values_only=True))) == 3


def test_an_unknown_standard_is_a_page_saying_so(pages, api_as) -> None:
    pages.login("worker")

    response = pages.get("/reports/what-if?unit=C1&standard=2031")

    assert response.status_code == 422
    assert "Không có chuẩn nghèo &#39;2031&#39;" in response.text


def test_a_unit_outside_the_readers_units_is_refused(pages, api_as) -> None:
    pages.login("worker")

    response = pages.get(f"/reports/what-if?unit=C2&standard={NEW}")

    assert response.status_code == 422


def test_the_page_warns_when_the_classes_were_worked_out_from_every_survey(
    pages, api_as, clean
) -> None:
    four_households(api_as)
    pages.login("worker")

    streamed = pages.get(f"/reports/what-if?unit=C1&standard={NEW}").text
    with clean.app_context():
        whatif_table.rebuild()
    stored = pages.get(f"/reports/what-if?unit=C1&standard={NEW}").text

    assert 'data-warning="whatif_not_built"' in streamed
    assert "caseflow report rebuild" in streamed and "chưa được lưu sẵn" in streamed
    assert 'data-warning="whatif_not_built"' not in stored
    assert cells(stored, "what-if-counts") == cells(streamed, "what-if-counts")
