"""The household page: facts, history, surveys, deadlines, and the actions open now."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.factories import ABOVE_LINE_SURVEY, days_ago
from tests.web.support import posted, requested, shown_days_ago, today


def action_block(html: str, trigger: str) -> str:
    """Return the part of the household page holding one action's form."""
    found = re.search(
        rf'<details class="action" id="action-{trigger}".*?</details>', html, re.DOTALL
    )
    assert found, f"no form for {trigger}"
    return found.group(0)


def actions_on(html: str) -> list[str]:
    return re.findall(r'id="action-(\w+)"', html)


def test_a_household_outside_the_users_units_is_not_found(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("outsider")

    response = pages.get(f"/households/{household}")

    assert response.status_code == 404
    assert f"Không tìm thấy hộ {household}." in response.text


def test_the_page_shows_facts_members_surveys_deadlines_and_the_timeline(pages, api_as) -> None:
    household, approval = requested(
        api_as,
        national_id="036085001234",
        members=[{"full_name": "Trần Văn Nam", "birth_date": "1979-02-01", "sex": "male"}],
    )
    api_as.post(f"/approvals/{approval}/approve", {"comment": "QĐ 12"}, who="chair")
    pages.login("worker")

    page = pages.get(f"/households/{household}").text

    assert "036085001234" in page and "Trần Văn Nam" in page and "01/02/1979" in page
    assert "Đã công nhận" in page and "Hộ nghèo" in page
    assert "thiếu hụt 3/12 chỉ số" in page
    assert "Cần lập kế hoạch hỗ trợ trong 30 ngày" in page
    timeline = page[page.index('class="timeline"') :]
    assert "Công nhận hộ nghèo/cận nghèo" in timeline and "chair phê duyệt" in timeline
    assert f"Ngày họp: {shown_days_ago(21)}" in timeline
    assert f"Ngày niêm yết: {shown_days_ago(21)}" in timeline


@pytest.mark.parametrize(
    ("state_of", "triggers"),
    [
        ("registered", ["start_review"]),
        ("posted", ["complain", "recognise", "decline", "exit"]),
    ],
)
def test_a_case_worker_sees_a_form_for_each_trigger_open_now(
    pages, api_as, state_of, triggers
) -> None:
    household = posted(api_as) if state_of == "posted" else api_as.register()["id"]
    pages.login("worker")

    assert actions_on(pages.get(f"/households/{household}").text) == triggers


def test_each_action_asks_for_exactly_the_fields_of_its_trigger(pages, api_as) -> None:
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    api_as.survey(household)
    pages.login("worker")

    agree = action_block(pages.get(f"/households/{household}").text, "agree")

    names = re.findall(r'name="agree-(\w+)"', agree)
    assert names == [
        "csrf_token",
        "version_seen",
        "meeting_on",
        "agreement_pct",
        "posted_on",
        "note",
    ]
    assert "Ngày họp" in agree and "Tỷ lệ đồng ý (%)" in agree and "Ngày niêm yết" in agree


@pytest.mark.parametrize("who", ["chair", "officer"])
def test_supervisors_and_officers_get_no_trigger_forms(pages, api_as, who) -> None:
    household = api_as.register()["id"]
    pages.login(who)

    assert actions_on(pages.get(f"/households/{household}").text) == []


def test_an_officer_reads_the_page_without_identifiers_or_tools(pages, api_as) -> None:
    household = api_as.register(national_id="036085001234", phone="0912345678")["id"]
    pages.login("officer")

    page = pages.get(f"/households/{household}").text

    assert "036085001234" not in page and "*********234" in page
    assert "0912345678" not in page and "*******678" in page
    assert "Ghi phiếu khảo sát" not in page and "Đăng ký hộ" not in page


def test_a_trigger_form_moves_the_household(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")
    url = f"/households/{household}"

    response = pages.post(
        f"{url}/actions/start_review",
        {"start_review-review_kind": "regular", "start_review-started_on": today()},
        page=url,
        prefix="start_review",
    )

    assert response.headers["Location"] == url
    page = pages.get(url).text
    assert "Đã thực hiện: hộ hiện ở trạng thái &#39;Đang rà soát&#39;." in page
    assert "Đang rà soát" in page


def test_a_refused_action_shows_the_reason_beside_that_action(pages, api_as) -> None:
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    api_as.survey(household)
    pages.login("worker")
    url = f"/households/{household}"

    response = pages.post(
        f"{url}/actions/agree",
        {"agree-meeting_on": today(), "agree-agreement_pct": "40", "agree-posted_on": today()},
        page=url,
        prefix="agree",
    )

    assert response.status_code == 422
    agree = action_block(response.text, "agree")
    assert "Cuộc họp thôn phải có ít nhất 50% số người dự đồng ý" in agree
    assert "<details" in agree and " open>" in agree.split("\n")[0]
    assert "Cuộc họp thôn" not in action_block(response.text, "disagree")
    assert "Đã phân loại" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agreement_pct", "150", "Không được quá 100."),
        ("agreement_pct", "nhiều", "Không phải là số hợp lệ."),
        ("agreement_pct", "", "Mục này bắt buộc phải nhập."),
        ("meeting_on", "31/02/2025", "Không có ngày 31/02/2025."),
        ("meeting_on", "2025-31-02", "Năm không có tháng 31."),
        (
            "meeting_on",
            "hôm qua",
            "Ngày không hợp lệ: hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.",
        ),
        ("meeting_on", "01/01/2999", "Ngày không được ở tương lai."),
    ],
)
def test_wrong_action_fields_are_named_in_vietnamese(pages, api_as, field, value, message) -> None:
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    api_as.survey(household)
    pages.login("worker")
    url = f"/households/{household}"
    data = {
        "agree-meeting_on": today(),
        "agree-agreement_pct": "80",
        "agree-posted_on": today(),
        f"agree-{field}": value,
    }

    response = pages.post(f"{url}/actions/agree", data, page=url, prefix="agree")

    assert response.status_code == 422
    assert f'<p class="error" id="agree-{field}-error">{message}</p>' in response.text


