"""The household list past the bound of exact totals: "hơn N" or "khoảng N", pages by cursor."""

from __future__ import annotations

import re

from caseflow.extensions import db

NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def bounded(app, monkeypatch, bound: int) -> str:
    monkeypatch.setitem(app.config, "CASEFLOW_EXACT_TOTAL_UP_TO", bound)
    with app.app_context():
        return db.engine.dialect.name


def test_the_list_says_the_total_is_an_estimate_past_the_bound(
    pages, api_as, clean, monkeypatch
) -> None:
    dialect = bounded(clean, monkeypatch, 2)
    for number in range(4):
        api_as.register(head_name=f"Hộ số {number}")
    pages.login("worker")

    page = pages.get("/households").text

    if dialect == "postgresql":
        assert "Tìm thấy khoảng " in page
    else:
        assert "Tìm thấy hơn 2 hộ." in page


def test_an_exact_total_is_said_as_before(pages, api_as, clean, monkeypatch) -> None:
    bounded(clean, monkeypatch, 5)
    for number in range(4):
        api_as.register(head_name=f"Hộ số {number}")
    pages.login("worker")

    assert "Tìm thấy 4 hộ." in pages.get("/households").text


def test_past_the_bound_next_pages_go_by_cursor_to_the_end(
    pages, api_as, clean, monkeypatch
) -> None:
    bounded(clean, monkeypatch, 3)
    for number in range(27):
        api_as.register(head_name=f"Hộ số {number:02}")
    pages.login("worker")

    first = pages.get("/households").text
    link = NEXT.search(first).group(1).replace("&amp;", "&")
    second = pages.get(link).text

    assert "after=" in link and "Trang 1/" not in first
    assert first.count('data-label="Chủ hộ"') == 25
    assert second.count('data-label="Chủ hộ"') == 2
    assert "Hộ số 25" in second and "Hộ số 24" not in second
    assert 'rel="next"' not in second and "Trang đầu" in second


def test_a_broken_cursor_is_said_on_the_page(pages) -> None:
    pages.login("worker")

    response = pages.get("/households?after=broken")

    assert response.status_code == 422
    assert "Con trỏ trang không hợp lệ" in response.text


def test_the_approvals_queue_says_more_than_the_bound_and_pages_by_cursor(
    pages, api_as, clean, monkeypatch
) -> None:
    from tests.factories import posted

    dialect = bounded(clean, monkeypatch, 1)
    for number in range(2):
        hid = posted(api_as, head_name=f"Hộ chờ {number}")
        assert api_as.fire(hid, "recognise").status_code == 202
    pages.login("chair")

    page = pages.get("/approvals").text

    if dialect == "postgresql":
        assert "Khoảng " in page
    else:
        assert "Hơn 1 đề nghị đang chờ quyết định." in page


def test_the_alerts_inbox_takes_a_cursor_and_refuses_a_broken_one(pages) -> None:
    pages.login("worker")

    assert pages.get("/alerts").status_code == 200
    assert pages.get("/alerts?after=broken").status_code == 422
