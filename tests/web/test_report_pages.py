"""The reports' pages: a table, an SVG chart and the downloads, as of the day asked; the page of
a unit's population count and targets."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.reports_support import D1, D3, known_history


@pytest.fixture
def history(pages, api_as):
    known_history(api_as)
    pages.login("officer")
    return pages


@pytest.mark.parametrize("kind", ["units", "flows", "deprivations", "coverage", "overdue"])
def test_each_report_page_has_a_table_a_chart_and_downloads(history, kind) -> None:
    page = history.get(f"/reports/{kind}?unit=P").text

    assert "<table" in page and "<svg" in page
    assert f"/reports/{kind}?unit=P&amp;format=xlsx" in page
    assert f"/reports/{kind}?unit=P&amp;format=csv" in page


def test_the_units_page_shows_the_child_units_as_of_the_day(history) -> None:
    page = history.get(f"/reports/units?unit=P&as_of={D3.isoformat()}").text

    assert "Xã Hải Đông" in page and "33,3%" in page
    assert 'id="chart-years"' in page  # the rates by year, as lines


def test_a_day_before_any_history_says_so(history) -> None:
    page = history.get("/reports/units?unit=P&as_of=2024-01-01").text

    assert 'data-warning="before_history"' in page


def test_the_units_download_is_an_xlsx_with_the_rows(history) -> None:
    response = history.get(f"/reports/units?unit=P&as_of={D3.isoformat()}&format=xlsx")

    assert response.status_code == 200
    content = response.data
    response.close()  # the file the response streamed from
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
    assert rows[1][:6] == ("C1", "Xã Hải Đông", 3, None, 1, 1)
    assert rows[1][6] == pytest.approx(33.33)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("unit=C2", "Không có đơn vị &#39;C2&#39;."),
        ("unit=C1&from=2999-01-01&to=2999-02-01", "Ngày không được ở tương lai."),
        (f"unit=C1&from={D3.isoformat()}&to={D1.isoformat()}", "Kỳ báo cáo bắt đầu"),
    ],
)
def test_a_wrong_query_is_a_page_saying_why(pages, api_as, query, reason) -> None:
    pages.login("worker")

    response = pages.get(f"/reports/flows?{query}")

    assert response.status_code == 422
    said = response.text.split('role="alert">')[1].split("</p>")[0]
    assert reason in said
    assert said.count(reason) == 1  # said once, in Vietnamese, with no English after it
    assert "Unknown" not in said and " is after " not in said


def test_an_officer_records_a_population_count_that_the_rates_then_use(history) -> None:
    saved = history.post("/reports/figures/C1", {"year": "2025", "households": "10"})

    assert saved.status_code == 302
    assert "<td>2025</td><td>10</td>" in history.get("/reports/figures/C1").text
    page = history.get(f"/reports/units?unit=C1&as_of={D3.isoformat()}").text
    assert "10,0%" in page


def test_figures_are_read_as_people_type_them(history) -> None:
    saved = history.post(
        "/reports/figures/C1", {"year": "2025", "households": "1.500", "target_points": "-1,5"}
    )

    assert saved.status_code == 302
    page = history.get("/reports/figures/C1").text
    assert "<td>2025</td><td>1.500</td>" in page or "<td>2025</td><td>1500</td>" in page
    row = page.split("<td>2025</td>")[1].split("</tr>")[0]
    assert "1,5" in row, row


def test_a_population_of_none_is_refused_in_vietnamese(history) -> None:
    refused = history.post("/reports/figures/C1", {"year": "2025", "households": "0"})

    assert refused.status_code == 422
    assert "ít nhất một hộ" in refused.text
    assert "Must be" not in refused.text


def test_a_population_below_the_registered_households_is_a_warning(history) -> None:
    history.post("/reports/figures/C1", {"year": "2025", "households": "2"})

    page = history.get(f"/reports/units?unit=P&as_of={D3.isoformat()}").text

    assert 'data-warning="population_below_registered"' in page


def test_a_case_worker_may_not_record_figures(pages) -> None:
    pages.login("worker")

    assert pages.get("/reports/figures/C1").status_code == 403
