"""The outbox: e-mail and webhook messages written with their alert, sent after commit.

A row is claimed (status `sending`) in its own commit before it is sent and marked `sent` after,
so no message goes out twice; a server that is down leaves the row pending, retried with backoff.
A row left `sending` by a process that died mid-send is not resent (it may have gone out): it is
marked failed, and so is a row refused at its last attempt; either way the admins are told
(services/undelivered.py) and may resend it once, marked as a possible duplicate.

Messages go out on the wall clock (clock.wall_now), not as of a sweep's moment: one written by
`sweep --as-of` next month is due now, and its retries and sending lease count real minutes.
"""

from __future__ import annotations

import http.client
import json
import logging
import smtplib
import urllib.request
from collections.abc import Sequence
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Alert, Household, Outbox, User
from caseflow.services.claims import claim
from caseflow.services.inserts import insert_rows
from caseflow.services.retries import FIRST_RETRY, LONGEST_RETRY, backoff  # noqa: F401

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: how long a sender may take over one message before the row counts as interrupted
SEND_LEASE = timedelta(minutes=5)
TIMEOUT_SECONDS = 15
INTERRUPTED = "interrupted while sending; not resent, as it may have gone out"
#: what a message resent by an admin says first
DUPLICATE_MARK = "[Có thể trùng lặp / possible duplicate]"
DUPLICATE_NOTE = (
    "Thư này được gửi lại vì lần gửi trước bị gián đoạn: có thể bạn đã nhận được "
    "thư này.\n(Sent again after an interrupted send: you may have had it already.)"
)


class DeliveryError(Exception):
    """A server refused the message, or the channel is not configured."""


def email_enabled() -> bool:
    return bool(current_app.config.get("CASEFLOW_SMTP_URL"))


def configured() -> bool:
    """Tell whether any channel besides the in-app inbox is configured."""
    return email_enabled() or bool(current_app.config.get("CASEFLOW_WEBHOOK_URL"))


def enqueue(alert: Alert, household: Household | None, users: list[User]) -> None:
    """Add the alert's messages: an e-mail to each addressed user with an address, one webhook."""
    enqueue_many([(alert, household, users)])


def enqueue_many(addressed: Sequence[tuple[Alert, Household | None, list[User]]]) -> None:
    """Add the messages of each (alert, its household, the users it is addressed to) in one
    statement; the caller commits."""
    rows = [row for alert, household, users in addressed for row in _rows(alert, household, users)]
    if rows:
        db.session.flush()  # the alerts added through the session go first
        insert_rows(Outbox.__table__, rows)


def _rows(alert: Alert, household: Household | None, users: list[User]) -> list[dict]:
    now, rows = clock.wall_now(), []
    if email_enabled():
        for user in users:
            if user.email:
                rows.append(
                    {
                        "alert_id": alert.id,
                        "channel": "email",
                        "recipient": user.email,
                        "payload": _email(alert, household, user),
                        "next_attempt_at": now,
                    }
                )
    if current_app.config.get("CASEFLOW_WEBHOOK_URL"):
        rows.append(
            {
                "alert_id": alert.id,
                "channel": "webhook",
                "recipient": None,
                "payload": _webhook(alert, household, users),
                "next_attempt_at": now,
            }
        )
    return rows


def _email(alert: Alert, household: Household | None, user: User) -> dict:
    context = {
        "alert": alert,
        "household": household,
        "user": user,
        "due_on": alert.due_at.astimezone(clock.BUSINESS_TZ) if alert.due_at else None,
    }
    return {
        "subject": " ".join(_render("emails/alert_subject.txt", context).split()),
        "body": _render("emails/alert.txt", context),
    }


def _render(name: str, context: dict) -> str:
    # the bare environment: the pages' context processors may need a request; a sweep has none
    return current_app.jinja_env.get_template(name).render(**context)


def _webhook(alert: Alert, household: Household | None, users: list[User]) -> dict:
    return {
        "event": "alert",
        "alert": {
            "id": alert.id,
            "kind": alert.kind,
            "household_id": alert.household_id,
            "household_code": household.code if household else None,
            "unit_code": household.unit.code if household else None,
            "deadline_id": alert.deadline_id,
            "role": alert.role,
            "message": alert.message,
            "message_en": alert.message_en,
            "due_at": alert.due_at.isoformat() if alert.due_at else None,
            "created_at": alert.created_at.isoformat(),
            "recipients": [u.username for u in users],
        },
    }


def due_exists():
    """Whether deliver_due has anything to do now, as a column: the first due row of each
    range of ix_outbox_due (see deadlines.anything_due for why not EXISTS)."""
    now = clock.wall_now()

    def first(condition):
        query = db.select(Outbox.id).where(condition).order_by(Outbox.next_attempt_at).limit(1)
        return query.scalar_subquery().is_not(None)

    return first((Outbox.status == "pending") & (Outbox.next_attempt_at <= now)) | first(
        (Outbox.status == "sending") & (Outbox.next_attempt_at < now)
    )


def deliver_due(batch: int = 1) -> int:
    """Send every message that is due now; return how many were sent."""
    _give_up_interrupted()
    sent = 0
    while rows := _claim(batch):
        sent += sum(_deliver(row) for row in rows)
    return sent


