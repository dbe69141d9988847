"""The what-if's stored reclassifications: never the source of truth.

Each row is one household's latest survey (the one of the highest id) classified under one
standard, as the domain's what-if rule gives it (domain/whatif.py): its class now, the class
with the unknown indicators counted not deprived (`low`) and deprived (`high`). Derived from
the surveys, kept in step by the one writer (services/moves.py), rebuilt by `caseflow report
rebuild`; the what-if reads it only for a standard built under the fingerprint that standard
has now (services/whatif_table.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class WhatIfClass(db.Model):
    """One household's latest survey under one standard."""

    __tablename__ = "report_whatif"

    #: the standard's code
    standard: Mapped[str] = mapped_column(String(40), primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), primary_key=True)
    #: the household's unit, so that a subtree is counted without reading the households (a
    #: household stays in the unit it was registered in: nothing writes household.unit_id)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    #: domain.whatif.fingerprint of the standard the row was derived under
    fingerprint: Mapped[str] = mapped_column(String(16))
    #: the survey it was derived from
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"))
    #: the class the survey got under its own standard
    current: Mapped[str] = mapped_column(String(20))
    #: the class with every unknown indicator counted not deprived, and counted deprived
    low: Mapped[str] = mapped_column(String(20))
    high: Mapped[str] = mapped_column(String(20))
    #: the standard's indicators the survey did not record, in its order, joined by ","
    unknown: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_report_whatif_unit", "standard", "unit_id"),)


class WhatIfBuilt(db.Model):
    """A standard whose rows were all derived, under which fingerprint, and when."""

    __tablename__ = "report_whatif_built"

    standard: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(16))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
