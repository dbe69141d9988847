"""Messages that may not have gone out: the admins are told, and may send one again.

The outbox fails a message whose sender died mid-send (it may or may not have gone out) and
one refused at its last attempt. Either way a failure alert tells the admins which message,
to whom, about what; `caseflow outbox resend ID` sends it once more, marked as a possible
duplicate. A message about a failed message that fails in its turn raises nothing more.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, gettext

from caseflow import clock
from caseflow.domain.errors import N_, Conflict, NotFound
from caseflow.extensions import db
from caseflow.models import Alert, Household, Outbox
from caseflow.services import alerts, transaction
from caseflow.services.access import storable_id

logger = logging.getLogger(__name__)

CUT_OFF = N_(
    "Message %(id)s (%(channel)s to %(recipient)s, about alert %(alert)s of household "
    "%(household)s) was cut off while being sent: it may or may not have gone out. Ask the "
    "recipient; if it did not arrive, send it again with: caseflow outbox resend %(id)s"
)
GIVEN_UP = N_(
    "Message %(id)s (%(channel)s to %(recipient)s, about alert %(alert)s of household "
    "%(household)s) could not be sent after %(attempts)s attempts (%(error)s). Once the cause "
    "is mended, send it again with: caseflow outbox resend %(id)s"
)


def tell_admins(message: Outbox, *, given_up: bool) -> None:
    """Raise a failure alert to the admins about a failed message; the caller commits."""
    about = db.session.get(Alert, message.alert_id) if message.alert_id else None
    if about is not None and _tells_of_a_failed_message(about):
        logger.error(
            "Message %s, about a failed message, failed too: %s", message.id, message.last_error
        )
        return
    household = (
        db.session.get(Household, about.household_id)
        if about is not None and about.household_id is not None
        else None
    )
    params = {
        "id": message.id,
        "channel": message.channel,
        "recipient": _recipient(message),
        "alert": message.alert_id or "-",
        "household": f"{household.code} ({household.head_name})" if household else "-",
        "attempts": message.attempts,
        "error": message.last_error,
    }
    vietnamese, english = _in_both_languages(GIVEN_UP if given_up else CUT_OFF, params)
    alert = alerts.raise_to_admins("failure", household, vietnamese, english)
    message.failure_alert_id = alert.id


def _tells_of_a_failed_message(alert: Alert) -> bool:
    return (
        db.session.scalar(db.select(Outbox.id).where(Outbox.failure_alert_id == alert.id).limit(1))
        is not None
    )


def _recipient(message: Outbox) -> str:
    if message.recipient:
        return message.recipient
    url = urlsplit(current_app.config.get("CASEFLOW_WEBHOOK_URL") or "")
    return url.hostname or "-"  # not the whole address, which may hold a secret


def _in_both_languages(template: str, params: dict) -> tuple[str, str]:
    """Return the alert's text in Vietnamese (from the catalog) and in English."""
    with force_locale("vi"):
        vietnamese = gettext(template, **params)
    return vietnamese, template % params


def listing(status: str | None = None, limit: int = 100) -> list:
    """Return the latest messages (of one status), newest first, each with its household."""
    query = (
        db.select(Outbox, Household)
        .outerjoin(Alert, Alert.id == Outbox.alert_id)
        .outerjoin(Household, Household.id == Alert.household_id)
    )
    if status:
        query = query.where(Outbox.status == status)
    return list(db.session.execute(query.order_by(Outbox.id.desc()).limit(limit)))


def resend(outbox_id: int) -> Outbox:
    """Send a failed message once more, marked as a possible duplicate; close its alert."""
    with transaction():
        message = (
            db.session.scalar(db.select(Outbox).where(Outbox.id == outbox_id).with_for_update())
            if storable_id(outbox_id)
            else None
        )
        if message is None:
            raise NotFound(N_("Message %(id)s not found."), params={"id": outbox_id})
        if message.status == "sent":
            raise Conflict(
                N_("Message %(id)s was sent; only a failed message can be resent."),
                params={"id": outbox_id},
            )
        if message.status != "failed":
            raise Conflict(
                N_(
                    "Message %(id)s is still to be sent (%(status)s); only a failed "
                    "message can be resent."
                ),
                params={"id": outbox_id, "status": message.status},
            )
        message.status, message.possible_duplicate, message.attempts = "pending", True, 0
        message.next_attempt_at = clock.wall_now()
        if message.failure_alert_id is not None:
            alerts.close(message.failure_alert_id)
    logger.info("Message %s resent, marked as a possible duplicate", outbox_id)
    return message
