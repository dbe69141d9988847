"""Household search: accents ignored, filters, pages, only the user's units."""

from __future__ import annotations

from tests.factories import days_ago


def test_search_finds_names_without_their_accents(pages, api_as) -> None:
    api_as.register(head_name="Nguyễn Thị Hoa")
    api_as.register(head_name="Trần Văn Nam")
    pages.login("worker")

    page = pages.get("/households?q=nguyen+thi").text

    assert "Nguyễn Thị Hoa" in page and "Trần Văn Nam" not in page
    assert "Tìm thấy 1 hộ." in page


def test_search_filters_by_state_and_late_work(pages, api_as) -> None:
    late = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(late, "start_review", started_on=days_ago(20))
    api_as.register(head_name="Hộ Mới")
    pages.login("worker")

    overdue = pages.get("/households?overdue=1").text
    registered = pages.get("/households?state=registered").text

    assert "Hộ Quá Hạn" in overdue and "Hộ Mới" not in overdue
    assert "Hộ Mới" in registered and "Hộ Quá Hạn" not in registered


def test_search_pages_through_long_lists(pages, api_as) -> None:
    for number in range(27):
        api_as.register(head_name=f"Hộ số {number:02}")
    pages.login("worker")

    first, second = pages.get("/households").text, pages.get("/households?page=2").text

    assert "Trang 1/2" in first and first.count('data-label="Chủ hộ"') == 25
    assert second.count('data-label="Chủ hộ"') == 2


def test_search_lists_only_households_of_the_users_units(pages, api_as) -> None:
    api_as.register(head_name="Nguyễn Thị Hoa")
    pages.login("outsider")

    page = pages.get("/households").text

    assert "Tìm thấy 0 hộ." in page and "Nguyễn Thị Hoa" not in page


def test_search_refuses_a_state_that_does_not_exist(pages) -> None:
    pages.login("worker")

    response = pages.get("/households?state=flying")

    assert response.status_code == 422
    assert "Không có trạng thái &#39;flying&#39;." in response.text


def test_lists_mask_national_ids(pages, api_as) -> None:
    api_as.register(head_name="Nguyễn Thị Hoa", national_id="036085001234")
    pages.login("worker")

    assert "036085001234" not in pages.get("/households").text
