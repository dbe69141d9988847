"""Surveys: income and the twelve deprivation indicators, classified under a standard."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
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
    #: {"employment": true, ...}: all twelve indicators
    deprivations: Mapped[dict] = mapped_column(JSON)
    deprivation_count: Mapped[int]
    #: poor, near_poor, middle or better_off
    classification: Mapped[str] = mapped_column(String(20))
    income_line: Mapped[int]
    #: why, in words, in Vietnamese and in English, as the standard said when it was recorded
    explanation: Mapped[str] = mapped_column(Text)
    explanation_en: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def explanation_in(self, lang: str) -> str:
        """Return the explanation in `lang` ('vi' or 'en')."""
        return self.explanation_en if lang == "en" and self.explanation_en else self.explanation

    __table_args__ = (Index("ix_assessment_household_id", "household_id", "surveyed_on"),)
