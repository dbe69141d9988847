"""A unit's dashboard: counts by class and state, rates, late work, charts drawn as SVG."""

from __future__ import annotations

import re

from tests.factories import days_ago
from tests.web.support import requested


def numbers(html: str) -> list[str]:
    return re.findall(r'<ul class="counts">.*?</ul>', html, re.DOTALL)[0]


def test_the_dashboard_counts_classes_rates_and_late_work(pages, api_as) -> None:
    household, request = requested(api_as)
    api_as.post(f"/approvals/{request}/approve", {}, who="chair")
    late = api_as.register()["id"]
    api_as.fire(late, "start_review", started_on=days_ago(20))
    pages.login("chair")

    page = pages.get("/dashboard").text

    counts = numbers(page)
    assert "<strong>2</strong> hộ" in counts
    assert "<strong>50,0%</strong> tỷ lệ hộ nghèo (1)" in counts
    assert "<strong>1</strong> quá hạn" in counts
    assert page.count("<svg") == 3
    assert '<title id="chart-states">Số hộ theo trạng thái</title>' in page


def test_the_dashboard_lists_the_units_below_with_their_counts(pages, api_as) -> None:
    api_as.register()
    pages.login("officer")

    page = pages.get("/dashboard").text

    assert "Tổng quan: Tỉnh Nam Định" in page
    rows = re.findall(r'<a href="/dashboard\?unit=(\w[\w-]*)">', page)
    assert sorted(rows) == ["C1", "C2", "W1"]


def test_a_unit_below_can_be_chosen(pages, api_as) -> None:
    api_as.register()
    pages.login("officer")

    page = pages.get("/dashboard?unit=C1").text

    assert "Tổng quan: Xã Hải Đông" in page and "<strong>1</strong> hộ" in numbers(page)


def test_a_unit_outside_the_users_scope_is_not_found(pages) -> None:
    pages.login("worker")

    response = pages.get("/dashboard?unit=C2")

    assert response.status_code == 404
    assert "Không tìm thấy đơn vị C2." in response.text
