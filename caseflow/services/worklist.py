"""What a user should look at now (read-only): late work, work falling due, decisions waiting,
recent changes; and the context pages show beside households and requests, a query per list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import ColumnElement, Select

from caseflow import clock
from caseflow.domain.planner import EDIT
from caseflow.extensions import db
from caseflow.models import (
    Alert,
    Approval,
    Assessment,
    Deadline,
    Event,
    Household,
    SupportItem,
    Unit,
    User,
)
from caseflow.services.access import scoped
from caseflow.services.alerts import UNRESOLVED

SOON = timedelta(days=14)
RECENT = timedelta(days=7)
LIMIT = 50
DECIDERS = ("supervisor", "admin")
#: deadlines that stand for work someone must do (a reminder is not late work)
WORK_KINDS = ("overdue", "repeat")


@dataclass
class Worklist:
    """The lists of the worklist page, each with its full count."""

    overdue: list[tuple[Deadline, Household]] = field(default_factory=list)
    due_soon: list[tuple[Deadline, Household]] = field(default_factory=list)
    approvals: list[tuple[Approval, Household]] = field(default_factory=list)
    recent: list[tuple[Event, Household]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: True: requests this user decides; False: this user's own requests waiting
    deciding: bool = False


@dataclass
class RequestContext:
    """What a supervisor reads before deciding: the survey and how the case got here."""

    household: Household
    survey: Assessment | None
    entered: Event | None
    #: the support items a support-plan request covers (what its approval approves)
    supports: list[SupportItem] = field(default_factory=list)


def late(now) -> ColumnElement[bool]:
    """Work past its time: a time limit or a visit not yet swept, or swept and still unresolved.

    A swept deadline stays late while its alert is open or acknowledged; the alert closes when
    the work is done or the case leaves the deadline's span.
    """
    unresolved = (
        db.select(Alert.id)
        .where(Alert.deadline_id == Deadline.id, Alert.status.in_(UNRESOLVED))
        .exists()
    )
    return db.and_(
        Deadline.kind.in_(WORK_KINDS),
        Deadline.due_at <= now,
        db.or_(
            Deadline.status.in_(("pending", "claimed")),
            db.and_(Deadline.status == "fired", unresolved),
        ),
    )


def worklist(actor: User, limit: int = LIMIT) -> Worklist:
    """Return the actor's worklist, within the actor's units."""
    now = clock.now()
    soon = db.and_(
        Deadline.status == "pending",
        Deadline.key == Deadline.timer,
        Deadline.due_at > now,
        Deadline.due_at <= now + SOON,
    )
    deciding = actor.role in DECIDERS
    waiting = _waiting(actor, deciding)
    recent = scoped(
        db.select(Event, Household)
        .join(Household, Household.id == Event.household_id)
        .join(Unit, Unit.id == Event.unit_id),
        actor,
    ).where(Event.at >= now - RECENT)
    return Worklist(
        overdue=_rows(_deadlines(actor, late(now)).order_by(Deadline.due_at), limit),
        due_soon=_rows(_deadlines(actor, soon).order_by(Deadline.due_at), limit),
        approvals=_rows(waiting.order_by(Approval.id), limit),
        recent=_rows(recent.order_by(Event.at.desc(), Event.id.desc()), min(limit, 20)),
        counts={
            "overdue": _count(_deadlines(actor, late(now)), Deadline.id),
            "due_soon": _count(_deadlines(actor, soon), Deadline.id),
            "approvals": _count(waiting, Approval.id),
            "recent": _count(recent, Event.id),
        },
        deciding=deciding,
    )


def overdue_among(household_ids: Iterable[int]) -> set[int]:
    """Return which of these households have late work, in one query."""
    ids = list(household_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            db.select(Deadline.household_id)
            .distinct()
            .where(Deadline.household_id.in_(ids), late(clock.now()))
        )
    )


def request_context(approvals: Iterable[Approval]) -> dict[int, RequestContext]:
    """Return, per request, its household, latest survey and the event that led to its state."""
    ids = list({a.household_id for a in approvals})
    if not ids:
        return {}
    found = {h.id: h for h in db.session.scalars(db.select(Household).where(Household.id.in_(ids)))}
    surveys = _latest(Assessment, ids)
    entered = _latest(Event, ids, Event.trigger != EDIT)  # a change of facts enters no state
    pinned = {i for a in approvals for i in a.data.get("support_items", ())}
    items = (
        {
            item.id: item
            for item in db.session.scalars(db.select(SupportItem).where(SupportItem.id.in_(pinned)))
        }
        if pinned
        else {}
    )
    return {
        a.id: RequestContext(
            found[a.household_id],
            surveys.get(a.household_id),
            entered.get(a.household_id),
            [items[i] for i in a.data.get("support_items", ()) if i in items],
        )
        for a in approvals
    }


def _latest(model, household_ids: list[int], *conditions) -> dict[int, object]:
    newest = (
        db.select(db.func.max(model.id))
        .where(model.household_id.in_(household_ids), *conditions)
        .group_by(model.household_id)
    )
    rows = db.session.scalars(db.select(model).where(model.id.in_(newest)))
    return {row.household_id: row for row in rows}


def _waiting(actor: User, deciding: bool) -> Select:
    query = scoped(
        db.select(Approval, Household)
        .join(Household, Household.id == Approval.household_id)
        .join(Unit, Unit.id == Approval.unit_id),
        actor,
    )
    query = query.where(Approval.status == "pending")
    if not deciding:
        return query.where(Approval.requested_by_id == actor.id)
    query = query.where(Approval.requested_by_id != actor.id)
    return query if actor.role == "admin" else query.where(Approval.approver_role == actor.role)


def _deadlines(actor: User, condition: ColumnElement[bool]) -> Select:
    return scoped(
        db.select(Deadline, Household)
        .join(Household, Household.id == Deadline.household_id)
        .join(Unit, Unit.id == Household.unit_id),
        actor,
    ).where(condition)


def _rows(query: Select, limit: int) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(query.limit(limit))]


def _count(query: Select, column) -> int:
    return db.session.scalar(query.with_only_columns(db.func.count(column)).order_by(None)) or 0
