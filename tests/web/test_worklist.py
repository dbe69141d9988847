"""The worklist: late work, work due soon, decisions waiting, recent changes, counts on top."""

from __future__ import annotations

import re

from caseflow.extensions import db
from caseflow.services import deadlines
from tests.factories import days_ago
from tests.web.support import requested


def counts(html: str) -> dict[str, int]:
    return {
        name: int(number)
        for name, number in re.findall(r'<a href="#([\w-]+)"><strong>(\d+)</strong>', html)
    }


def section(html: str, name: str) -> str:
    return html[html.index(f'<section id="{name}"') :].split("</section>")[0]


def test_the_counts_on_top_match_the_late_and_the_soon_work(pages, api_as) -> None:
    late = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(late, "start_review", started_on=days_ago(20))
    soon = api_as.register(head_name="Hộ Sắp Đến Hạn")["id"]
    api_as.fire(soon, "start_review", started_on=days_ago(5))
    pages.login("worker")

    page = pages.get("/").text

    assert counts(page) == {"overdue": 1, "due-soon": 1, "approvals": 0, "recent": 4}
    assert "Hộ Quá Hạn" in section(page, "overdue")
    assert "Hộ Sắp Đến Hạn" in section(page, "due-soon")
    assert "Rà soát thường xuyên phải có quyết định trong 15 ngày" in section(page, "overdue")


def test_late_work_stays_on_the_list_after_the_sweep_raised_its_alert(pages, api_as, clean) -> None:
    late = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(late, "start_review", started_on=days_ago(20))
    with clean.app_context():
        deadlines.sweep()
        db.session.remove()
    pages.login("worker")

    page = pages.get("/").text

    assert counts(page)["overdue"] == 1 and "Hộ Quá Hạn" in section(page, "overdue")
    assert "Hộ Quá Hạn" in pages.get("/households?overdue=1").text


def test_late_work_leaves_the_list_when_the_household_moves_on(pages, api_as) -> None:
    late = api_as.register()["id"]
    api_as.fire(late, "start_review", started_on=days_ago(40))
    api_as.survey(late, surveyed_on=days_ago(38))
    api_as.fire(late, "agree", meeting_on=days_ago(30), posted_on=days_ago(30), agreement_pct=90)
    api_as.fire(late, "complain", reason="Hộ khiếu nại")  # back to review: still late
    pages.login("worker")
    assert counts(pages.get("/").text)["overdue"] == 1

    api_as.survey(late, surveyed_on=days_ago(25))
    api_as.fire(late, "agree", meeting_on=days_ago(21), posted_on=days_ago(21), agreement_pct=90)
    decided = api_as.fire(late, "recognise")
    api_as.post(f"/approvals/{decided.json['approval']['id']}/approve", {}, who="chair")

    assert counts(pages.get("/").text)["overdue"] == 0


def test_a_supervisor_sees_the_requests_awaiting_their_decision(pages, api_as) -> None:
    requested(api_as, head_name="Hộ Chờ Duyệt")
    pages.login("chair")

    page = pages.get("/").text

    assert counts(page)["approvals"] == 1
    assert "Chờ tôi quyết định" in page and "Hộ Chờ Duyệt" in section(page, "approvals")
    assert "Mở hàng chờ phê duyệt" in page


def test_a_case_worker_sees_their_own_requests_waiting(pages, api_as) -> None:
    requested(api_as, head_name="Hộ Chờ Duyệt")
    pages.login("worker")

    page = pages.get("/").text

    assert "Đề nghị của tôi đang chờ quyết định" in page
    assert "Hộ Chờ Duyệt" in section(page, "approvals")
    assert "Mở hàng chờ phê duyệt" not in page


def test_another_case_worker_does_not_see_my_requests(pages, api_as) -> None:
    requested(api_as)
    pages.login("worker2")

    assert counts(pages.get("/").text)["approvals"] == 0


def test_recent_changes_name_the_step_and_who_took_it(pages, api_as) -> None:
    household = api_as.register(head_name="Hộ Mới")["id"]
    api_as.fire(household, "start_review")
    pages.login("worker")

    recent = section(pages.get("/").text, "recent")

    assert "Bắt đầu rà soát" in recent and "Đang rà soát" in recent and "worker" in recent


def test_the_worklist_shows_only_the_users_units(pages, api_as) -> None:
    late = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(late, "start_review", started_on=days_ago(20))
    requested(api_as)
    pages.login("chair2")

    page = pages.get("/").text

    assert counts(page) == {"overdue": 0, "due-soon": 0, "approvals": 0, "recent": 0}
    assert "Hộ Quá Hạn" not in page
