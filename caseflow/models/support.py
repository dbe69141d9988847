"""The support programme catalogue and the support items proposed for households."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class Program(db.Model):
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    #: deprivation dimensions the programme addresses
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    #: poor, near_poor, exited
    eligible_classes: Mapped[list] = mapped_column(JSON, default=list)


class SupportItem(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    program_code: Mapped[str] = mapped_column(ForeignKey("program.code"))
    note: Mapped[str | None] = mapped_column(Text)
    #: proposed, approved, in_progress, completed or cancelled (workflows/support_item.yaml)
    state: Mapped[str] = mapped_column(String(20), default="proposed")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}
