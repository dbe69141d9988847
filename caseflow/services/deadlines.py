"""The sweep: claim due deadlines in bounded batches, fire each batch as a set.

Claims expire (a crashed sweep's batch is taken up again by the next one) and firing checks
that it still owns the claim, so several sweeps at once fire every deadline exactly once. A
batch of households' deadlines fires in one transaction (services.deadline_sets); a round's
timer, a deadline given up, one whose rule fails, or every one of a batch that failed as a set,
fires alone in its own, where a failure is recorded and retried with the one backoff.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Deadline, Household
from caseflow.services import alerts, deadline_sets, outbox, writing
from caseflow.services.claims import claim
from caseflow.services.deadline_sets import SUPERVISOR, timer_of
from caseflow.services.definitions import workflow
from caseflow.services.retries import record_failure, still_claimed

logger = logging.getLogger(__name__)

BATCH = 500
#: a claim not fired within this time (on the wall clock) is taken up again by another sweep
LEASE = timedelta(minutes=5)
#: claims of one deadline before it is given up and raised to the supervisors
MAX_ATTEMPTS = 5


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
    #: a unit's timer (a report that goes up is due); None for the others
    unit_id: int | None = None


def sweep(
    as_of: datetime | None = None,
    *,
    limit: int | None = None,
    batch: int | None = None,
    deliver: bool = True,
) -> SweepResult:
    """Fire every deadline due at `as_of` (default: now), at most `limit`; then send the outbox."""
    if as_of is not None:
        with clock.frozen_at(as_of):
            return sweep(limit=limit, batch=batch, deliver=deliver)
    batch = batch or BATCH
    result, handled = SweepResult(), 0
    deadlines_due, messages_due = anything_due()
    with writing():  # read, then write: on SQLite each transaction takes the write lock first
        while deadlines_due and (limit is None or handled < limit):
            claims = claim_due(batch if limit is None else min(batch, limit - handled))
            if not claims:
                break
            for outcome in fire_claims(claims):
                setattr(result, outcome, getattr(result, outcome) + 1)
            handled += len(claims)
        if deliver and (handled or messages_due):
            result.delivered = outbox.deliver_due()
    if handled:
        logger.info("Sweep at %s: %s", clock.now().isoformat(), result)
    return result


def _expired(now: datetime, wall: datetime):
    return (
        (Deadline.status == "claimed") & (Deadline.due_at <= now) & (Deadline.claimed_until < wall)
    )


def _pending(now: datetime, wall: datetime):
    return (
        (Deadline.status == "pending")
        & (Deadline.due_at <= now)
        & or_(Deadline.retry_at.is_(None), Deadline.retry_at <= wall)
    )


def anything_due() -> tuple[bool, bool]:
    """Tell whether any deadline, and any message, is due: one read of the due ranges of
    ix_deadline_due and ix_outbox_due that writes nothing, so an idle sweep costs one query.

    Each range is read as its first row in due order (not EXISTS): PostgreSQL plans a prepared
    statement generically, and a generic EXISTS over a million rows may scan them all.
    """
    now, wall = clock.now(), clock.wall_now()

    def first(condition):
        query = db.select(Deadline.id).where(condition).order_by(Deadline.due_at).limit(1)
        return query.scalar_subquery().is_not(None)

    deadlines_due, messages_due = db.session.execute(
        db.select(first(_expired(now, wall)) | first(_pending(now, wall)), outbox.due_exists())
    ).one()
    db.session.commit()  # ends the read (a caller's own pending changes are kept, as before)
    return bool(deadlines_due), bool(messages_due)


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
        Deadline.unit_id,
    )
    order = (Deadline.due_at,)
    # two statements, so that each walks ix_deadline_due in order and stops at `limit`
    rows = claim(Deadline, _expired(now, wall), order, limit, values, columns)
    if len(rows) < limit:
        rows += claim(Deadline, _pending(now, wall), order, limit - len(rows), values, columns)
    return sorted((Claim(*row) for row in rows), key=lambda c: (c.due_at, c.id))


def fire_claims(claims: list[Claim]) -> list[str]:
    """Fire a claimed batch: the households' deadlines as one set, in one transaction; the
    rest alone. A set that fails is rolled back and each of its deadlines fired alone."""
    together, alone = [], []
    for due in claims:
        on_its_own = due.household_id is None or due.attempts > MAX_ATTEMPTS
        (alone if on_its_own else together).append(due)
    outcomes: list[str] = []
    if together:
        try:
            fired = deadline_sets.fire_set(together)
            db.session.commit()
            outcomes += fired.outcomes.values()
            alone += fired.alone
        # Whatever failed the set (the database, a bug) may be one deadline's: firing each
        # alone fires the others and records the failure on that one.
        except Exception:  # noqa: BLE001
            db.session.rollback()
            logger.exception("A set of %s deadlines failed; firing each alone", len(together))
            alone += together
    outcomes += [fire(due) for due in sorted(alone, key=lambda c: (c.due_at, c.id))]
    return outcomes


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
    if due.unit_id is not None:  # a report that goes up: its own module fires it
        from caseflow.services import report_timers

        return report_timers.fire(due)
    if due.household_id is None:  # a review round's timer: its own module fires it
        from caseflow.services import round_timers

        return round_timers.fire(due)
    if due.attempts > MAX_ATTEMPTS:
        return _give_up_claim(due)
    fired = deadline_sets.fire_set([due])  # a set of one: the same rules, the same rows
    if due.id in fired.errors:
        raise fired.errors[due.id]
    outcome = fired.outcomes.get(due.id, "skipped")
    db.session.commit()
    return outcome


def _give_up_claim(due: Claim) -> str:
    """Give up a deadline claimed too often (each sweep died before firing it)."""
    household = db.session.scalar(
        db.select(Household)
        .where(Household.id == due.household_id)
        .with_for_update(of=Household)
        .execution_options(populate_existing=True)
    )
    deadline = still_claimed(due)
    if deadline is None:
        db.session.rollback()
        return "skipped"
    _give_up(household, deadline, deadline.last_error or "interrupted too often")
    db.session.commit()
    return "failed"


def _record_failure(due: Claim, error: str) -> None:
    """Put a failed deadline back for a later retry, or give it up after MAX_ATTEMPTS."""
    record_failure(
        due,
        error,
        MAX_ATTEMPTS,
        lambda deadline, error: _give_up(
            db.session.get(Household, due.household_id), deadline, error
        ),
        "deadline",
    )


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
