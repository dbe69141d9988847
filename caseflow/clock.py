"""The only source of "now": tests and `caseflow sweep --as-of` move it.

Two clocks: `now()` says what is due (business time, moved by `frozen_at`), `wall_now()` times
the machinery (claim leases, retry delays, sending), which must run on the machine's real time
whatever moment a sweep acts as of, or an interrupted sweep as of next month would leave its
claims held until next month.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_state = threading.local()
#: the business calendar's zone: Vietnam's unless CASEFLOW_TIMEZONE says otherwise
BUSINESS_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UTC_TZ = UTC


def use_business_timezone(name: str) -> None:
    """Count "today" in the zone `name` (CASEFLOW_TIMEZONE); one zone per process."""
    global BUSINESS_TZ
    BUSINESS_TZ = ZoneInfo(name)


def now() -> datetime:
    """Return the current time, aware, in UTC."""
    frozen = getattr(_state, "frozen", None)
    return frozen if frozen is not None else datetime.now(UTC)


def wall_now() -> datetime:
    """Return the machine's real time, aware, in UTC: never moved by frozen_at or --as-of."""
    return datetime.now(UTC)


def today() -> date:
    """Return today's date in the business time zone."""
    return now().astimezone(BUSINESS_TZ).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """Make now() return `moment` inside the block (this thread only)."""
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous = getattr(_state, "frozen", None)
    _state.frozen = moment.astimezone(UTC)
    try:
        yield _state.frozen
    finally:
        _state.frozen = previous