def test_an_action_on_a_page_seen_before_someone_else_moved_it_is_refused(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")
    url = f"/households/{household}"
    token = pages.token(url)
    moved = api_as.patch(f"/households/{household}", {"version": 1, "village": "Thôn Mới"})
    assert moved.json["version"] == 2

    response = pages.client.post(
        f"{url}/actions/start_review",
        data={
            "start_review-csrf_token": token,
            "start_review-version_seen": "1",
            "start_review-review_kind": "regular",
            "start_review-started_on": today(),
        },
    )

    assert response.status_code == 409
    assert "Hồ sơ hộ vừa thay đổi (phiên bản 2, bạn gửi phiên bản 1)" in response.text


def test_an_action_without_its_token_is_refused(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    response = pages.client.post(
        f"/households/{household}/actions/start_review",
        data={"start_review-review_kind": "regular"},
    )

    assert response.status_code == 400
    assert api_as.get(f"/households/{household}").json["state"] == "registered"


def test_an_action_not_open_in_this_state_is_refused(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")
    url = f"/households/{household}"

    response = pages.post(f"{url}/actions/agree", {}, page=url, prefix="agree")

    assert response.status_code == 409
    assert "Không thể thực hiện việc này lúc này" in response.text


def test_a_supervisor_cannot_fire_a_case_workers_trigger(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("chair")
    url = f"/households/{household}"

    response = pages.post(
        f"{url}/actions/start_review",
        {"start_review-started_on": today()},
        page=url,
        prefix="start_review",
    )

    assert response.status_code == 403
    assert "Vai trò của bạn (lãnh đạo xã) không được làm việc này." in response.text


def test_support_is_proposed_from_the_page_of_a_recognised_household(pages, api_as) -> None:
    household, approval = requested(api_as)
    api_as.post(f"/approvals/{approval}/approve", {}, who="chair")
    pages.login("worker")
    url = f"/households/{household}"

    response = pages.post(
        f"{url}/supports", {"program": "livelihood_model", "note": "Nuôi bò"}, page=url
    )

    assert response.headers["Location"] == url
    page = pages.get(url).text
    assert "Đa dạng hoá sinh kế" in page and "Nuôi bò" in page


# monitoring visits


def followed_up(api) -> int:
    """A household recognised as poor, then found above the line and exited: in follow-up."""
    household = factories.posted(api, days=60)
    request = api.fire(household, "recognise", decided_on=days_ago(50)).json["approval"]["id"]
    api.post(f"/approvals/{request}/approve", {}, who="chair")
    api.fire(household, "start_review", review_kind="periodic", started_on=days_ago(40))
    api.survey(household, surveyed_on=days_ago(35), **ABOVE_LINE_SURVEY)
    api.fire(household, "agree", meeting_on=days_ago(30), posted_on=days_ago(30), agreement_pct=90)
    exit_request = api.fire(household, "exit").json["approval"]["id"]
    assert api.post(f"/approvals/{exit_request}/approve", {}, who="chair").status_code == 200
    return household


def test_a_visit_is_recorded_from_the_page_of_a_household_in_follow_up(pages, api_as) -> None:
    household = followed_up(api_as)
    pages.login("worker")
    url = f"/households/{household}"

    response = pages.post(
        f"{url}/visits", {"visited_on": today(), "notes": "Ổn định", "hardship": "y"}, page=url
    )

    assert response.headers["Location"] == url
    page = pages.get(url).text
    assert "Đã ghi nhận lần thăm hộ." in page and "Ổn định" in page
    assert "phát hiện hộ gặp khó khăn" in page
    assert any(a["kind"] == "hardship" for a in api_as.get("/alerts").json["items"])


def test_the_visit_form_shows_only_while_the_household_is_followed_up(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    assert "Ghi nhận lần thăm" not in pages.get(f"/households/{household}").text
