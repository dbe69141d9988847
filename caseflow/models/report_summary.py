"""A summary of the history for reports of past days: never the source of truth.

Each row is the net change, on one business day, of the households standing in one unit, state
and class; a report as of a day sums the rows up to it. `caseflow report rebuild` derives it all
again from the history; the reports use it only for days it was built through, and only while no
event written since then falls on such a day (services/report_summary.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class StandingDay(db.Model):
    __tablename__ = "report_standing_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    day: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(40))
    classification: Mapped[str | None] = mapped_column(String(20))
    #: households that came to stand here that day, less those that left
    households: Mapped[int]

    __table_args__ = (Index("ix_report_standing_day_day", "day", "unit_id"),)


class SummaryBuilt(db.Model):
    """When the summary was built, through which day, and the last event it read."""

    __tablename__ = "report_summary_built"

    id: Mapped[int] = mapped_column(primary_key=True)
    built_through: Mapped[date] = mapped_column(Date)
    last_event_id: Mapped[int]
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: a span still open: the household stands in it now
OPEN = text("until IS NULL")


class ListedSpan(db.Model):
    """A while in which a household stood listed (poor or near-poor) in one class.

    From the history event that put it in the class (`since`) to the event that took it out
    (`until`, None while it lasts): a household stood listed at the end of a day when its
    span began before the day's end and had not ended by then. Derived from the history, kept
    in step by the one writer (services/moves.py), rebuilt by `caseflow report rebuild`; the
    reports of past days read it instead of looking for each household's latest event.
    """

    __tablename__ = "report_listed_span"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    classification: Mapped[str] = mapped_column(String(20))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # one open span a household; the writer closes it by household
        Index(
            "uq_report_listed_span_open",
            "household_id",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )
