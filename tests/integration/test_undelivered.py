"""Messages that may not have gone out: a send cut off by a dying process, or given up after
its last attempt, is failed and told to the admins (which message, to whom, about what); an
admin resends it once, marked as a possible duplicate (`caseflow outbox list|resend`)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

from caseflow.extensions import db
from caseflow.models import Alert, Outbox
from caseflow.services import alerts, deadlines, outbox
from tests.factories import at
from tests.mail_support import HoldingInbox, Inbox, Listener, free_port
from tests.timers_support import WallClock, caseflow_process, kill_9, posted_case, wait_for

POSTED_ON = date(2027, 10, 4)
DUE = at(date(2027, 10, 7), 0)  # 3 working days later: the supervisors are reminded
DUPLICATE = "[Có thể trùng lặp / possible duplicate]"


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    return WallClock(monkeypatch)


@pytest.fixture
def smtp_url(ctx, monkeypatch) -> str:
    url = f"smtp://127.0.0.1:{free_port()}"
    monkeypatch.setitem(ctx.config, "CASEFLOW_SMTP_URL", url)
    return url


def serve(handler, url: str):
    controller = Controller(handler, hostname="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
    controller.start()
    return controller


@pytest.fixture
def held_server(smtp_url):
    """An SMTP server that keeps the first message's connection open without answering."""
    inbox = HoldingInbox()
    controller = serve(inbox, smtp_url)
    yield inbox
    inbox.released = True
    controller.stop()


@pytest.fixture
def listener(ctx, monkeypatch):
    server = Listener()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setitem(ctx.config, "CASEFLOW_WEBHOOK_URL", server.url)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def cli(ctx):
    runner = ctx.test_cli_runner()
    return lambda *args: runner.invoke(args=["outbox", *args])


def rows() -> list[Outbox]:
    return list(
        db.session.scalars(
            db.select(Outbox).order_by(Outbox.id).execution_options(populate_existing=True)
        )
    )


def admin_alerts(world) -> list[Alert]:
    return alerts.list_for(world.user("admin"), None)[0]


@pytest.fixture
def cut_off(world, committed, held_server, smtp_url, wall) -> Outbox:
    """A `caseflow sweep` killed while the SMTP server holds its first message unanswered;
    then the next sweep, once the sending lease is over. Return the message cut off."""
    case = posted_case(world, POSTED_ON)
    sweep = caseflow_process(
        committed, "sweep", "--as-of", DUE.isoformat(), CASEFLOW_SMTP_URL=smtp_url
    )
    wait_for(sweep, held_server.holding.is_set)
    kill_9(sweep)
    db.session.rollback()  # a new transaction sees what the killed sweep committed
    assert [r.status for r in rows()] == ["sending", "pending"]
    wall.move_to(datetime.now(UTC) + outbox.SEND_LEASE + timedelta(seconds=1))
    outbox.deliver_due()
    cut = rows()[0]
    assert db.session.get(Alert, cut.alert_id).household_id == case.id
    return cut


def test_a_send_cut_off_by_a_killed_sweep_is_failed_and_told_to_the_admins(cut_off, world):
    assert (cut_off.status, cut_off.recipient) == ("failed", "chair@example.org")
    [failure] = admin_alerts(world)
    assert (failure.kind, failure.role, failure.unit_id) == ("failure", "admin", None)
    assert failure.household_id == db.session.get(Alert, cut_off.alert_id).household_id
    for words in (
        f"{cut_off.id}",
        "email",
        "chair@example.org",
        "may or may not have gone out",
        f"caseflow outbox resend {cut_off.id}",
    ):
        assert words in failure.message_en
    assert "chair@example.org" in failure.message and "có thể đã" in failure.message
    assert [a.kind for a in alerts.list_for(world.user("chair"))[0]] == ["reminder"]


def test_the_admins_are_mailed_about_the_message_cut_off(cut_off, held_server):
    [(to, mail)] = [m for m in held_server.messages if m[0] == ["admin@example.org"]]
    assert f"caseflow outbox resend {cut_off.id}" in mail.get_content()


def test_the_failed_messages_are_listed_for_the_admin(cut_off, cli):
    result = cli("list", "--status", "failed")
    assert result.exit_code == 0, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"{cut_off.id} failed email chair@example.org")
    assert "interrupted while sending" in line


