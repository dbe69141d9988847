"""Firing triggers: one household's move, planned by the domain and written by the one writer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from caseflow import clock
from caseflow.domain.engine import validate_payload
from caseflow.domain.errors import N_, InvalidInput
from caseflow.domain.inputs import Refused, check_text
from caseflow.domain.planner import CLOCK, Actor, CaseView, plan_move
from caseflow.domain.workflow import TransitionDef, WorkflowDef
from caseflow.extensions import db
from caseflow.models import Approval, Event, Household, User
from caseflow.services import moves, read_outside_transaction
from caseflow.services.access import household_for
from caseflow.services.definitions import business_calendar


@dataclass
class Outcome:
    """What firing did: an event when applied, an approval when it waits for a supervisor."""

    household: Household
    event: Event | None = None
    approval: Approval | None = None


def fire(
    actor: User,
    household_id: int,
    trigger: str,
    data: Mapping | None = None,
    reason: str | None = None,
    version: int | None = None,
    *,
    typed: bool = False,
) -> Outcome:
    """Fire `trigger` on a household as `actor`: apply it, or ask for approval.

    `typed`: the payload is as a person typed it on a page (05/09/2026), not JSON.
    """
    from caseflow.services import bulk

    [result] = bulk.fire_all(
        actor, [bulk.Order(household_id, trigger, data or {}, reason, version, typed)]
    )
    read_outside_transaction()  # what is shown of the move, read after its commit
    household = household_for(actor, household_id, members=True)  # as it is shown
    if result.approval_id is not None:
        return Outcome(household, approval=db.session.get(Approval, result.approval_id))
    # the history row as written (not read back): its columns and the id it was given
    return Outcome(household, event=Event(id=result.event_id, **result.event))


def validate(
    transition: TransitionDef, data: Mapping, reason: str | None, typed: bool = False
) -> tuple[dict, str | None]:
    """Return the payload coerced to its fields, the request's `reason` counted as one."""
    data = dict(data)
    if transition.field("reason") is not None:
        data.setdefault("reason", reason)
    elif "reason" in data:
        reason = reason or data.pop("reason")
    payload = validate_payload(transition, data, clock.today(), typed=typed)
    return payload, payload.get("reason", _checked_reason(reason))


def _checked_reason(reason: object) -> str | None:
    """A reason given beside the payload follows the rules of text (a note, from a page)."""
    if reason is None:
        return None
    try:
        return check_text(reason, blank=True) or None
    except Refused as refusal:
        raise InvalidInput(
            N_("Some fields are missing or wrong."), fields={"reason": [refusal.message]}
        ) from None


def move(
    view: CaseView,
    definition: WorkflowDef,
    transition: TransitionDef,
    payload: Mapping,
    reason: str | None,
    *,
    actor: Actor,
    approved_by: str | None = None,
    approval_id: int | None = None,
) -> Event:
    """Plan and write one household's move; return its history event. The caller commits."""
    planned = plan_move(
        view,
        definition,
        transition,
        payload,
        reason,
        actor=actor,
        now=clock.now(),
        calendar=business_calendar(),
        approved_by=approved_by,
        approval_id=approval_id,
    )
    [event_id] = moves.write([planned], returning=True).events
    return db.session.get(Event, event_id)


def as_actor(user: User | None) -> Actor:
    """Return who moves the household: a user, or the clock."""
    return Actor(user.id, user.username) if user is not None else CLOCK


def from_json(transition: TransitionDef, data: Mapping) -> dict:
    """Return a stored payload with its dates parsed back."""
    clean = dict(data)
    for spec in transition.fields:
        if spec.type == "date" and isinstance(clean.get(spec.name), str):
            clean[spec.name] = date.fromisoformat(clean[spec.name])
    return clean
