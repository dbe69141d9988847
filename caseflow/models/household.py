"""Households and their members: the case that the lifecycle carries."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow
from caseflow.models.unit import Unit


class Household(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    head_name: Mapped[str] = mapped_column(String(200))
    #: head_name lower-cased without accents, for "nguyen" to find "Nguyễn"
    search_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    village: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    #: the head's national ID number (CCCD): one household holds it, at most
    national_id: Mapped[str | None] = mapped_column(String(20))
    #: rural or urban: decides the income line
    area: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(40), index=True)
    workflow: Mapped[str] = mapped_column(String(60))
    workflow_version: Mapped[int]
    #: recognised class (poor, near_poor) set by the commune decision
    classification: Mapped[str | None] = mapped_column(String(20), index=True)
    #: class of the latest survey
    proposed_classification: Mapped[str | None] = mapped_column(String(20))
    #: the latest date the household's moves recorded (started_on, surveyed_on, meeting_on,
    #: posted_on, decided_on...): the next move's dates may not be earlier (DESIGN.md, "Dates
    #: in order"); recorded_field names the field it came from
    recorded_on: Mapped[date | None] = mapped_column(Date)
    recorded_field: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    members: Mapped[list[Member]] = relationship(
        back_populates="household", order_by="Member.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_household_unit_state", "unit_id", "state"),
        #: who a household is: its folded head name in its unit (caseflow.domain.duplicates)
        Index("ix_household_name_unit", "search_name", "unit_id"),
        Index("uq_household_national_id", "national_id", unique=True),
    )


class Member(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    #: male or female
    sex: Mapped[str | None] = mapped_column(String(10))
    relation: Mapped[str | None] = mapped_column(String(50))
    ethnicity: Mapped[str | None] = mapped_column(String(50))
    disability: Mapped[bool] = mapped_column(Boolean, default=False)

    household: Mapped[Household] = relationship(back_populates="members")
