"""The clock of the reports that go up: for each report a unit sends, a reminder to its
recipients before the last day (the file's lead time) and an overdue alert after it, as rows of
the deadline table (a unit's, neither a household's nor a round's) fired by the one sweep.

A year's rows are made by `schedule` (init-db, demo, `caseflow reports-up schedule`); firing a
unit's last timer of a year makes that unit's next year, so the clock runs on by itself. Each
row is claimed and fired once (services.deadlines); its alert is unique per deadline and kind.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import force_locale, gettext
from sqlalchemy import insert

from caseflow import clock
from caseflow.domain.errors import N_
from caseflow.domain.reports_up import Due, dues_of_year
from caseflow.domain.statuses import AlertKind, DeadlineKind, DeadlineStatus
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, Unit
from caseflow.services import alerts, outbox
from caseflow.services.definitions import business_calendar
from caseflow.services.reports_up_rules import rules
from caseflow.services.retries import mark_fired, record_failure

logger = logging.getLogger(__name__)

REMIND = N_("%(report)s, %(unit)s, period %(period)s: to be sent by %(day)s.")
OVERDUE = N_("%(report)s, %(unit)s, period %(period)s: was due by %(day)s and is overdue.")
#: a unit timer's `state`: it belongs to the unit, whatever its households do
UNIT = "unit"
KINDS = {"remind": DeadlineKind.REMIND, "overdue": DeadlineKind.OVERDUE}


def key_of(due: Due, kind: str, role: str) -> str:
    """ "monthly:2026-03:remind:officer": unique among a unit's timers."""
    return f"{due.period_key}:{kind}:{role}"


def schedule(year: int, unit_ids: list[int] | None = None) -> int:
    """Make the year's timers of every sending unit (or of those given) not made yet, whose
    moment is not past; commit; return how many were made."""
    found, calendar, now = rules(), business_calendar(), clock.now()
    levels = {level for report in found.reports for level in report.senders}
    query = db.select(Unit.id, Unit.level).where(Unit.level.in_(levels))
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    senders = db.session.execute(query).all()
    made = _made(year, [unit_id for unit_id, _ in senders])
    rows = []
    for unit_id, level in senders:
        for due in dues_of_year(found, level, year, calendar):
            for kind, moment in (("remind", due.remind_at), ("overdue", due.overdue_at)):
                for role in due.report.notify:
                    key = key_of(due, kind, role)
                    if moment >= now and (unit_id, key) not in made:
                        rows.append(_row(unit_id, due.report.key, key, kind, moment))
    if rows:
        db.session.execute(insert(Deadline), rows)
    db.session.commit()
    return len(rows)


def _made(year: int, unit_ids: list[int]) -> set[tuple[int, str]]:
    """The (unit, key) of the year's timers already made, whatever became of them."""
    if not unit_ids:
        return set()
    rows = db.session.execute(
        db.select(Deadline.unit_id, Deadline.key).where(
            Deadline.unit_id.in_(unit_ids), Deadline.key.like(f"%:{year}%")
        )
    )
    return {(unit_id, key) for unit_id, key in rows}


def _row(unit_id: int, report: str, key: str, kind: str, moment: datetime) -> dict:
    return {
        "household_id": None,
        "round_id": None,
        "unit_id": unit_id,
        "key": key,
        "timer": report,
        "kind": KINDS[kind],
        "due_at": moment,
        "state": UNIT,
        "until_states": "",
        "status": DeadlineStatus.PENDING,
        "attempts": 0,
        "created_at": clock.now(),
    }


def fire(due) -> str:
    """Fire one claimed unit timer in its own transaction; return what became of it."""
    from caseflow.services import deadlines

    try:
        return _fire(due, deadlines.MAX_ATTEMPTS)
    # As for the other timers: whatever goes wrong is recorded and retried, and must not stop
    # the sweep from firing the others.
    except Exception as error:  # noqa: BLE001
        db.session.rollback()
        logger.exception("Report timer %s failed (attempt %s)", due.id, due.attempts)
        _failed(due, f"{type(error).__name__}: {error}", deadlines.MAX_ATTEMPTS)
        return "failed"


def _fire(due, max_attempts: int) -> str:
    owned = mark_fired(due)
    if not owned:  # taken over by another sweep
        db.session.rollback()
        return "skipped"
    deadline = db.session.get(Deadline, due.id, populate_existing=True)
    found = _due_of(deadline)
    if due.attempts > max_attempts:
        deadline.status, deadline.last_error = DeadlineStatus.FAILED, "interrupted too often"
    elif found is None:  # the report, or that month of it, left the file
        deadline.status = DeadlineStatus.CANCELLED
    else:
        kind, role = deadline.key.split(":")[-2:]
        _alert(deadline, found, kind, role)
        if _last_of_year(deadline, found):
            schedule(found.year + 1, [deadline.unit_id])
    outcome = deadline.status
    db.session.commit()
    return outcome


def _due_of(deadline: Deadline) -> Due | None:
    """The report's due this timer is about, as the file now says it."""
    unit = db.session.get(Unit, deadline.unit_id)
    period = deadline.key.split(":")[1]
    year = int(period[:4])
    for found in dues_of_year(rules(), unit.level, year, business_calendar()):
        if found.period_key == f"{deadline.timer}:{period}":
            return found
    return None


def _last_of_year(deadline: Deadline, found: Due) -> bool:
    unit = db.session.get(Unit, deadline.unit_id)
    year = dues_of_year(rules(), unit.level, found.year, business_calendar())
    return deadline.kind == DeadlineKind.OVERDUE and found.period_key == year[-1].period_key


def _alert(deadline: Deadline, found: Due, kind: str, role: str) -> Alert | None:
    """Raise this timer's alert to `role` at its unit (and above), with its outbox rows."""
    alert_kind = AlertKind.OVERDUE if kind == "overdue" else AlertKind.REMINDER
    if db.session.scalar(
        db.select(Alert.id).where(Alert.deadline_id == deadline.id, Alert.kind == alert_kind)
    ):
        return None
    unit = db.session.get(Unit, deadline.unit_id)
    message, message_en = _messages(found, unit, kind)
    alert = Alert(
        kind=alert_kind,
        household_id=None,
        deadline_id=deadline.id,
        role=role,
        unit_id=unit.id,
        message=message,
        message_en=message_en,
        due_at=business_calendar().start_of_day(found.last_day),
        created_at=clock.now(),
        status="open",
    )
    db.session.add(alert)
    db.session.flush()
    if outbox.configured():
        outbox.enqueue(alert, None, alerts.recipients(alert))
    return alert


def _messages(found: Due, unit: Unit, kind: str) -> tuple[str, str]:
    from caseflow.i18n import show_date

    period = f"{found.starts_on.month:02d}/{found.starts_on.year}" if found.month else found.year
    texts = []
    for lang in ("vi", "en"):
        with force_locale(lang):
            texts.append(
                gettext(
                    OVERDUE if kind == "overdue" else REMIND,
                    report=found.report.name(lang),
                    unit=unit.name,
                    period=period,
                    day=show_date(found.last_day),
                )
            )
    return texts[0], texts[1]


def _failed(due, error: str, max_attempts: int) -> None:
    """Put a failed unit timer back for a later retry, or give it up after the last try."""
    record_failure(due, error, max_attempts, _give_up, "report timer")


def _give_up(deadline: Deadline, error: str) -> None:
    deadline.status, deadline.claimed_until = DeadlineStatus.FAILED, None
    deadline.last_error = error[:2000]
