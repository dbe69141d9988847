"""The statuses and kinds rows carry, named once (their values are stored and are API contract)."""

from __future__ import annotations

from enum import StrEnum

#: the recognised classes that put a household on the lists (poor and near-poor households)
LISTED: tuple[str, ...] = ("poor", "near_poor")


class DeadlineStatus(StrEnum):
    """Where a deadline row is in its life."""

    #: waiting to fall due
    PENDING = "pending"
    #: a sweep is firing it (its claim expires on the wall clock)
    CLAIMED = "claimed"
    #: the sweep fired it
    FIRED = "fired"
    #: the work was done before it fired (a monitoring visit)
    DONE = "done"
    #: the case left the deadline's span
    CANCELLED = "cancelled"
    #: given up after its last attempt; raised to the supervisors
    FAILED = "failed"


#: a claimed deadline is still the case's until a sweep fires it (the sweep re-checks)
LIVE_DEADLINES = (DeadlineStatus.PENDING, DeadlineStatus.CLAIMED)


class DeadlineKind(StrEnum):
    """What a deadline does when it falls due (the `kind` of a workflow timer, or a follow-on)."""

    #: a reminder alert
    REMIND = "remind"
    #: an overdue alert, then an escalation later
    OVERDUE = "overdue"
    #: the escalation of an overdue deadline to the supervisors
    ESCALATE = "escalate"
    #: the system fires a transition
    AUTO = "auto"
    #: recurring work (a monitoring visit): doing it schedules the next one
    REPEAT = "repeat"


class ApprovalStatus(StrEnum):
    """Where a request for a supervisor's decision is."""

    #: waiting for a decision; one per household at a time
    PENDING = "pending"
    #: approved: the transition was applied with both names in history
    APPROVED = "approved"
    #: rejected, with a reason; the household stayed where it was
    REJECTED = "rejected"
    #: the household moved after the request was made; closed without a decision
    STALE = "stale"


class AlertKind(StrEnum):
    """Why an alert was raised."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    #: a deadline or a message that could not be carried out
    FAILURE = "failure"
    #: a monitoring visit found the household in hardship again
    HARDSHIP = "hardship"


class AlertStatus(StrEnum):
    """Whether an alert still asks for work."""

    OPEN = "open"
    #: seen; it still asks for work until it closes
    ACKNOWLEDGED = "acknowledged"
    #: its work was done, or its case left the deadline's span
    CLOSED = "closed"


#: an alert that still asks for work; acknowledged means seen, not done
UNRESOLVED_ALERTS = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
