"""Alerts: raised by deadlines and visits, addressed to a role within a unit, acknowledged;
and by the outbox, to the admins, about a message that may not have gone out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from caseflow import clock
from caseflow.domain.engine import ends_deadline
from caseflow.domain.errors import N_, NotFound
from caseflow.extensions import db
from caseflow.models import Alert, Deadline, Household, Unit, User
from caseflow.services import outbox, transaction
from caseflow.services.id_lists import among
from caseflow.services.inserts import insert_ids, insert_rows
from caseflow.services.listing import Page, keyset_page

#: an alert that still asks for work; acknowledged means seen, not done
UNRESOLVED = ("open", "acknowledged")
ADMIN = "admin"


def raise_alert(
    kind: str,
    household: Household,
    deadline: Deadline | None,
    role: str,
    message: str,
    message_en: str | None = None,
    due_at: datetime | None = None,
) -> Alert | None:
    """Add an alert to `role` at the household's unit, with its outbox rows; the caller commits.

    Return None when this deadline already raised an alert of this kind.
    """
    if (
        deadline is not None
        and db.session.scalar(
            db.select(Alert.id).where(Alert.deadline_id == deadline.id, Alert.kind == kind)
        )
        is not None
    ):
        return None
    alert = Alert(
        kind=kind,
        household_id=household.id,
        deadline_id=deadline.id if deadline else None,
        role=role,
        unit_id=household.unit_id,
        message=message,
        message_en=message_en,
        due_at=due_at,
        created_at=clock.now(),
        status="open",
    )
    db.session.add(alert)
    db.session.flush()
    if outbox.configured():
        outbox.enqueue(alert, household, recipients(alert))
    return alert


def raise_many(rows: Sequence[dict], households: Mapping[int, Household]) -> int:
    """Add alerts (rows of Alert's columns, each of a deadline) in one statement, with their
    outbox rows in another; the caller commits. Return how many were added.

    A deadline's alert of a kind it already raised is not added again.
    """
    raised = set(
        db.session.execute(
            db.select(Alert.deadline_id, Alert.kind).where(
                Alert.deadline_id.in_({row["deadline_id"] for row in rows})
            )
        ).all()
    )
    fresh = []
    for row in rows:
        if (row["deadline_id"], row["kind"]) not in raised:
            raised.add((row["deadline_id"], row["kind"]))
            fresh.append(row)
    if not fresh:
        return 0
    table = Alert.__table__
    if not outbox.configured():
        insert_rows(table, fresh)
        return len(fresh)
    ids = insert_ids(table, fresh)
    made = [Alert(id=alert_id, **row) for alert_id, row in zip(ids, fresh, strict=True)]
    addressed: dict[tuple, list[User]] = {}
    for alert in made:  # one query per role and unit, not per alert
        key = (alert.user_id, alert.role, alert.unit_id)
        if key not in addressed:
            addressed[key] = recipients(alert)
    outbox.enqueue_many(
        [
            (
                alert,
                households.get(alert.household_id),
                addressed[alert.user_id, alert.role, alert.unit_id],
            )
            for alert in made
        ]
    )
    return len(made)


def raise_to_admins(kind: str, household: Household | None, message: str, message_en: str) -> Alert:
    """Add an alert to every admin (admins have no unit), with its outbox rows; the caller
    commits."""
    alert = Alert(
        kind=kind,
        household_id=household.id if household else None,
        role=ADMIN,
        unit_id=None,
        message=message,
        message_en=message_en,
        created_at=clock.now(),
        status="open",
    )
    db.session.add(alert)
    db.session.flush()
    if outbox.configured():
        outbox.enqueue(alert, household, recipients(alert))
    return alert


def recipients(alert: Alert) -> list[User]:
    """Return the active users an alert is addressed to (by user, or role within the unit)."""
    if alert.user_id is not None:
        user = db.session.get(User, alert.user_id)
        return [user] if user is not None and user.active else []
    query = db.select(User).where(User.role == alert.role, User.active.is_(True))
    if alert.unit_id is not None:  # else addressed to the role everywhere, as admins' are
        unit = db.session.get(Unit, alert.unit_id)
        ancestors = [int(part) for part in unit.path.split("/") if part]
        query = query.where(or_(User.unit_id.is_(None), User.unit_id.in_(ancestors)))
    return list(db.session.scalars(query.order_by(User.id)))


def _addressed_to(actor: User):
    """The condition an alert meets when it is addressed to the actor."""
    by_role = Alert.role == actor.role
    if actor.scope_path:
        by_role = by_role & Unit.path.startswith(actor.scope_path, autoescape=True)
    return or_(Alert.user_id == actor.id, by_role)


def _query(actor: User, status: str | None):
    query = db.select(Alert).outerjoin(Unit, Unit.id == Alert.unit_id).where(_addressed_to(actor))
    return query.where(Alert.status == status) if status else query


def list_for(
    actor: User, status: str | None = "open", page: int = 1, per_page: int = 50
) -> tuple[list[Alert], int]:
    """Return a page of the alerts addressed to the actor (all statuses when None), newest first,
    and their total (exact up to listing.BOUND)."""
    found = page_for(actor, status, page, per_page)
    return found.items, found.total


def page_for(
    actor: User,
    status: str | None = "open",
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
) -> Page:
    """Return a page of the alerts addressed to the actor (all statuses when None), newest first,
    each with its household (one query for the page's households): after `after` when given."""
    return keyset_page(
        _query(actor, status),
        [Alert.created_at, Alert.id],
        descending=True,
        after=after,
        page=page,
        per_page=per_page,
        options=[selectinload(Alert.household)],
    )


def count_open(actor: User) -> int:
    """Return how many open alerts are addressed to the actor."""
    query = _query(actor, "open")
    return db.session.scalar(query.with_only_columns(db.func.count(Alert.id))) or 0


def ack(actor: User, alert_id: int) -> Alert:
    """Acknowledge an alert addressed to the actor; NotFound for anyone else's."""
    with transaction():
        alert = db.session.scalar(_query(actor, None).where(Alert.id == alert_id))
        if alert is None:
            raise NotFound(N_("Alert %(id)s not found."), params={"id": alert_id})
        if alert.status == "open":
            alert.status, alert.acked_by, alert.acked_at = (
                "acknowledged",
                actor.username,
                clock.now(),
            )
    return alert


def close(alert_id: int) -> None:
    """Close an unresolved alert: its work is done; the caller commits."""
    db.session.execute(
        db.update(Alert)
        .where(Alert.id == alert_id, Alert.status.in_(UNRESOLVED))
        .values(status="closed")
    )


def close_for_deadlines(deadline_ids: list[int]) -> None:
    """Close the unresolved alerts of these deadlines: their work is done; the caller commits."""
    if deadline_ids:
        db.session.execute(
            db.update(Alert)
            .where(
                Alert.deadline_id.in_(deadline_ids),
                Alert.status.in_(UNRESOLVED),
            )
            .values(status="closed")
        )


def close_ended(moves: Mapping[int, str]) -> None:
    """Close the alerts whose deadline's span ends as each household enters its new state.

    `moves` maps household ids to the state each enters; one query for all of them.
    """
    if not moves:
        return
    rows = db.session.execute(
        db.select(Deadline.id, Deadline.household_id, Deadline.state, Deadline.until_states)
        .join(Alert, Alert.deadline_id == Deadline.id)
        .where(among(Alert.household_id, moves), Alert.status.in_(UNRESOLVED))
    ).all()
    close_for_deadlines(
        [
            row.id
            for row in rows
            if ends_deadline(
                moves[row.household_id], row.state, [s for s in row.until_states.split(",") if s]
            )
        ]
    )
