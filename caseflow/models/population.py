"""A unit's yearly figures that reports divide and compare by: its population count of
households and its target for the poverty rate's change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class UnitYear(db.Model):
    """One unit's figures for one year; a figure not set falls back (registered, −1.0)."""

    __tablename__ = "unit_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int]
    #: households counted by the population count: the rates' denominator when set
    households: Mapped[int | None]
    #: the yearly change the poverty rate should reach, in points (e.g. −1.0)
    target_points: Mapped[float | None] = mapped_column(Float)
    updated_by: Mapped[str | None] = mapped_column(db.String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("unit_id", "year", name="uq_unit_year"),
        CheckConstraint("households IS NULL OR households > 0", name="ck_unit_year_households"),
    )
