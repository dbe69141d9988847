"""The admin's calendar: extra days off and make-up working days, on top of public holidays."""

from __future__ import annotations

from datetime import date

from caseflow.domain.errors import N_, InvalidInput, NotFound
from caseflow.extensions import db
from caseflow.models import CalendarDay
from caseflow.services import transaction
from caseflow.services.definitions import definitions

KINDS = ("off", "working")


def add(day: date, kind: str, note: str | None = None) -> CalendarDay:
    """Declare `day` off or working (replacing what was declared for it before)."""
    if kind not in KINDS:
        raise InvalidInput.on("kind", N_("A calendar day is 'off' or 'working'."))
    with transaction():
        row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
        row.kind, row.note = kind, note
        db.session.add(row)
    _forget_cached_calendar()
    return row


def remove(day: date) -> None:
    """Withdraw what was declared for `day`: it follows weekends and public holidays again."""
    with transaction():
        row = db.session.get(CalendarDay, day)
        if row is None:
            raise NotFound(N_("Nothing is declared for %(day)s."), params={"day": day.isoformat()})
        db.session.delete(row)
    _forget_cached_calendar()


def listing(year: int | None = None) -> list[CalendarDay]:
    """Return the declared days, in order, of one year or all."""
    query = db.select(CalendarDay).order_by(CalendarDay.day)
    if year is not None:
        query = query.where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(db.session.scalars(query))


def _forget_cached_calendar() -> None:
    # this process counts with the new days at once; others within a minute (definitions TTL)
    definitions().calendar = None
