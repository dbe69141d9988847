"""Monitoring visits to households in follow-up."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class Visit(db.Model):
    """A case worker's visit: it satisfies the due monitoring deadline and schedules the next."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    #: the visit found the household in hardship: the case worker should consider `relapse`
    hardship: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the monitoring deadline the visit satisfied, and the next one it scheduled
    satisfied_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id"))
    next_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id"))

    __table_args__ = (Index("ix_visit_household", "household_id", "visited_on"),)
