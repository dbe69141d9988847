"""Reports that go up: a unit's list with their due days, and each report as a document whose
figures are the existing reports' for its period (the hand-counted history of reports_support)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from caseflow import clock
from tests.factories import assert_error, at
from tests.reports_support import known_history, report


def _listing(api, who="officer", **query):
    response = api.get("/reports/up", who, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def _workbook(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200, response.data[:300]
    content = response.data
    response.close()
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: list(sheet.values) for sheet in book.worksheets}


def test_a_communes_year_lists_its_reports_with_their_last_days(api) -> None:
    found = _listing(api, unit="C1", year=2025)

    assert found["unit"] == "C1" and found["year"] == 2025
    days = [(r["key"], r["month"], r["due_on"]) for r in found["reports"]]
    monthly = [("monthly", m, date(2025, m, 5).isoformat()) for m in range(2, 10)]
    assert days == [*monthly, ("preliminary", None, "2025-11-14"), ("official", None, "2025-12-19")]
    march = found["reports"][1]
    assert (march["from"], march["to"]) == ("2025-02-01", "2025-02-28")
    assert march["name"].startswith("Báo cáo kết quả rà soát thường xuyên")
    assert march["receiver"] == "province"
    assert {r["status"] for r in found["reports"]} == {"past"}  # all of 2025 is behind today


def test_the_year_defaults_to_this_one_and_a_province_sends_nothing_up(api) -> None:
    assert _listing(api, unit="C1")["year"] == clock.today().year
    assert _listing(api, unit="P")["reports"] == []


def test_a_unit_outside_the_callers_units_is_refused(api) -> None:
    response = api.get("/reports/up", "outsider", query_string={"unit": "C1", "year": 2025})
    assert_error(response, 422, "invalid_fields", {"unit"})


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"unit": "C1", "year": 2025, "month": 11}, {"month"}),
        ({"unit": "C1", "year": 2025}, {"month"}),
        ({"unit": "C1", "year": 2025, "month": 13}, {"month"}),
        ({"unit": "C1", "year": "last"}, {"year"}),
        ({"unit": "C1", "year": 2025, "month": 4, "format": "pdf"}, {"format"}),
        ({"unit": "P", "year": 2025, "month": 4}, {"unit"}),
        ({"unit": "C1-V1", "year": 2025, "month": 4}, {"unit"}),
    ],
)
def test_a_wrong_month_year_or_format_is_refused_naming_it(api, query, fields) -> None:
    response = api.get("/reports/up/monthly", "officer", query_string=query)
    assert_error(response, 422, "invalid_fields", fields)


def test_an_unknown_report_is_not_found(api) -> None:
    response = api.get("/reports/up/weekly", "officer", query_string={"unit": "C1"})
    assert response.status_code == 404


def test_a_report_whose_period_has_not_begun_has_no_document(api) -> None:
    next_year = clock.today().year + 1
    response = api.get(
        "/reports/up/official", "officer", query_string={"unit": "C1", "year": next_year}
    )
    assert_error(response, 422, "invalid_fields", {"year"})


def test_the_monthly_documents_figures_are_the_reports_for_the_month_before(api) -> None:
    known_history(api)
    query = {"unit": "C1", "year": 2025, "month": 4, "format": "xlsx"}

    sheets = _workbook(api.get("/reports/up/monthly", "officer", query_string=query))

    units = _workbook(
        api.get("/reports/units", "officer", query_string={**query, "as_of": "2025-03-31"})
    )
    flows = _workbook(
        api.get(
            "/reports/flows",
            "officer",
            query_string={"unit": "C1", "from": "2025-03-01", "to": "2025-03-31", "format": "xlsx"},
        )
    )
    assert sheets["Bảng đơn vị"] == units["Bảng đơn vị"]
    assert sheets["Biến động"] == flows["Biến động"]
    heading = dict(sheets["Báo cáo"][1:])
    assert heading["Đơn vị báo cáo"] == "Xã Hải Đông"
    assert heading["Kỳ báo cáo"] == "tháng 03/2025"
    assert heading["Nơi nhận"] == "Tỉnh Nam Định"
    assert heading["Hạn gửi"].date() == date(2025, 4, 5)


def test_the_printed_document_has_its_heading_figures_and_signatures(api) -> None:
    known_history(api)
    flows = report(api, "flows", unit="C1", **{"from": "2025-01-01", "to": "2025-11-14"})
    assert flows["entered"]["near_poor"] == 1

    response = api.get(
        "/reports/up/preliminary", "officer", query_string={"unit": "C1", "year": 2025}
    )

    assert response.status_code == 200
    page = response.text
    assert '<html lang="vi">' in page
    assert "Báo cáo sơ bộ kết quả rà soát hộ nghèo, hộ cận nghèo định kỳ" in page
    assert "XÃ HẢI ĐÔNG" in page and "Kính gửi: Ủy ban nhân dân Tỉnh Nam Định" in page
    assert "từ ngày 01/01/2025 đến ngày 14/11/2025" in page
    assert 'Hộ cận nghèo mới</td><td class="amount">1<' in page
    assert "Người lập báo cáo" in page and "TM. Ủy ban nhân dân" in page


def test_each_report_says_whether_it_is_upcoming_due_or_past(api) -> None:
    with clock.frozen_at(at(date(2026, 4, 3))):
        found = _listing(api, unit="W1", year=2026)

    status = {(r["key"], r["month"]): (r["status"], r["printable"]) for r in found["reports"]}
    assert status[("monthly", 3)] == ("past", True)
    assert status[("monthly", 4)] == ("due", True)  # reminded from 2 April
    assert status[("monthly", 5)] == ("upcoming", True)  # April, its period, has begun
    assert status[("monthly", 6)] == ("upcoming", False)
    assert status[("official", None)] == ("upcoming", True)
