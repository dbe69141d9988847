"""Delivery through the outbox: e-mail to a real SMTP server and a JSON webhook to a real HTTP
listener, both on loopback; kept while a server is down, never sent twice."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Outbox
from caseflow.services import deadlines, outbox
from tests.factories import at
from tests.mail_support import Inbox, Listener, free_port, sent_to
from tests.timers_support import WallClock, posted_case

POSTED_ON = date(2027, 10, 4)
DUE = at(date(2027, 10, 7), 0)  # 3 working days later: the supervisors are reminded


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    return WallClock(monkeypatch)


@pytest.fixture
def smtp_port(ctx, monkeypatch) -> int:
    port = free_port()
    monkeypatch.setitem(ctx.config, "CASEFLOW_SMTP_URL", f"smtp://127.0.0.1:{port}")
    return port


@pytest.fixture
def smtp_server(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


def test_alert_is_mailed_in_vietnamese_to_each_addressed_user(world, smtp_server):
    posted_case(world, POSTED_ON)
    assert deadlines.sweep(DUE).delivered == 2
    assert sent_to(smtp_server) == ["chair@example.org", "deputy@example.org"]
    _, mail = smtp_server.messages[0]
    assert mail["Subject"].startswith("[caseflow] Nhắc việc: Trần Thị Lan")
    assert "Hết thời gian niêm yết công khai" in mail.get_content()
    assert mail["Message-ID"].startswith("<caseflow-outbox-")


def test_sent_mail_is_not_sent_again(world, smtp_server, wall):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE)
    wall.advance(timedelta(hours=2))
    assert outbox.deliver_due() == 0
    assert deadlines.sweep(DUE + timedelta(hours=2)).delivered == 0
    assert len(smtp_server.messages) == 2


def test_mail_is_kept_while_the_server_is_down_and_delivered_later_once(world, smtp_port, wall):
    posted_case(world, POSTED_ON)
    assert deadlines.sweep(DUE).delivered == 0
    rows = db.session.scalars(db.select(Outbox)).all()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1), ("pending", 1)]
    assert all("Connection" in r.last_error for r in rows)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        wall.advance(timedelta(seconds=30))  # before the retry is due
        assert outbox.deliver_due() == 0
        wall.advance(outbox.FIRST_RETRY - timedelta(seconds=30))
        assert outbox.deliver_due() == 2
        assert outbox.deliver_due() == 0
        wall.advance(timedelta(days=1))
        assert outbox.deliver_due() == 0
    finally:
        controller.stop()
    assert sent_to(inbox) == ["chair@example.org", "deputy@example.org"]
    statuses = db.session.scalars(
        db.select(Outbox.status).execution_options(populate_existing=True)
    ).all()
    assert statuses == ["sent", "sent"]


def test_mail_is_given_up_after_the_last_attempt(world, smtp_port, wall):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE)
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        wall.advance(outbox.LONGEST_RETRY)
        outbox.deliver_due()
    rows = db.session.scalars(
        db.select(Outbox).order_by(Outbox.id).execution_options(populate_existing=True)
    ).all()
    # then the admins are told, by the next rows (test_undelivered.py)
    assert [(r.status, r.attempts) for r in rows[:2]] == [("failed", outbox.MAX_ATTEMPTS)] * 2


def test_message_interrupted_while_sending_is_not_sent_again(world, smtp_server, wall):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE, deliver=False)
    outbox._claim(1)  # the sender dies after claiming, perhaps after sending
    wall.advance(outbox.SEND_LEASE + timedelta(seconds=1))
    assert outbox.deliver_due() == 2  # the other supervisor's, and the admin's about it
    statuses = db.session.scalars(
        db.select(Outbox.status).order_by(Outbox.id).execution_options(populate_existing=True)
    ).all()
    assert statuses == ["failed", "sent", "sent"]
    assert sent_to(smtp_server) == ["admin@example.org", "deputy@example.org"]


def test_a_message_written_by_a_sweep_as_of_next_month_goes_out_now(world, smtp_server):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE, deliver=False)  # as of a later moment, killed before sending
    assert outbox.deliver_due() == 2  # by the real-time scheduler, at once
    assert sent_to(smtp_server) == ["chair@example.org", "deputy@example.org"]


def test_a_send_cut_off_in_a_sweep_as_of_next_month_is_settled_after_real_minutes(
    world, smtp_server, wall
):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE, deliver=False)
    with clock.frozen_at(DUE + timedelta(days=31)):
        outbox._claim(1)  # the sender dies after claiming, perhaps after sending
    wall.advance(outbox.SEND_LEASE + timedelta(seconds=1))
    assert outbox.deliver_due() == 2
    statuses = db.session.scalars(
        db.select(Outbox.status).order_by(Outbox.id).execution_options(populate_existing=True)
    ).all()
    assert statuses == ["failed", "sent", "sent"]


@pytest.fixture
def listener(ctx, monkeypatch):
    def start(answers=(200,)) -> Listener:
        server = Listener(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        monkeypatch.setitem(ctx.config, "CASEFLOW_WEBHOOK_URL", server.url)
        return server

    started: list[Listener] = []
    yield start
    for server in started:
        server.shutdown()
        server.server_close()


def test_webhook_receives_the_alert_as_json_once(world, listener):
    hook = listener()
    case = posted_case(world, POSTED_ON)
    assert deadlines.sweep(DUE).delivered == 1
    [(headers, body)] = hook.received
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["Idempotency-Key"].startswith("caseflow-outbox-")
    alert = body["alert"]
    assert (body["event"], alert["kind"], alert["household_id"]) == ("alert", "reminder", case.id)
    assert alert["unit_code"] == "C1-V1"
    assert sorted(alert["recipients"]) == ["chair", "deputy"]
    assert alert["message"].startswith("Hết thời gian niêm yết")
    assert deadlines.sweep(DUE + timedelta(days=1)).delivered == 0
    assert len(hook.received) == 1


def test_webhook_answering_an_error_is_retried_with_backoff(world, listener, wall):
    hook = listener(answers=(503, 200))
    posted_case(world, POSTED_ON)
    assert deadlines.sweep(DUE).delivered == 0
    [row] = db.session.scalars(db.select(Outbox)).all()
    assert "503" in row.last_error
    wall.advance(outbox.FIRST_RETRY)
    assert outbox.deliver_due() == 1
    wall.advance(timedelta(days=1))
    assert outbox.deliver_due() == 0
    assert len(hook.received) == 2  # the refused attempt, then the delivery
