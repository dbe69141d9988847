"""How long a login must wait before it is even checked.

Two rules, neither of which can lock anyone out:
- a (user name, address) pair that failed 3 times in a row waits 2^(n-3) seconds after its
  n-th failure, up to 15 minutes; a success clears it. Failures elsewhere never count, so the
  right password from another address always goes through;
- an address that failed with many different user names lately (password spraying) waits
  before trying a name it has not logged in with, longer with each name. People who logged in
  from that address before are spared, so a commune office that shares one address keeps
  working while someone there guesses.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

#: failures of a pair that cost nothing (typing slips)
PAIR_FREE_FAILURES = 3
PAIR_MAX_WAIT = timedelta(minutes=15)
#: failures older than this are forgotten
PAIR_WINDOW = timedelta(days=1)
#: distinct user names failed from one address within SPRAY_WINDOW before it is slowed
SPRAY_NAMES = 10
SPRAY_WINDOW = timedelta(minutes=15)
ADDRESS_MAX_WAIT = timedelta(minutes=5)
#: a pair that succeeded this recently is not slowed by its address's spraying
KNOWN_FOR = timedelta(days=30)


def pair_wait(failures: int) -> timedelta:
    """Return how long a pair waits after its `failures`-th failure in a row."""
    return _doubling(failures - PAIR_FREE_FAILURES, PAIR_MAX_WAIT)


def address_wait(names: int) -> timedelta:
    """Return how long an address that failed with `names` user names waits for a new name."""
    return _doubling(names - SPRAY_NAMES, ADDRESS_MAX_WAIT)


def left(last_failure: datetime | None, wait: timedelta, now: datetime) -> timedelta:
    """Return how much of `wait`, counted from the last failure, is still to go."""
    if last_failure is None:
        return timedelta(0)
    return max(last_failure + wait - now, timedelta(0))


def seconds(wait: timedelta) -> int:
    """Return a wait in whole seconds, rounded up (what Retry-After says)."""
    return math.ceil(wait.total_seconds())


def _doubling(step: int, cap: timedelta) -> timedelta:
    if step < 0:
        return timedelta(0)
    if step >= math.log2(cap.total_seconds()):
        return cap
    return min(timedelta(seconds=2**step), cap)
