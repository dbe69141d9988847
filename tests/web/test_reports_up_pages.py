"""The page of a unit's reports that go up: in Vietnamese, each with its last day and links to
its printed page and its xlsx, for the people of the unit and the officers above it."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow import clock
from caseflow.services import deadlines, report_timers
from tests.factories import at
from tests.reports_support import known_history


@pytest.mark.parametrize("who", ["worker", "chair", "officer"])
def test_the_page_lists_the_units_reports_with_their_last_days(pages, who) -> None:
    pages.login(who)

    page = pages.get("/reports-up/?unit=C1&year=2025").text

    assert "Báo cáo gửi cấp trên" in page
    assert "Báo cáo chính thức kết quả rà soát hộ nghèo, hộ cận nghèo định kỳ" in page
    assert "05/04/2025" in page and "14/11/2025" in page and "19/12/2025" in page
    assert "Hạn gửi" in page
    assert "/reports-up/monthly?unit=C1&amp;year=2025&amp;month=4" in page
    assert "/reports-up/official?unit=C1&amp;year=2025&amp;month=&amp;format=xlsx" in page


def test_the_page_opens_on_the_users_own_unit(pages) -> None:
    pages.login("worker")

    page = pages.get("/reports-up/").text

    assert 'data-report="monthly-2"' in page or 'data-report="official"' in page
    assert '<option value="C1" selected>' in page


def test_a_province_sends_nothing_up_and_says_so(pages) -> None:
    pages.login("officer")

    page = pages.get("/reports-up/?unit=P").text

    assert "Đơn vị cấp này không gửi báo cáo nào lên cấp trên." in page


def test_the_printed_report_comes_from_the_page(pages, api_as) -> None:
    known_history(api_as)
    pages.login("chair")

    response = pages.get("/reports-up/monthly?unit=C1&year=2025&month=4")

    assert response.status_code == 200
    assert "tháng 03/2025" in response.text
    assert "← Báo cáo gửi cấp trên" in response.text


def test_another_communes_reports_are_refused(pages) -> None:
    pages.login("outsider")

    response = pages.get("/reports-up/?unit=C1&year=2025")

    assert response.status_code == 422


def test_the_officers_alerts_page_shows_a_reports_reminder(ctx, pages) -> None:
    with clock.frozen_at(at(date(2026, 1, 10))):
        report_timers.schedule(2026)
    deadlines.sweep(at(date(2026, 2, 3)))
    pages.login("officer")

    page = pages.get("/alerts").text

    assert "hằng tháng của Xã Hải Đông kỳ 01/2026 phải gửi chậm nhất ngày 05/02/2026" in page
