"""Deployed workflow definitions and the admin's calendar of extra days off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class WorkflowDefinition(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    #: the YAML text as deployed, so old versions stay readable
    body: Mapped[str] = mapped_column(Text)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("name", "version", name="uq_workflow_name_version"),)


class CalendarDay(db.Model):
    """A day an admin declares off (extra holiday) or working (make-up day)."""

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    #: off or working
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(200))
