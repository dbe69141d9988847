"""The append-only history of every transition, and approval requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow

#: the moves the flows report counts (services/report_flows.py): a few among ten million, so
#: indexed apart; the report's query names them by this same condition, so that the planner
#: always sees the index's predicate (a bound parameter would hide it from a generic plan)
FLOW = text("trigger IN ('relapse', 'graduate')")


class Event(db.Model):
    """One transition of one household: who, when, why, from what to what; never changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    trigger: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    #: the recognised class after this event, so reports can be asked "as of" a date
    classification: Mapped[str | None] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: a username, or "system" for the clock
    actor: Mapped[str] = mapped_column(String(80))
    approved_by: Mapped[str | None] = mapped_column(String(80))
    approval_id: Mapped[int | None] = mapped_column(ForeignKey("approval.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    workflow: Mapped[str] = mapped_column(String(60))
    workflow_version: Mapped[int]

    __table_args__ = (
        Index("ix_event_household_id", "household_id", "id"),
        Index("ix_event_at", "at"),
        Index("ix_event_flow", "at", sqlite_where=FLOW, postgresql_where=FLOW),
    )


@event.listens_for(Event, "before_update")
@event.listens_for(Event, "before_delete")
def _history_is_append_only(mapper, connection, target):
    raise PermissionError("history events are append-only")


class Approval(db.Model):
    """A request for a supervisor's decision, pinned to the case version it was made on.

    Decided once, in one UPDATE; the database refuses any later change (models/append_only.py).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    #: the household version the request was made against
    case_version: Mapped[int]
    #: the approver's role named by the workflow
    approver_role: Mapped[str] = mapped_column(String(20))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: pending, approved, rejected or stale
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index(
            "uq_approval_one_pending",
            "household_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_approval_status_unit", "status", "unit_id"),
    )
