"""The rules every input follows, whoever sends it, and the two ways people send it.

JSON bodies carry ISO dates and integers; people type into pages and spreadsheets
"05/09/2026" and "1.500.000". Each value is first read in its format (`read_*`), then checked
by the same rules (`check_*`): real dates from 1900 and not in the future, bounded numbers,
text without NUL characters or lone surrogates and of a bounded length. Every refusal is a
`Msg`, translated where it is shown.
"""

from __future__ import annotations

import math
import re
from datetime import date

from caseflow.domain.errors import N_, Msg

#: the earliest date anyone records (a birth date, an old decision)
EARLIEST = date(1900, 1, 1)
#: the largest whole number a column holds (PostgreSQL integer): money, scores, ids
MAX_INT = 2_147_483_647
#: the longest free text of a form field (a reason, a note)
MAX_TEXT = 2000
#: the longest digit string a JSON number may have before it is even converted
MAX_DIGITS = 20

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_TYPED = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", re.ASCII)
_AMOUNT_NOISE = re.compile(r"[\s._,\u00a0]|đồng|đ|vnd", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Refused(ValueError):
    """One value broke a rule; `message` says which, for the person who sent it."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message


def read_iso_date(value: object) -> date:
    """Read a JSON date: exactly YYYY-MM-DD (not 20260101, not a week date)."""
    found = _ISO.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise Refused(Msg(N_("Not a valid date (YYYY-MM-DD).")))
    return _real_date(*(int(part) for part in found.groups()))


def read_typed_date(value: object) -> date:
    """Read a date as people type it: 05/09/2026 (day first), 5-9-2026, 05.09.2026 or ISO."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    found = _TYPED.fullmatch(text)
    if found is not None:
        day, month, year = (int(part) for part in found.groups())
        return _real_date(year, month, day)
    if _ISO.fullmatch(text):
        return read_iso_date(text)
    raise Refused(Msg(N_("Not a valid date: type it as dd/mm/yyyy, for example 05/09/2026.")))


def _real_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise Refused(Msg(N_("There is no month %(month)s in a year."), month=month))
    try:
        return date(year, month, day)
    except ValueError:
        raise Refused(
            Msg(
                N_("There is no such day: %(day)02d/%(month)02d/%(year)s."),
                day=day,
                month=month,
                year=year,
            )
        ) from None


def check_date(value: date, today: date, *, future: bool = False) -> date:
    """A recorded date is real: from 1900, and not after today unless `future`."""
    if value < EARLIEST:
        raise Refused(Msg(N_("A date cannot be before %(earliest)s."), earliest=EARLIEST))
    if not future and value > today:
        raise Refused(Msg(N_("A date cannot be in the future.")))
    return value


def read_typed_amount(value: object) -> int:
    """Read a whole amount as people type it: 1.500.000, 1 500 000 đ, 1,500,000 or 1500000."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _AMOUNT_NOISE.sub("", value) if isinstance(value, str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > MAX_DIGITS:
        raise Refused(Msg(N_("Give a whole number, for example 1.500.000.")))
    return int(text)


def read_typed_number(value: object) -> float | int:
    """Read a number that may have decimals, with a comma or a point: 80, 66,7, 66.7."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = value.strip().replace(",", ".") if isinstance(value, str) else ""
    if not re.fullmatch(r"-?[0-9]{1,15}(\.[0-9]{1,6})?", text, re.ASCII):
        raise Refused(Msg(N_("Not a valid number.")))
    number = float(text)
    return int(number) if number.is_integer() else number


def check_number(
    value: object, low: float | None = None, high: float | None = None, *, whole: bool = False
) -> float | int:
    """A number is finite, whole where it must be, and within its bounds (±MAX_INT at most)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise Refused(Msg(N_("Not a valid number.")))
    if whole and not (isinstance(value, int) or value.is_integer()):
        raise Refused(Msg(N_("Give a whole number.")))
    low = -MAX_INT if low is None else low
    high = MAX_INT if high is None else high
    if value < low:
        raise Refused(Msg(N_("Must be at least %(minimum)s."), minimum=_plain(low)))
    if value > high:
        raise Refused(Msg(N_("Must be at most %(maximum)s."), maximum=_plain(high)))
    return int(value) if whole else value


def check_text(value: object, longest: int = MAX_TEXT, *, blank: bool = False) -> str:
    """Text is a string without NUL or lone surrogates, stripped, not too long."""
    if not isinstance(value, str):
        raise Refused(Msg(N_("Not a valid text.")))
    if "\x00" in value or _SURROGATE.search(value):
        raise Refused(Msg(N_("Must not contain control or broken characters.")))
    text = value.strip()
    if not text and not blank:
        raise Refused(Msg(N_("Must not be blank.")))
    if len(text) > longest:
        raise Refused(
            Msg(
                N_("Must be at most %(longest)s characters (this has %(length)s)."),
                longest=longest,
                length=len(text),
            )
        )
    return text


def bad_text(value: str) -> bool:
    """Tell whether a string holds what no text field accepts (NUL, lone surrogates)."""
    return "\x00" in value or _SURROGATE.search(value) is not None


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
