"""The alerts inbox: alerts addressed to me, in my language, acknowledged with one button."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.services import deadlines, outbox
from tests.factories import days_ago


@pytest.fixture
def overdue_alert(api_as, clean) -> int:
    """A regular review past its 15 days, swept: the case workers of its unit are alerted."""
    household = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(household, "start_review", started_on=days_ago(20))
    with clean.app_context():
        deadlines.sweep()
        db.session.remove()
    alerts = api_as.get("/alerts").json["items"]
    return next(a["id"] for a in alerts if a["kind"] == "overdue")


def alert_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'action="/alerts/(\d+)/ack"', html)]


def test_the_inbox_lists_my_open_alerts_in_vietnamese(pages, overdue_alert) -> None:
    pages.login("worker")

    page = pages.get("/alerts").text

    assert "Quá hạn" in page
    assert "Rà soát thường xuyên phải có quyết định trong 15 ngày" in page
    assert overdue_alert in alert_ids(page)
    assert f'<span class="count">{len(alert_ids(page))}</span>' in page


def test_the_inbox_speaks_english_after_the_switch(pages, overdue_alert) -> None:
    pages.login("worker")
    pages.english()

    page = pages.get("/alerts").text

    assert "A regular review must be decided within 15 days of its start." in page


def test_acknowledging_moves_the_alert_out_of_the_open_list(pages, overdue_alert) -> None:
    pages.login("worker")

    response = pages.post(f"/alerts/{overdue_alert}/ack", page="/alerts")

    assert response.headers["Location"] == "/alerts"
    assert overdue_alert not in alert_ids(pages.get("/alerts").text)
    seen = pages.get("/alerts?status=acknowledged").text
    assert "worker đã xem" in seen and f"/alerts/{overdue_alert}/ack" not in seen


def test_alerts_of_other_units_are_not_mine(pages, overdue_alert) -> None:
    pages.login("outsider")

    assert alert_ids(pages.get("/alerts").text) == []
    response = pages.post(f"/alerts/{overdue_alert}/ack", page="/alerts")
    assert response.status_code == 404
    assert f"Không tìm thấy thông báo {overdue_alert}." in response.text


def test_acknowledging_without_the_token_is_refused(pages, overdue_alert) -> None:
    pages.login("worker")

    assert pages.client.post(f"/alerts/{overdue_alert}/ack").status_code == 400
    assert overdue_alert in alert_ids(pages.get("/alerts").text)


@pytest.fixture
def cut_off_message(api_as, clean, monkeypatch) -> int:
    """A webhook call cut off mid-send, settled by the next sweep: the admins are told."""
    monkeypatch.setitem(clean.config, "CASEFLOW_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    household = api_as.register(head_name="Hộ Quá Hạn")["id"]
    api_as.fire(household, "start_review", started_on=days_ago(20))
    with clean.app_context():
        deadlines.sweep(deliver=False)
        [claimed] = outbox._claim(1)  # the sender dies after claiming, perhaps after sending
        later = datetime.now(UTC) + outbox.SEND_LEASE + timedelta(seconds=1)
        monkeypatch.setattr(clock, "wall_now", lambda: later)
        outbox.deliver_due()
        db.session.remove()
    return claimed.id


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi", "bị ngắt giữa chừng khi đang gửi: có thể đã đến hoặc chưa đến người nhận"),
        ("en", "was cut off while being sent: it may or may not have gone out"),
    ],
)
def test_the_admins_inbox_tells_of_a_message_that_may_not_have_gone_out(
    pages, cut_off_message, lang, words
) -> None:
    pages.login("admin")
    if lang == "en":
        pages.english()

    page = pages.get("/alerts").text

    assert words in page
    assert f"caseflow outbox resend {cut_off_message}" in page
    assert len(alert_ids(page)) == 1


def test_a_message_that_may_not_have_gone_out_is_for_the_admins_only(
    pages, cut_off_message
) -> None:
    pages.login("chair")

    assert "caseflow outbox resend" not in pages.get("/alerts").text
