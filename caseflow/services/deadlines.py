"""The sweep: claim due deadlines in bounded batches, fire each in its own transaction.

Claims expire (a crashed sweep's batch is taken up again by the next one) and firing checks
that it still owns the claim, so several sweeps at once fire every deadline exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_

from caseflow import clock
from caseflow.domain.engine import ends_deadline, transition_for, validate_payload
from caseflow.domain.planner import CLOCK
from caseflow.domain.workflow import TimerDef, WorkflowDef
from caseflow.extensions import db
from caseflow.models import Deadline, Household
from caseflow.services import alerts, cases, moves, outbox
from caseflow.services.claims import claim
from caseflow.services.definitions import business_calendar, workflow

logger = logging.getLogger(__name__)

BATCH = 100
#: a claim not fired within this time (on the wall clock) is taken up again by another sweep
LEASE = timedelta(minutes=5)
#: claims of one deadline before it is given up and raised to the supervisors
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
SUPERVISOR = "supervisor"


@dataclass
class SweepResult:
    """What a sweep did: deadlines fired, cancelled (case moved on), failed; messages sent."""

    fired: int = 0
    cancelled: int = 0
    failed: int = 0
    skipped: int = 0
    delivered: int = 0


@dataclass(frozen=True)
class Claim:
    id: int
    #: None for a review round's timer
    household_id: int | None
    due_at: datetime
    claimed_until: datetime
    attempts: int


def sweep(
    as_of: datetime | None = None,
    *,
    limit: int | None = None,
    batch: int = BATCH,
    deliver: bool = True,
) -> SweepResult:
    """Fire every deadline due at `as_of` (default: now), at most `limit`; then send the outbox."""
    if as_of is not None:
        with clock.frozen_at(as_of):
            return sweep(limit=limit, batch=batch, deliver=deliver)
    result, handled = SweepResult(), 0
    while limit is None or handled < limit:
        claims = claim_due(batch if limit is None else min(batch, limit - handled))
        if not claims:
            break
        for due in claims:
            outcome = fire(due)
            setattr(result, outcome, getattr(result, outcome) + 1)
        handled += len(claims)
    if deliver:
        result.delivered = outbox.deliver_due()
    if handled:
        logger.info("Sweep at %s: %s", clock.now().isoformat(), result)
    return result


def claim_due(limit: int) -> list[Claim]:
    """Claim up to `limit` due deadlines, oldest due first; expired claims are due again.

    What is due is business time (as of the sweep's moment); leases and retry delays are on
    the wall clock, so that claims left by a killed `sweep --as-of` expire in minutes.
    """
    now, wall = clock.now(), clock.wall_now()
    values = {"status": "claimed", "claimed_until": wall + LEASE, "attempts": Deadline.attempts + 1}
    columns = (
        Deadline.id,
        Deadline.household_id,
        Deadline.due_at,
        Deadline.claimed_until,
        Deadline.attempts,
    )
    order = (Deadline.due_at,)
    # two statements, so that each walks ix_deadline_due in order and stops at `limit`
    expired = (
        (Deadline.status == "claimed") & (Deadline.due_at <= now) & (Deadline.claimed_until < wall)
    )
    rows = claim(Deadline, expired, order, limit, values, columns)
    if len(rows) < limit:
        pending = (
            (Deadline.status == "pending")
            & (Deadline.due_at <= now)
            & or_(Deadline.retry_at.is_(None), Deadline.retry_at <= wall)
        )
        rows += claim(Deadline, pending, order, limit - len(rows), values, columns)
    return sorted((Claim(*row) for row in rows), key=lambda c: (c.due_at, c.id))


def fire(due: Claim) -> str:
    """Fire one claimed deadline in its own transaction; return what became of it."""
    try:
        return _fire(due)
    # Whatever one deadline does wrong (a guard, the database, a bug) is recorded on it and
    # retried; it must not stop the sweep from firing the others.
    except Exception as error:  # noqa: BLE001
        db.session.rollback()
        logger.exception("Deadline %s failed (attempt %s)", due.id, due.attempts)
        _record_failure(due, f"{type(error).__name__}: {error}")
        return "failed"


def _fire(due: Claim) -> str:
    if due.household_id is None:  # a review round's timer: its own module fires it
        from caseflow.services import round_timers

        return round_timers.fire(due)
    now = clock.now()
    # lock the case before the deadline, in the order transitions take them
    household = db.session.scalar(
        db.select(Household)
        .where(Household.id == due.household_id)
        .with_for_update(of=Household)
        .execution_options(populate_existing=True)
    )
    owned = db.session.execute(
        db.update(Deadline)
        .where(
            Deadline.id == due.id,
            Deadline.status == "claimed",
            Deadline.claimed_until == due.claimed_until,
        )
        .values(status="fired", fired_at=now, claimed_until=None, retry_at=None)
    ).rowcount
    if not owned:  # done by a visit, cancelled by a transition, or taken over by another sweep
        db.session.rollback()
        return "skipped"
    deadline = db.session.get(Deadline, due.id, populate_existing=True)
    if due.attempts > MAX_ATTEMPTS:
        _give_up(household, deadline, deadline.last_error or "interrupted too often")
    elif ends_deadline(household.state, deadline.state, deadline.until):
        deadline.status = "cancelled"
        alerts.close_for_deadlines([deadline.id])
    else:
        definition = workflow(household.workflow, household.workflow_version)
        KINDS[deadline.kind](household, deadline, timer_of(definition, deadline), definition)
    outcome = deadline.status  # fired, cancelled or failed: what the sweep counts
    db.session.commit()
    return outcome


def timer_of(definition: WorkflowDef, deadline: Deadline) -> TimerDef:
    """Return the workflow timer a deadline row comes from."""
    state = definition.states.get(deadline.state)
    timer = next((t for t in state.timers if t.key == deadline.timer), None) if state else None
    if timer is None:
        raise LookupError(
            f"{definition.name} v{definition.version} has no timer "
            f"'{deadline.timer}' in state '{deadline.state}'"
        )
    return timer


def _work_due_at(deadline: Deadline, timer: TimerDef) -> datetime:
    """When the work is due: a reminder's or escalation's own timer row says."""
    if deadline.key == timer.key:
        return deadline.due_at
    main = db.session.scalar(
        db.select(Deadline.due_at)
        .where(
            Deadline.household_id == deadline.household_id,
            Deadline.key == timer.key,
            Deadline.status.in_(("pending", "claimed", "fired")),
        )
        .order_by(Deadline.id.desc())
    )
    return main or deadline.due_at


def _alert(
    kind: str, household: Household, deadline: Deadline, timer: TimerDef, role: str | None = None
) -> None:
    alerts.raise_alert(
        kind,
        household,
        deadline,
        role or timer.notify,
        timer.message_vi or timer.key,
        timer.message_en or None,
        _work_due_at(deadline, timer),
    )


def _remind(household, deadline, timer, definition) -> None:
    _alert("reminder", household, deadline, timer)
    if deadline.key == timer.key and timer.due.unit == "annual":
        _schedule(
            deadline,
            timer.key,
            deadline.kind,
            timer.due.apply(max(deadline.due_at, clock.now()), business_calendar()),
        )


def _overdue(household, deadline, timer, definition) -> None:
    _alert("overdue", household, deadline, timer)
    if timer.escalate_after is not None:
        _schedule(
            deadline,
            f"{timer.key}:escalate",
            "escalate",
            timer.escalate_after.apply(deadline.due_at, business_calendar()),
        )


def _escalate(household, deadline, timer, definition) -> None:
    _alert("escalation", household, deadline, timer, role=SUPERVISOR)


def _auto(household, deadline, timer, definition) -> None:
    transition = transition_for(definition, household.state, timer.trigger)
    payload = validate_payload(transition, {}, clock.today())
    cases.move(
        moves.views([household.id])[household.id],
        definition,
        transition,
        payload,
        None,
        actor=CLOCK,
    )


def _repeat(household, deadline, timer, definition) -> None:
    # the next occurrence is scheduled by doing the work (services.visits), not by the clock
    _alert("reminder", household, deadline, timer)


KINDS = {
    "remind": _remind,
    "overdue": _overdue,
    "escalate": _escalate,
    "auto": _auto,
    "repeat": _repeat,
}


def _schedule(after: Deadline, key: str, kind: str, due_at: datetime) -> None:
    """Add a follow-on deadline in the same span, unless one is already pending."""
    if (
        db.session.scalar(
            db.select(Deadline.id).where(
                Deadline.household_id == after.household_id,
                Deadline.key == key,
                Deadline.status.in_(("pending", "claimed")),
            )
        )
        is None
    ):
        db.session.add(
            Deadline(
                household_id=after.household_id,
                key=key,
                timer=after.timer,
                kind=kind,
                due_at=due_at,
                state=after.state,
                until_states=after.until_states,
            )
        )


def _record_failure(due: Claim, error: str) -> None:
    """Put a failed deadline back for a later retry, or give it up after MAX_ATTEMPTS."""
    try:
        deadline = db.session.scalar(
            db.select(Deadline)
            .where(
                Deadline.id == due.id,
                Deadline.status == "claimed",
                Deadline.claimed_until == due.claimed_until,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if deadline is None:
            return
        if due.attempts >= MAX_ATTEMPTS:
            _give_up(db.session.get(Household, due.household_id), deadline, error)
        else:
            delay = min(FIRST_RETRY * 2 ** (due.attempts - 1), LONGEST_RETRY)
            deadline.status, deadline.claimed_until = "pending", None
            deadline.retry_at, deadline.last_error = clock.wall_now() + delay, error[:2000]
        db.session.commit()
    except Exception:  # noqa: BLE001 - the claim expires and the next sweep tries again
        db.session.rollback()
        logger.exception("Could not record the failure of deadline %s", due.id)


def _give_up(household: Household, deadline: Deadline, error: str) -> None:
    deadline.status, deadline.claimed_until, deadline.last_error = "failed", None, error[:2000]
    definition = workflow(household.workflow, household.workflow_version)
    try:
        timer = timer_of(definition, deadline)
        message, message_en = timer.message_vi or timer.key, timer.message_en or None
    except LookupError:
        message, message_en = deadline.key, None
    alerts.raise_alert(
        "failure", household, deadline, SUPERVISOR, message, message_en, deadline.due_at
    )
