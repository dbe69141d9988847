"""How long to wait before trying again: the one backoff of the sweep's deadlines (a household's
or a round's) and of the outbox's messages."""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Return the wait after the `attempts`-th failed try: doubling from FIRST_RETRY, capped."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
