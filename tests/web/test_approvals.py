"""The approvals queue: context of each request, one decision for many, supervisors only."""

from __future__ import annotations

import re

from tests.web.support import requested, shown_days_ago


def ticked(html: str) -> list[str]:
    return re.findall(r'name="ids" value="(\d+)"[^>]*checked', html)


def test_a_supervisor_sees_each_request_with_its_survey_meeting_and_posting(pages, api_as) -> None:
    requested(api_as, head_name="Hộ Chờ Duyệt")
    pages.login("chair")

    page = pages.get("/approvals").text

    assert "1 đề nghị đang chờ quyết định." in page
    assert "Công nhận hộ nghèo/cận nghèo" in page and "Hộ Chờ Duyệt" in page
    assert f"<dt>Ngày họp</dt><dd>{shown_days_ago(21)}</dd>" in page
    assert f"<dt>Ngày niêm yết</dt><dd>{shown_days_ago(21)}</dd>" in page
    assert "<dt>Tỷ lệ đồng ý (%)</dt><dd>80</dd>" in page
    assert "1.200.000\u00a0đ" in page and "thiếu hụt 3/12 chỉ số" in page
    assert 'name="ids"' in page and "Phê duyệt các đề nghị đã chọn" in page


def test_a_case_worker_sees_the_queue_without_approve_or_reject(pages, api_as) -> None:
    requested(api_as)
    pages.login("worker")

    page = pages.get("/approvals").text

    assert "đề nghị của chính bạn" in page
    assert 'name="ids"' not in page and "Phê duyệt các đề nghị đã chọn" not in page


def test_a_supervisor_of_another_commune_sees_none_of_these_requests(pages, api_as) -> None:
    requested(api_as)
    pages.login("chair2")

    assert "0 đề nghị đang chờ quyết định." in pages.get("/approvals").text


def test_one_decision_approves_every_selected_request(pages, api_as) -> None:
    first, first_request = requested(api_as, head_name="Hộ Một")
    second, second_request = requested(api_as, head_name="Hộ Hai")
    pages.login("chair")

    response = pages.post(
        "/approvals/decide",
        {"ids": [first_request, second_request], "decision": "approve", "comment": "QĐ 12"},
        page="/approvals",
    )

    assert response.headers["Location"] == "/approvals"
    assert "Đã phê duyệt 2 đề nghị." in pages.get("/approvals").text
    for household in (first, second):
        assert api_as.get(f"/households/{household}").json["state"] == "recognised"


def test_a_rejection_without_a_reason_is_refused_in_vietnamese(pages, api_as) -> None:
    household, request = requested(api_as)
    pages.login("chair")

    response = pages.post(
        "/approvals/decide", {"ids": [request], "decision": "reject"}, page="/approvals"
    )

    assert response.status_code == 422
    assert "Từ chối phải nêu lý do." in response.text
    assert ticked(response.text) == [str(request)]
    assert api_as.get(f"/households/{household}").json["pending_approval"]["status"] == "pending"


def test_a_rejection_with_a_reason_leaves_the_household_where_it_was(pages, api_as) -> None:
    household, request = requested(api_as)
    pages.login("chair")

    pages.post(
        "/approvals/decide",
        {"ids": [request], "decision": "reject", "comment": "Thiếu biên bản họp"},
        page="/approvals",
    )

    found = api_as.get(f"/households/{household}").json
    assert (found["state"], found["pending_approval"]) == ("posted", None)
    assert "Đã từ chối 1 đề nghị." in pages.get("/approvals").text


def test_nothing_selected_is_refused(pages, api_as) -> None:
    requested(api_as)
    pages.login("chair")

    response = pages.post("/approvals/decide", {"decision": "approve"}, page="/approvals")

    assert response.status_code == 422
    assert "Hãy chọn ít nhất một đề nghị." in response.text


def test_select_all_ticks_every_box_without_script(pages, api_as) -> None:
    _, first = requested(api_as, head_name="Hộ Một")
    _, second = requested(api_as, head_name="Hộ Hai")
    pages.login("chair")

    assert ticked(pages.get("/approvals").text) == []
    assert ticked(pages.get("/approvals?select=all").text) == [str(first), str(second)]


def test_requests_that_cannot_be_decided_are_reported_in_vietnamese(pages, api_as) -> None:
    household, request = requested(api_as)
    _, decided = requested(api_as)
    api_as.post(f"/approvals/{decided}/approve", {}, who="deputy")
    api_as.post(f"/households/{household}/supports", {"program": "housing"})  # no move
    api_as.patch(
        f"/households/{household}",
        {"version": api_as.get(f"/households/{household}").json["version"], "village": "Thôn Mới"},
    )
    pages.login("chair")

    pages.post(
        "/approvals/decide", {"ids": [request, decided], "decision": "approve"}, page="/approvals"
    )

    page = pages.get("/approvals").text
    assert (
        f"Đề nghị {request} chưa được quyết định: Hồ sơ hộ đã thay đổi sau khi đề nghị được gửi"
    ) in page
    assert (
        f"Đề nghị {decided} chưa được quyết định: Đề nghị này đã được quyết định (đã phê duyệt)."
    ) in page


def test_a_case_worker_cannot_decide_by_posting_the_form(pages, api_as) -> None:
    household, request = requested(api_as)
    pages.login("worker2")

    pages.post("/approvals/decide", {"ids": [request], "decision": "approve"}, page="/approvals")

    assert (
        "Vai trò của bạn (cán bộ rà soát) không được làm việc này." in pages.get("/approvals").text
    )
    assert api_as.get(f"/households/{household}").json["state"] == "posted"


def test_a_decision_without_its_token_is_refused(pages, api_as) -> None:
    household, request = requested(api_as)
    pages.login("chair")

    response = pages.client.post(
        "/approvals/decide", data={"ids": [request], "decision": "approve"}
    )

    assert response.status_code == 400
    assert api_as.get(f"/households/{household}").json["state"] == "posted"


def test_the_household_page_offers_the_decision_to_supervisors_only(pages, api_as) -> None:
    household, _ = requested(api_as)
    pages.login("worker")
    assert "Từ chối" not in pages.get(f"/households/{household}").text
    pages.logout()
    pages.login("chair")

    page = pages.get(f"/households/{household}").text

    assert "Đang chờ quyết định" in page
    assert 'value="approve"' in page and 'value="reject"' in page


def test_approving_from_the_household_page_comes_back_to_it(pages, api_as) -> None:
    household, request = requested(api_as)
    pages.login("chair")
    url = f"/households/{household}"

    response = pages.post(
        "/approvals/decide", {"ids": [request], "decision": "approve", "next": url}, page=url
    )

    assert response.headers["Location"] == url
    assert "Đã công nhận" in pages.get(url).text
