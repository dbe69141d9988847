"""Durations of workflow files and the Vietnamese business calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from caseflow.domain.calendar import (
    BusinessCalendar,
    Duration,
    DurationError,
    parse_duration,
)
from caseflow.domain.errors import DomainError


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 days", Duration(15, "days")),
        ("1 day", Duration(1, "days")),
        ("0 days", Duration(0, "days")),
        ("3 working days", Duration(3, "working_days")),
        ("1 working day", Duration(1, "working_days")),
        ("  3   Working\tDAYS ", Duration(3, "working_days")),
        ("6 months", Duration(6, "months")),
        ("1 Month", Duration(1, "months")),
        ("3 years", Duration(36, "months")),
        ("1 year", Duration(12, "months")),
        ("next 09-01", Duration(1, "annual", 9, 1)),
        (" NEXT 12-31 ", Duration(1, "annual", 12, 31)),
    ],
)
def test_parse_duration_accepts_the_workflow_grammar(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("15 dayz", "expected"),
        ("-3 days", "negative"),
        ("1.5 days", "expected"),
        ("3 working months", "expected"),
        ("days", "expected"),
        ("15", "expected"),
        ("next 9-1", "expected"),
        ("next 13-01", "not a day of the year"),
        ("next 02-30", "not a day of the year"),
        ("next 02-29", "every year"),
        ("", "empty"),
        ("   ", "empty"),
        (None, "must be text"),
    ],
)
def test_parse_duration_refuses_anything_else(text: str | None, reason: str) -> None:
    with pytest.raises(DurationError, match=reason) as raised:
        parse_duration(text)  # type: ignore[arg-type]
    assert raised.value.code == "invalid_duration"
    assert isinstance(raised.value, DomainError)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("15  DAYS", "15 days"),
        ("1 days", "1 day"),
        ("3 working  day", "3 working days"),
        ("1 working days", "1 working day"),
        ("2 years", "24 months"),
        ("next 09-01", "next 09-01"),
    ],
)
def test_duration_prints_its_canonical_text(text: str, canonical: str) -> None:
    assert str(parse_duration(text)) == canonical
    assert parse_duration(canonical) == parse_duration(text)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 10, 9), 0, date(2026, 10, 9)),  # Friday
        (date(2026, 10, 10), 0, date(2026, 10, 10)),  # Saturday: n=0 is the day itself
        (date(2026, 10, 9), 1, date(2026, 10, 12)),  # Friday -> Monday
        (date(2026, 10, 8), 3, date(2026, 10, 13)),  # Thursday -> Tuesday
        (date(2026, 10, 10), 1, date(2026, 10, 12)),  # Saturday -> Monday
        (date(2027, 2, 3), 1, date(2027, 2, 11)),  # Tết: 4-10 February 2027 off
        (date(2027, 2, 3), 3, date(2027, 2, 15)),
        (date(2027, 9, 1), 1, date(2027, 9, 6)),  # National Day: 2-3 September 2027 off
        (date(2027, 9, 1), 2, date(2027, 9, 7)),
    ],
)
def test_working_days_skip_weekends_and_public_holidays(
    calendar: BusinessCalendar, start: date, n: int, expected: date
) -> None:
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    "day", [date(2027, 2, d) for d in range(4, 11)] + [date(2027, 9, 2), date(2027, 9, 3)]
)
def test_public_holidays_are_not_working_days(calendar: BusinessCalendar, day: date) -> None:
    assert not calendar.is_working_day(day)


def test_extra_day_off_shifts_the_result() -> None:
    calendar = BusinessCalendar(days_off=[date(2026, 10, 12)])
    assert not calendar.is_working_day(date(2026, 10, 12))
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 13)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    calendar = BusinessCalendar(working_days=[date(2026, 8, 22)])
    assert calendar.is_working_day(date(2026, 8, 22))
    assert calendar.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)


def test_make_up_day_counts_even_on_a_public_holiday() -> None:
    calendar = BusinessCalendar(working_days=[date(2027, 9, 3)])
    assert calendar.add_working_days(date(2027, 9, 1), 1) == date(2027, 9, 3)


def test_negative_count_of_working_days_is_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(date(2026, 10, 9), -1)


def test_local_midnight_is_stored_as_the_previous_evening_utc(calendar: BusinessCalendar) -> None:
    assert calendar.start_of_day(date(2026, 11, 26)) == utc(2026, 11, 25, 17)
    assert calendar.to_utc(date(2026, 11, 26)) == utc(2026, 11, 25, 17)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 11, 25, 16, 59), date(2026, 11, 25)),
        (utc(2026, 11, 25, 17), date(2026, 11, 26)),
        (utc(2026, 11, 25, 18), date(2026, 11, 26)),
    ],
)
def test_local_date_of_a_utc_moment_is_its_hanoi_date(
    calendar: BusinessCalendar, moment: datetime, expected: date
) -> None:
    assert calendar.local_date(moment) == expected


def test_calendar_counts_in_the_time_zone_it_is_given() -> None:
    calendar = BusinessCalendar(tz="UTC")
    assert calendar.local_date(utc(2026, 11, 25, 18)) == date(2026, 11, 25)
    assert calendar.start_of_day(date(2026, 11, 26)) == utc(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("15 days", date(2026, 3, 1), utc(2026, 3, 15, 17)),
        ("15 days", utc(2026, 3, 1, 3, 30), utc(2026, 3, 16, 3, 30)),
        ("0 days", utc(2026, 3, 1, 3, 30), utc(2026, 3, 1, 3, 30)),
        ("3 working days", date(2026, 10, 5), utc(2026, 10, 7, 17)),  # Monday -> start of Thursday
        ("3 working days", utc(2026, 10, 5, 3), utc(2026, 10, 7, 17)),
        ("3 working days", utc(2026, 10, 4, 18), utc(2026, 10, 7, 17)),  # local Monday 01:00
        ("1 month", date(2026, 1, 31), utc(2026, 2, 27, 17)),
        ("1 month", date(2028, 1, 31), utc(2028, 2, 28, 17)),
        ("1 month", utc(2026, 1, 31, 20), utc(2026, 2, 28, 20)),  # local 1 February 03:00
        ("6 months", date(2026, 8, 31), utc(2027, 2, 27, 17)),
        ("36 months", date(2026, 3, 15), utc(2029, 3, 14, 17)),
        ("3 years", date(2026, 3, 15), utc(2029, 3, 14, 17)),
        ("next 09-01", date(2026, 8, 31), utc(2026, 8, 31, 17)),
        ("next 09-01", date(2026, 9, 1), utc(2027, 8, 31, 17)),
        ("next 09-01", date(2026, 12, 1), utc(2027, 8, 31, 17)),
        ("next 09-01", utc(2026, 8, 31, 18), utc(2027, 8, 31, 17)),  # local 1 September
    ],
)
def test_duration_ends_on_the_local_calendar_and_is_returned_in_utc(
    calendar: BusinessCalendar, text: str, start: date | datetime, expected: datetime
) -> None:
    due = parse_duration(text).apply(start, calendar)
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "due", "expected"),
    [
        ("3 days", utc(2026, 11, 25, 17), utc(2026, 11, 22, 17)),
        ("3 days", utc(2026, 11, 25, 3, 30), utc(2026, 11, 22, 3, 30)),
        ("2 working days", utc(2026, 10, 11, 17), utc(2026, 10, 7, 17)),  # Monday -> Thursday
        ("1 working day", utc(2027, 2, 10, 17), utc(2027, 2, 2, 17)),  # back across Tết
        ("0 working days", utc(2026, 10, 11, 17), utc(2026, 10, 11, 17)),
    ],
)
def test_reminder_falls_the_given_days_before_the_due_moment(
    calendar: BusinessCalendar, text: str, due: datetime, expected: datetime
) -> None:
    remind_at = parse_duration(text).before(due, calendar)
    assert remind_at == expected
    assert remind_at.tzinfo is UTC


@pytest.mark.parametrize("text", ["1 month", "1 year", "next 09-01"])
def test_reminder_counts_back_only_days_or_working_days(
    calendar: BusinessCalendar, text: str
) -> None:
    with pytest.raises(DurationError, match="counted back"):
        parse_duration(text).before(utc(2026, 11, 25, 17), calendar)


def test_naive_datetime_is_refused(calendar: BusinessCalendar) -> None:
    naive = datetime(2026, 11, 26, 8)
    with pytest.raises(ValueError, match="naive"):
        parse_duration("3 days").apply(naive, calendar)
    with pytest.raises(ValueError, match="naive"):
        parse_duration("3 days").before(naive, calendar)
    with pytest.raises(ValueError, match="naive"):
        calendar.local_date(naive)
    with pytest.raises(ValueError, match="naive"):
        calendar.to_utc(naive)


@pytest.mark.parametrize(
    ("amount", "unit", "month", "day"),
    [(-1, "days", None, None), (3, "weeks", None, None), (1, "annual", 2, 30), (1, "days", 9, 1)],
)
def test_duration_refuses_impossible_values(
    amount: int, unit: str, month: int | None, day: int | None
) -> None:
    with pytest.raises(DurationError):
        Duration(amount, unit, month, day)
