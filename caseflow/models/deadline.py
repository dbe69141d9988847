"""Timers, alerts and the outbox: what the clock does, as rows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from caseflow.models.household import Household


class Deadline(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the household it is about; or, for a round's timer, none (and round_id says which)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    #: a review round's timer (caseflow.services.round_timers): a reminder to its unit
    round_id: Mapped[int | None] = mapped_column(ForeignKey("review_round.id"))
    #: a unit's timer: a report it sends up is due (caseflow.services.report_timers)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    #: unique among a case's pending deadlines, e.g. "review_decision:remind"
    key: Mapped[str] = mapped_column(String(80))
    #: the timer of the workflow file this row comes from
    timer: Mapped[str] = mapped_column(String(60))
    #: remind, overdue, escalate, auto or repeat
    kind: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the state the deadline was made in
    state: Mapped[str] = mapped_column(String(40))
    #: states that end it, comma separated; empty: leaving `state` ends it
    until_states: Mapped[str] = mapped_column(String(200), default="")
    #: pending (waiting to fall due), claimed (a sweep is firing it), fired, done (the work was
    #: done before it fired, e.g. a visit), cancelled (the case left its span) or failed
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: how many times a sweep claimed it
    attempts: Mapped[int] = mapped_column(default=0)
    #: while claimed: when the claim expires and another sweep may take it over
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: after a failed attempt: not claimed again before this moment
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def until(self) -> tuple[str, ...]:
        return tuple(s for s in self.until_states.split(",") if s)

    __table_args__ = (
        Index(
            "uq_deadline_one_pending",
            "household_id",
            "key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_deadline_due", "status", "due_at"),
        Index("ix_deadline_household", "household_id", "status"),
        Index(
            "uq_deadline_round_pending",
            "round_id",
            "key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        #: a unit's timers, whatever their status: what `report_timers.schedule` made already
        Index("ix_deadline_unit", "unit_id", "key"),
        Index(
            "uq_deadline_unit_pending",
            "unit_id",
            "key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        #: exactly one of a household, a round, a unit
        CheckConstraint(
            "(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN round_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
    )


class Alert(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: reminder, overdue, escalation, failure, or hardship (a monitoring visit found hardship)
    kind: Mapped[str] = mapped_column(String(12))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadline.id"))
    #: addressed to a user, or to a role within a unit (and its subtree above it); the admins'
    #: alerts (a message that failed) have role admin and no unit, as admins have none
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    #: in Vietnamese; message_en in English
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: open, acknowledged or closed
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    acked_by: Mapped[str | None] = mapped_column(String(80))
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: the household it is about: lists load it with their page (services.alerts.list_for)
    household: Mapped[Household | None] = relationship(viewonly=True)

    __table_args__ = (UniqueConstraint("deadline_id", "kind", name="uq_alert_deadline_kind"),)


class Outbox(db.Model):
    """A message to send after commit: e-mail or webhook, retried, never sent twice."""

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"))
    #: email or webhook
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str | None] = mapped_column(String(300))
    payload: Mapped[dict] = mapped_column(JSON)
    #: pending, sending (claimed by a sender), sent or failed (then an admin may resend it)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: resent by an admin after a failure that may have let it out: sent marked as such
    possible_duplicate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the alert that told the admins this message failed
    failure_alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"))

    __table_args__ = (
        UniqueConstraint("alert_id", "channel", "recipient", name="uq_outbox_alert_channel"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
