"""Monitoring visits: doing the work of a repeating deadline satisfies it and schedules the next."""

from __future__ import annotations

from datetime import date

from caseflow import clock
from caseflow.domain.engine import next_occurrence
from caseflow.domain.errors import N_, Conflict, InvalidInput
from caseflow.domain.workflow import TimerDef
from caseflow.extensions import db
from caseflow.models import Deadline, Household, User, Visit
from caseflow.services import alerts, transaction
from caseflow.services.access import WRITERS, household_for, require_role
from caseflow.services.definitions import business_calendar, workflow

CASE_WORKER = "case_worker"


def record(
    actor: User,
    household_id: int,
    visited_on: date,
    notes: str | None = None,
    hardship: bool = False,
) -> Visit:
    """Record a visit: close the due monitoring deadline and its alert, schedule the next."""
    require_role(actor, *WRITERS)
    if visited_on > clock.today():
        raise InvalidInput(
            N_("A visit cannot be dated in the future."),
            fields={"visited_on": ["A date cannot be in the future."]},
        )
    with transaction():
        household = household_for(actor, household_id, lock=True)
        timer = _repeating_timer(household)
        satisfied = _satisfy(household, timer)
        following = Deadline(
            household_id=household.id,
            key=timer.key,
            timer=timer.key,
            kind=timer.kind,
            due_at=next_occurrence(timer, visited_on, business_calendar()),
            state=household.state,
            until_states=",".join(timer.until),
        )
        db.session.add(following)
        db.session.flush()
        visit = Visit(
            household_id=household.id,
            visited_on=visited_on,
            notes=(notes or "").strip() or None,
            hardship=hardship,
            recorded_by_id=actor.id,
            recorded_by=actor.username,
            recorded_at=clock.now(),
            satisfied_id=satisfied,
            next_id=following.id,
        )
        db.session.add(visit)
        if hardship:
            # hangs on the next occurrence: it closes with it, or when the household moves on
            text = f"{visited_on:%d/%m/%Y}: {visit.notes or '-'}"
            alerts.raise_alert("hardship", household, following, CASE_WORKER, text, text)
    visit.next_due_at = following.due_at
    return visit


def _repeating_timer(household: Household) -> TimerDef:
    definition = workflow(household.workflow, household.workflow_version)
    timer = next((t for t in definition.states[household.state].timers if t.kind == "repeat"), None)
    if timer is None:
        raise Conflict(
            N_(
                "Monitoring visits are recorded while the household is followed up, "
                "not while it is '%(state)s'."
            ),
            params={"state": household.state},
        )
    return timer


def _satisfy(household: Household, timer: TimerDef) -> int | None:
    """Mark the current occurrence done (or, once fired, close its alerts); return its id."""
    current = db.session.scalar(
        db.select(Deadline)
        .where(
            Deadline.household_id == household.id,
            Deadline.key == timer.key,
            Deadline.status.in_(("pending", "claimed", "fired")),
        )
        .order_by(Deadline.id.desc())
        .limit(1)
    )
    if current is None:
        return None
    if current.status != "fired":
        current.status, current.claimed_until = "done", None
    alerts.close_for_deadlines([current.id])
    return current.id


def list_for(actor: User, household_id: int) -> list[Visit]:
    """Return a household's visits, newest first."""
    household_for(actor, household_id)
    return list(
        db.session.scalars(
            db.select(Visit)
            .where(Visit.household_id == household_id)
            .order_by(Visit.visited_on.desc(), Visit.id.desc())
        )
    )
