"""Review rounds: a unit's periodic or regular review, its households and its village meetings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow
from caseflow.models.unit import Unit


class ReviewRound(db.Model):
    """One review of one unit's households: periodic (yearly) or regular (monthly)."""

    __tablename__ = "review_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the commune-level unit whose households the round reviews (its whole subtree)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    #: periodic or regular
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    #: regular rounds only
    month: Mapped[int | None]
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    #: open or closed
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_note: Mapped[str | None] = mapped_column(Text)
    #: the households not decided when the round was closed by hand
    undecided: Mapped[list] = mapped_column(JSON, default=list)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        Index(
            "uq_review_round_one_open",
            "unit_id",
            "kind",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        # one periodic round a year and one regular round a month per unit
        Index(
            "uq_review_round_year",
            "unit_id",
            "kind",
            "year",
            unique=True,
            sqlite_where=text("month IS NULL"),
            postgresql_where=text("month IS NULL"),
        ),
        Index(
            "uq_review_round_month",
            "unit_id",
            "kind",
            "year",
            "month",
            unique=True,
            sqlite_where=text("month IS NOT NULL"),
            postgresql_where=text("month IS NOT NULL"),
        ),
    )


class RoundHousehold(db.Model):
    """A household on a round's list: how it came in, and where its history stood then."""

    __tablename__ = "round_household"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    #: regular rounds: the request it was added on (01 to enter the lists, 04 to leave them)
    form: Mapped[str | None] = mapped_column(String(2))
    #: while its round is open: a household is in one open round at most
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the household's last history event when it joined: decisions after it are the round's
    since_event_id: Mapped[int] = mapped_column(default=0)
    #: its recognised class when it joined (an exit leaves the poor or the near-poor list)
    classification_before: Mapped[str | None] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("uq_round_household", "round_id", "household_id", unique=True),
        Index(
            "uq_round_household_active",
            "household_id",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )


class RoundMeeting(db.Model):
    """One village meeting (biên bản họp bình xét): who met, and each household's outcome."""

    __tablename__ = "round_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id"), index=True)
    #: the village key (a village unit's code, else the village name households record)
    village: Mapped[str] = mapped_column(String(200))
    meeting_on: Mapped[date] = mapped_column(Date)
    posted_on: Mapped[date | None] = mapped_column(Date)
    #: who attended (names and roles, as the minutes list them)
    attendees: Mapped[str | None] = mapped_column(Text)
    #: how many people were present
    present: Mapped[int | None]
    chaired_by: Mapped[str | None] = mapped_column(String(200))
    secretary: Mapped[str | None] = mapped_column(String(200))
    #: [{"household_id", "agreement_pct", "outcome": agreed|disagreed|refused, "error"}]
    results: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
