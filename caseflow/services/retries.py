"""Claims and trying again: whether a sweep's claim still holds its deadline, the one backoff of
the deadlines (a household's, a round's or a unit's) and of the outbox's messages, and the one
way a failed deadline is put back or given up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from caseflow import clock
from caseflow.domain.statuses import DeadlineStatus
from caseflow.extensions import db
from caseflow.models import Deadline

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Return the wait after the `attempts`-th failed try: doubling from FIRST_RETRY, capped."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _held(due):
    """The condition that the claim `due` still holds its deadline."""
    return (
        (Deadline.id == due.id)
        & (Deadline.status == DeadlineStatus.CLAIMED)
        & (Deadline.claimed_until == due.claimed_until)
    )


def still_claimed(due) -> Deadline | None:
    """Return the claimed deadline, locked, if the claim `due` is still the one holding it."""
    return db.session.scalar(
        db.select(Deadline)
        .where(_held(due))
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def mark_fired(due) -> bool:
    """Mark the claimed deadline fired; False when the claim no longer holds it (cancelled
    meanwhile, or taken over by another sweep)."""
    return bool(
        db.session.execute(
            db.update(Deadline)
            .where(_held(due))
            .values(status=DeadlineStatus.FIRED, fired_at=clock.now(), claimed_until=None)
        ).rowcount
    )


def record_failure(
    due, error: str, max_attempts: int, give_up: Callable[[Deadline, str], None], what: str
) -> None:
    """Put a failed deadline back for a retry after the backoff, or, after `max_attempts`, call
    `give_up(deadline, error)`; in a transaction of its own. If even that fails, the claim
    expires and the next sweep tries again."""
    try:
        deadline = still_claimed(due)
        if deadline is None:
            return
        if due.attempts >= max_attempts:
            give_up(deadline, error)
        else:
            deadline.status, deadline.claimed_until = DeadlineStatus.PENDING, None
            deadline.retry_at = clock.wall_now() + backoff(due.attempts)
            deadline.last_error = error[:2000]
        db.session.commit()
    except Exception:  # noqa: BLE001 - the claim expires and the next sweep tries again
        db.session.rollback()
        logger.exception("Could not record the failure of %s %s", what, due.id)
