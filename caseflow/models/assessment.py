"""Surveys: income and the twelve deprivation indicators, classified under a standard."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class Assessment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    surveyed_on: Mapped[date] = mapped_column(Date)
    standard: Mapped[str] = mapped_column(String(40))
    income_per_capita_month: Mapped[int | None]
    income_score: Mapped[int | None]
    #: {"employment": true, ...}: every indicator of the standard it was classified under
    deprivations: Mapped[dict] = mapped_column(JSON)
    deprivation_count: Mapped[int]
    #: poor, near_poor, middle or better_off
    classification: Mapped[str] = mapped_column(String(20))
    #: the lines the survey was classified against, in its income's unit (VND or points), and
    #: the household's area then: what the explanation, rendered when shown, is made of
    income_line: Mapped[int]
    middle_line: Mapped[int | None]
    area: Mapped[str | None] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_assessment_household_id", "household_id", "surveyed_on"),)
