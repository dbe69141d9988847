"""A round's timers: a reminder before its closing day, and its report days, as rows of the
deadline table (a round's, not a household's) fired by the one sweep (services.deadlines).

Each reminder of workflows/rounds/ makes one row per role it notifies; firing one raises an
alert to that role within the round's unit (and the units above it, where officers sit).
"""

from __future__ import annotations

import logging

from flask_babel import force_locale, gettext

from caseflow import clock
from caseflow.domain.errors import N_
from caseflow.domain.rounds import (
    KindDef,
    PlannedReminder,
    RoundStatus,
    due_day,
    fill,
    plan_reminders,
)
from caseflow.domain.statuses import AlertKind, DeadlineKind, DeadlineStatus
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, ReviewRound
from caseflow.services import alerts, outbox
from caseflow.services.definitions import business_calendar
from caseflow.services.retries import mark_fired, record_failure
from caseflow.services.round_rules import kind as kind_of

logger = logging.getLogger(__name__)

SUPERVISOR = "supervisor"
FAILED = N_("The reminder '%(timer)s' of the %(round)s of %(unit)s could not be raised.")
#: a round timer's `state`: it belongs to the round while it is open
OPEN = "open"


def schedule(found: ReviewRound) -> list[Deadline]:
    """Make the round's timers (those about a day not yet past); the caller commits."""
    kind = kind_of(found.kind)
    today = clock.today()
    planned = plan_reminders(
        kind, found.opens_on, found.closes_on, found.year, found.month, business_calendar()
    )
    rows = [_row(found, plan) for plan in planned if plan.due_on >= today]
    db.session.add_all(rows)
    return rows


def _row(found: ReviewRound, plan: PlannedReminder) -> Deadline:
    return Deadline(
        household_id=None,
        round_id=found.id,
        key=plan.key,
        timer=plan.reminder.key,
        kind=DeadlineKind.REMIND,
        due_at=plan.fires_at,
        state=OPEN,
        until_states="",
        status=DeadlineStatus.PENDING,
        attempts=0,
        created_at=clock.now(),
    )


def cancel_while_open(found: ReviewRound) -> None:
    """A closed round needs no reminder of its closing day: cancel it, close its alerts."""
    kind = kind_of(found.kind)
    keys = [r.key for r in kind.reminders if r.while_open]
    if not keys:
        return
    ids = db.session.scalars(
        db.select(Deadline.id).where(
            Deadline.round_id == found.id,
            Deadline.timer.in_(keys),
            Deadline.status.in_((DeadlineStatus.PENDING, DeadlineStatus.CLAIMED)),
        )
    ).all()
    if ids:
        db.session.execute(
            db.update(Deadline).where(Deadline.id.in_(ids)).values(status=DeadlineStatus.CANCELLED)
        )
    alerts.close_for_deadlines(
        list(
            db.session.scalars(
                db.select(Deadline.id).where(
                    Deadline.round_id == found.id, Deadline.timer.in_(keys)
                )
            )
        )
    )


def fire(due) -> str:
    """Fire one claimed round timer in its own transaction; return what became of it.

    `due` is the sweep's claim (services.deadlines.Claim). A failure is recorded on the row and
    retried like a household's timer, then raised to the unit's supervisors.
    """
    from caseflow.services import deadlines

    try:
        return _fire(due)
    # As for a household's timer: whatever goes wrong is recorded and retried, and must not
    # stop the sweep from firing the others.
    except Exception as error:  # noqa: BLE001
        db.session.rollback()
        logger.exception("Round timer %s failed (attempt %s)", due.id, due.attempts)
        _failed(due, f"{type(error).__name__}: {error}", deadlines)
        return "failed"


def _fire(due) -> str:
    from caseflow.services import deadlines, rounds

    round_id = db.session.scalar(db.select(Deadline.round_id).where(Deadline.id == due.id))
    found = db.session.scalar(
        db.select(ReviewRound)
        .where(ReviewRound.id == round_id)
        .with_for_update(of=ReviewRound)
        .execution_options(populate_existing=True)
    )
    owned = mark_fired(due)
    if not owned:  # cancelled as the round closed, or taken over by another sweep
        db.session.rollback()
        return "skipped"
    deadline = db.session.get(Deadline, due.id, populate_existing=True)
    if due.attempts > deadlines.MAX_ATTEMPTS:
        _give_up(found, deadline, deadline.last_error or "interrupted too often")
    else:
        rounds.settle(found)
        kind = kind_of(found.kind)
        reminder = kind.reminder(deadline.timer)
        if reminder is None or (reminder.while_open and found.status != RoundStatus.OPEN):
            deadline.status = DeadlineStatus.CANCELLED
        else:
            role = deadline.key.rsplit(":", 1)[-1]
            _alert(AlertKind.REMINDER, found, deadline, role, *_messages(found, kind, reminder))
    outcome = deadline.status
    db.session.commit()
    return outcome


def _messages(found: ReviewRound, kind: KindDef, reminder) -> tuple[str, str]:
    from caseflow.i18n import show_date
    from caseflow.services import round_roster

    progress = round_roster.progress_of(None, [found.id])[found.id][0]
    due_on = _due_on(found, kind, reminder)
    texts = []
    for lang in ("vi", "en"):
        with force_locale(lang):
            values = {
                "round": kind.title(lang, found.year, found.month),
                "unit": found.unit.name,
                "due_on": show_date(due_on),
                "undecided": progress.undecided,
            }
            texts.append(fill(reminder.message(lang), values))
    return texts[0], texts[1]


def _due_on(found: ReviewRound, kind: KindDef, reminder):
    return due_day(reminder.due, found.opens_on, found.closes_on, found.year, found.month)


def _alert(
    kind: str, found: ReviewRound, deadline: Deadline, role: str, message: str, message_en: str
) -> Alert | None:
    """Raise one alert of this deadline to `role` at the round's unit, with its outbox rows."""
    if db.session.scalar(
        db.select(Alert.id).where(Alert.deadline_id == deadline.id, Alert.kind == kind)
    ):
        return None
    reminder = kind_of(found.kind).reminder(deadline.timer)
    due_on = _due_on(found, kind_of(found.kind), reminder) if reminder else None
    alert = Alert(
        kind=kind,
        household_id=None,
        deadline_id=deadline.id,
        role=role,
        unit_id=found.unit_id,
        message=message,
        message_en=message_en,
        due_at=business_calendar().start_of_day(due_on) if due_on else deadline.due_at,
        created_at=clock.now(),
        status="open",
    )
    db.session.add(alert)
    db.session.flush()
    if outbox.configured():
        outbox.enqueue(alert, None, alerts.recipients(alert))
    return alert


def _failed(due, error: str, deadlines) -> None:
    """Put a failed round timer back for a later retry, or give it up after the last try."""
    record_failure(
        due,
        error,
        deadlines.MAX_ATTEMPTS,
        lambda deadline, error: _give_up(
            db.session.get(ReviewRound, deadline.round_id), deadline, error
        ),
        "round timer",
    )


def _give_up(found: ReviewRound, deadline: Deadline, error: str) -> None:
    deadline.status, deadline.claimed_until = DeadlineStatus.FAILED, None
    deadline.last_error = error[:2000]
    title = kind_of(found.kind).title
    texts = []
    for lang in ("vi", "en"):
        with force_locale(lang):
            texts.append(
                gettext(
                    FAILED,
                    round=title(lang, found.year, found.month),
                    unit=found.unit.name,
                    timer=deadline.timer,
                )
            )
    _alert(AlertKind.FAILURE, found, deadline, SUPERVISOR, *texts)
