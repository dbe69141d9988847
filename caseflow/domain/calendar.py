"""Durations of workflow files and the business calendar they are counted on."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

from caseflow.domain.errors import DomainError

UNITS = ("days", "working_days", "months", "annual")

_DURATION = re.compile(
    r"\s*(?:(?P<amount>[0-9]+)\s+(?P<unit>working\s+days?|days?|months?|years?)"
    r"|next\s+(?P<month>[0-9]{2})-(?P<day>[0-9]{2}))\s*",
    re.IGNORECASE | re.ASCII,
)
_EXPECTED = "expected 'N days', 'N working days', 'N months', 'N years' or 'next MM-DD'"


class DurationError(DomainError):
    """A duration text or value does not follow the grammar of workflow files."""

    code = "invalid_duration"

    def __init__(self, text: object, reason: str):
        super().__init__(f"Invalid duration {text!r}: {reason}.")
        self.text = text
        self.reason = reason


class BusinessCalendar:
    """Working days and local dates of the business: Vietnamese public holidays plus admin days."""

    def __init__(
        self,
        tz: str = "Asia/Ho_Chi_Minh",
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
    ):
        self.tz = ZoneInfo(tz)
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)
        self._holidays: dict[int, holidays.HolidayBase] = {}

    def is_public_holiday(self, d: date) -> bool:
        """Tell whether d is a Vietnamese public holiday (Tết included)."""
        if d.year not in self._holidays:
            self._holidays[d.year] = holidays.country_holidays("VN", years=d.year)
        return d in self._holidays[d.year]

    def is_working_day(self, d: date) -> bool:
        """Tell whether d is worked: a weekday that is no holiday nor day off, or a make-up day."""
        if d in self.working_days:
            return True
        return d.weekday() < 5 and d not in self.days_off and not self.is_public_holiday(d)

    def add_working_days(self, d: date, n: int) -> date:
        """Return the n-th working day after d (d itself when n is 0)."""
        return self._count_working_days(d, n, step=1)

    def subtract_working_days(self, d: date, n: int) -> date:
        """Return the n-th working day before d (d itself when n is 0)."""
        return self._count_working_days(d, n, step=-1)

    def _count_working_days(self, d: date, n: int, step: int) -> date:
        if n < 0:
            raise ValueError(f"a count of working days must not be negative, got {n}")
        while n:
            d += timedelta(days=step)
            n -= self.is_working_day(d)
        return d

    def local_date(self, dt: datetime) -> date:
        """Return the business-local calendar date of an aware moment."""
        return self.to_local(dt).date()

    def start_of_day(self, d: date) -> datetime:
        """Return local midnight of d as an aware UTC datetime."""
        return datetime.combine(d, time(), tzinfo=self.tz).astimezone(UTC)

    def to_local(self, value: date | datetime) -> datetime:
        """Return an aware moment, or local midnight of a date, in business-local time."""
        if isinstance(value, datetime):
            _require_aware(value)
            return value.astimezone(self.tz)
        return datetime.combine(value, time(), tzinfo=self.tz)

    def to_utc(self, value: date | datetime) -> datetime:
        """Return an aware moment, or local midnight of a date, as an aware UTC datetime."""
        return self.to_local(value).astimezone(UTC)


@dataclass(frozen=True)
class Duration:
    """A span of a workflow file: N days, N working days, N months, or the next MM-DD."""

    amount: int
    unit: str
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise DurationError(self, f"the unit must be one of {', '.join(UNITS)}")
        if self.amount < 0:
            raise DurationError(self, "the number must not be negative")
        if self.unit == "annual":
            _check_month_day(self, self.month, self.day)
        elif self.month is not None or self.day is not None:
            raise DurationError(self, "only an annual date has a month and a day")

    def __str__(self) -> str:
        if self.unit == "annual":
            return f"next {self.month:02d}-{self.day:02d}"
        word = self.unit.replace("_", " ")
        return f"{self.amount} {word if self.amount != 1 else word[:-1]}"

    def apply(self, start: date | datetime, calendar: BusinessCalendar) -> datetime:
        """Return the UTC moment this duration ends, starting at a moment or a date's midnight."""
        local = calendar.to_local(start)
        if self.unit == "days":
            return (local + timedelta(days=self.amount)).astimezone(UTC)
        if self.unit == "months":
            return (local + relativedelta(months=self.amount)).astimezone(UTC)
        if self.unit == "working_days":
            return calendar.start_of_day(calendar.add_working_days(local.date(), self.amount))
        return calendar.start_of_day(self._next_occurrence(local.date()))

    def before(self, due: datetime, calendar: BusinessCalendar) -> datetime:
        """Return the UTC moment this many (working) days before due, at the same local time."""
        local = calendar.to_local(due)
        if self.unit == "days":
            return (local - timedelta(days=self.amount)).astimezone(UTC)
        if self.unit == "working_days":
            earlier = calendar.subtract_working_days(local.date(), self.amount)
            return datetime.combine(earlier, local.timetz()).astimezone(UTC)
        raise DurationError(str(self), "only days and working days can be counted back")

    def _next_occurrence(self, after: date) -> date:
        candidate = date(after.year, self.month, self.day)
        return candidate if candidate > after else date(after.year + 1, self.month, self.day)


def parse_duration(text: str) -> Duration:
    """Parse the duration grammar of workflow files, raising DurationError on anything else."""
    if not isinstance(text, str):
        raise DurationError(text, "a duration must be text")
    match = _DURATION.fullmatch(text)
    if match is None:
        raise DurationError(text, _why_not_a_duration(text))
    if match["month"] is not None:
        month, day = int(match["month"]), int(match["day"])
        _check_month_day(text, month, day)
        return Duration(1, "annual", month, day)
    amount, unit = int(match["amount"]), " ".join(match["unit"].lower().split()).rstrip("s")
    if unit == "year":
        return Duration(amount * 12, "months")
    return Duration(amount, unit.replace(" ", "_") + "s")


def _why_not_a_duration(text: str) -> str:
    if not text.strip():
        return "it is empty"
    if text.strip().startswith("-"):
        return "the number must not be negative"
    return _EXPECTED


def _check_month_day(text: object, month: int | None, day: int | None) -> None:
    if month is None or day is None:
        raise DurationError(text, "an annual date needs a month and a day")
    if (month, day) == (2, 29):
        raise DurationError(text, "29 February does not come every year")
    try:
        date(2001, month, day)
    except ValueError:
        raise DurationError(text, f"{month:02d}-{day:02d} is not a day of the year") from None


def _require_aware(dt: datetime) -> None:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"a naive datetime is ambiguous, give it a time zone: {dt.isoformat()}")