def _claim(limit: int) -> list:
    now = clock.wall_now()
    return claim(
        Outbox,
        (Outbox.status == "pending") & (Outbox.next_attempt_at <= now),
        (Outbox.next_attempt_at, Outbox.id),
        limit,
        {"status": "sending", "attempts": Outbox.attempts + 1, "next_attempt_at": now + SEND_LEASE},
        (
            Outbox.id,
            Outbox.channel,
            Outbox.recipient,
            Outbox.payload,
            Outbox.attempts,
            Outbox.possible_duplicate,
        ),
    )


def _deliver(row) -> bool:
    try:
        SENDERS[row.channel](row.id, row.recipient, _as_sent(row))
    except (OSError, http.client.HTTPException, smtplib.SMTPException, DeliveryError) as error:
        _retry_later(row, f"{type(error).__name__}: {error}")
        return False
    _settle(row.id, status="sent", sent_at=clock.wall_now(), last_error=None)
    return True


def _as_sent(row) -> dict:
    """The payload as it goes out: a message resent by an admin says it may be a duplicate."""
    if not row.possible_duplicate:
        return row.payload
    if row.channel == "email":
        return {
            **row.payload,
            "subject": f"{DUPLICATE_MARK} {row.payload['subject']}",
            "body": f"{DUPLICATE_NOTE}\n\n{row.payload['body']}",
        }
    return {**row.payload, "possible_duplicate": True}


def _retry_later(row, error: str) -> None:
    logger.warning(
        "Outbox %s (%s) not delivered, attempt %s: %s", row.id, row.channel, row.attempts, error
    )
    if row.attempts >= MAX_ATTEMPTS:
        _fail(row.id, Outbox.status == "sending", error, given_up=True)
    else:
        _settle(
            row.id,
            status="pending",
            next_attempt_at=clock.wall_now() + backoff(row.attempts),
            last_error=error,
        )


def _settle(outbox_id: int, **values) -> None:
    db.session.execute(
        db.update(Outbox).where(Outbox.id == outbox_id, Outbox.status == "sending").values(**values)
    )
    db.session.commit()


def _give_up_interrupted() -> None:
    """Fail the messages whose sender died mid-send; they are not resent, as they may have
    gone out, but told to the admins."""
    cut_off = (Outbox.status == "sending") & (Outbox.next_attempt_at < clock.wall_now())
    ids = db.session.scalars(db.select(Outbox.id).where(cut_off)).all()
    db.session.commit()
    for outbox_id in ids:
        _fail(outbox_id, cut_off, INTERRUPTED, given_up=False)


def _fail(outbox_id: int, still, error: str, *, given_up: bool) -> None:
    """Mark a message failed if it `still` is as the caller saw it, and tell the admins, in
    one commit: of two senders settling the same row, one marks it and raises the alert."""
    from caseflow.services import undelivered  # it raises alerts, which write messages here

    if not _mark_failed(outbox_id, still, error):
        db.session.commit()
        return
    try:
        undelivered.tell_admins(
            db.session.get(Outbox, outbox_id, populate_existing=True), given_up=given_up
        )
        db.session.commit()
    # a broken alert must not leave the row to be failed again by every sweep
    except Exception:  # noqa: BLE001
        db.session.rollback()
        logger.exception("Could not tell the admins that message %s failed", outbox_id)
        _mark_failed(outbox_id, still, error)
        db.session.commit()


def _mark_failed(outbox_id: int, still, error: str) -> bool:
    return bool(
        db.session.execute(
            db.update(Outbox)
            .where(Outbox.id == outbox_id, still)
            .values(status="failed", last_error=error)
        ).rowcount
    )


def _send_email(outbox_id: int, recipient: str, payload: dict) -> None:
    url = urlsplit(current_app.config.get("CASEFLOW_SMTP_URL") or "")
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise DeliveryError("CASEFLOW_SMTP_URL is not an smtp:// or smtps:// address")
    message = EmailMessage()
    message["Subject"] = payload["subject"]
    message["From"] = current_app.config["CASEFLOW_MAIL_FROM"]
    message["To"] = recipient
    message["Date"] = format_datetime(clock.wall_now())
    message["Message-ID"] = f"<caseflow-outbox-{outbox_id}@{url.hostname}>"
    message.set_content(payload["body"])
    secure = url.scheme == "smtps"
    server = (smtplib.SMTP_SSL if secure else smtplib.SMTP)(
        url.hostname, url.port or (465 if secure else 25), timeout=TIMEOUT_SECONDS
    )
    with server:
        if parse_qs(url.query).get("starttls") == ["1"]:
            server.starttls()
        if url.username:
            server.login(unquote(url.username), unquote(url.password or ""))
        server.send_message(message)


def _send_webhook(outbox_id: int, recipient: str | None, payload: dict) -> None:
    url = current_app.config.get("CASEFLOW_WEBHOOK_URL") or ""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryError("CASEFLOW_WEBHOOK_URL is not an http:// or https:// address")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "caseflow",
            "Idempotency-Key": f"caseflow-outbox-{outbox_id}",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise DeliveryError(f"the webhook answered {response.status}")


SENDERS = {"email": _send_email, "webhook": _send_webhook}