def test_a_message_cut_off_is_resent_once_marked_as_a_possible_duplicate(
    cut_off, cli, held_server, world
):
    result = cli("resend", str(cut_off.id))
    assert result.exit_code == 0, result.output
    received = len(held_server.messages)
    assert outbox.deliver_due() == 1
    assert outbox.deliver_due() == 0
    [(to, mail)] = held_server.messages[received:]
    assert to == ["chair@example.org"]
    assert mail["Subject"].startswith(f"{DUPLICATE} [caseflow] Nhắc việc")
    assert mail["Message-ID"] == f"<caseflow-outbox-{cut_off.id}@127.0.0.1>"
    resent = rows()[0]
    assert (resent.status, resent.possible_duplicate) == ("sent", True)
    assert [a.status for a in admin_alerts(world)] == ["closed"]


def test_a_message_resent_is_not_resent_again(cut_off, cli):
    assert cli("resend", str(cut_off.id)).exit_code == 0
    again = cli("resend", str(cut_off.id))
    assert again.exit_code == 1
    assert f"Message {cut_off.id} is still to be sent (pending)" in again.output


def test_resending_a_sent_message_is_refused(world, ctx, smtp_url, cli):
    controller = serve(Inbox(), smtp_url)
    try:
        posted_case(world, POSTED_ON)
        assert deadlines.sweep(DUE).delivered == 2
    finally:
        controller.stop()
    sent = rows()[0]
    result = cli("resend", str(sent.id))
    assert result.exit_code == 1
    assert f"Message {sent.id} was sent; only a failed message can be resent." in result.output
    assert rows()[0].status == "sent"


def test_resending_an_unknown_message_is_refused(ctx, cli):
    result = cli("resend", "999")
    assert result.exit_code == 1
    assert "Message 999 not found." in result.output


def test_a_message_given_up_after_its_last_attempt_is_told_to_the_admins(world, smtp_url, wall):
    posted_case(world, POSTED_ON)  # the SMTP server is down throughout
    deadlines.sweep(DUE)
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        wall.advance(outbox.LONGEST_RETRY)
        outbox.deliver_due()
    assert [r.status for r in rows()] == ["failed", "failed", "pending", "pending"]  # to admin
    [chair, deputy] = sorted(admin_alerts(world), key=lambda a: a.id)
    assert "chair@example.org" in chair.message_en and "deputy@example.org" in deputy.message_en
    assert f"after {outbox.MAX_ATTEMPTS} attempts" in chair.message_en


def test_a_failed_message_about_a_failed_message_raises_no_further_alert(world, smtp_url, wall):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE)
    for _ in range(3 * outbox.MAX_ATTEMPTS):
        wall.advance(outbox.LONGEST_RETRY)
        outbox.deliver_due()
    assert [r.status for r in rows()] == ["failed"] * 4  # two reminders, two to the admin
    assert len(admin_alerts(world)) == 2


def test_a_webhook_resent_says_it_may_be_a_duplicate(world, ctx, listener, wall, cli):
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE, deliver=False)
    outbox._claim(1)  # the sender dies after claiming, perhaps after sending
    wall.advance(outbox.SEND_LEASE + timedelta(seconds=1))
    outbox.deliver_due()
    [cut, *_] = rows()
    assert cut.status == "failed"
    assert listener.received[-1][1]["alert"]["role"] == "admin"  # told through the hook too
    assert cli("resend", str(cut.id)).exit_code == 0
    assert outbox.deliver_due() == 1
    headers, body = listener.received[-1]
    assert body["possible_duplicate"] is True
    assert body["alert"]["kind"] == "reminder"
    assert headers["Idempotency-Key"] == f"caseflow-outbox-{cut.id}"


def test_a_broken_failure_alert_does_not_hold_up_the_outbox(
    world, ctx, listener, wall, monkeypatch
):
    from caseflow.services import undelivered

    def broken(message, *, given_up):
        raise RuntimeError("a bug in the alert")

    monkeypatch.setattr(undelivered, "tell_admins", broken)
    posted_case(world, POSTED_ON)
    deadlines.sweep(DUE, deliver=False)
    outbox._claim(1)
    wall.advance(outbox.SEND_LEASE + timedelta(seconds=1))
    outbox.deliver_due()
    assert [r.status for r in rows()] == ["failed"]  # settled once, not again by every sweep
    assert admin_alerts(world) == []
