"""What every report stands on: the day asked, each household's standing then, the rates.

A household's standing on a day is its latest history event before the end of that day: its
state, its recognised class and the unit it was in. Nothing else is read for "as of".
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Subquery

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.extensions import db
from caseflow.models import Event, Household, Unit
from caseflow.services import listed_spans
from caseflow.services.definitions import business_calendar


def cutoff(day: date):
    """The first moment after `day` in the business calendar (history before it counts)."""
    return business_calendar().start_of_day(day + timedelta(days=1))


def check_day(day: date, field: str = "as_of") -> date:
    """Refuse a day after today: no report knows the future."""
    if day > clock.today():
        raise InvalidInput.on(
            field,
            N_("%(day)s is after today: a report can only be asked about the past."),
            day=day.isoformat(),
        )
    return day


def check_period(start: date, end: date) -> tuple[date, date]:
    """Refuse a period that ends before it starts, or in the future."""
    check_day(start, "from")
    check_day(end, "to")
    if start > end:
        raise InvalidInput.on(
            "from",
            N_("The period starts (%(start)s) after it ends (%(end)s)."),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return start, end


def first_history_day() -> date | None:
    """The business day of the earliest history event, or None when there is none."""
    first = db.session.scalar(db.select(db.func.min(Event.at)))
    if first is None:
        return None
    if first.tzinfo is None:
        first = first.replace(tzinfo=clock.UTC_TZ)
    return first.astimezone(clock.BUSINESS_TZ).date()


def warning(code: str, template: str, **params: object) -> dict:
    """A stated warning of a report: a code to test and a message to show."""
    return {"code": code, "message": Msg(template, **params)}


def history_warnings(day: date) -> list[dict]:
    """Warn when `day` precedes all history: every count is then zero, and says why."""
    first = first_history_day()
    if first is None:
        return [warning("no_history", N_("No household has any history yet."))]
    if day < first:
        return [
            warning(
                "before_history",
                N_("%(day)s is before the first history (%(first)s): nothing is counted."),
                day=day.isoformat(),
                first=first.isoformat(),
            )
        ]
    return []


def standing(as_of: date, name: str = "standing") -> Subquery:
    """Each household's latest event before the end of `as_of`: household, unit, state, class.

    As of today that is the household's own row (the one writer, services/moves, keeps the row
    and its latest event in step), read without scanning the history.
    """
    if as_of >= clock.today():
        return db.select(
            Household.id.label("household_id"),
            Household.unit_id,
            Household.state.label("to_state"),
            Household.classification,
        ).subquery(name)
    latest = (
        db.select(db.func.max(Event.id).label("id"))
        .where(Event.at < cutoff(as_of))
        .group_by(Event.household_id)
        .subquery(f"{name}_latest")
    )
    return (
        db.select(Event.household_id, Event.unit_id, Event.to_state, Event.classification)
        .join(latest, latest.c.id == Event.id)
        .subquery(name)
    )


def listed(as_of: date, name: str = "listed") -> Subquery:
    """The households listed (poor or near-poor) at the end of `as_of`, with their unit and
    class: the same answer as `standing` for them, read from the spans (services/listed_spans)
    rather than by finding each household's latest event."""
    return listed_spans.listed_at(None if as_of >= clock.today() else cutoff(as_of), name)


def in_subtree(unit: Unit, column):
    """A condition: the unit id in `column` lies in `unit`'s subtree."""
    return column.in_(db.select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True)))


def share(part: int, total: int) -> float:
    """The part's share of the total (0 when there is no total), to six places."""
    return round(part / total, 6) if total else 0.0


def percent(part: int, total: int) -> float:
    """The part in percent of the total, to two places."""
    return round(100 * part / total, 2) if total else 0.0
