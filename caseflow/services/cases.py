"""Firing triggers: the engine's one transaction per transition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from caseflow import clock
from caseflow.domain.engine import (
    PlannedDeadline,
    check_guards,
    deadline_changes,
    transition_for,
    validate_payload,
)
from caseflow.domain.errors import N_, Conflict, Forbidden, InvalidInput, StaleVersion
from caseflow.domain.guards import ACTIONS, CaseFacts
from caseflow.domain.workflow import TransitionDef, WorkflowDef
from caseflow.extensions import db
from caseflow.models import Approval, Deadline, Event, Household, SupportItem, User
from caseflow.services import alerts, transaction
from caseflow.services.access import household_for, require_role
from caseflow.services.definitions import business_calendar, workflow
from caseflow.services.effects import EFFECTS

SYSTEM = "system"
#: a claimed deadline is still the case's until a sweep fires it (the sweep re-checks)
LIVE = ("pending", "claimed")


@dataclass
class Outcome:
    """What firing did: an event when applied, an approval when it waits for a supervisor."""

    household: Household
    event: Event | None = None
    approval: Approval | None = None


def fire(actor: User, household_id: int, trigger: str, data: Mapping | None = None,
         reason: str | None = None, version: int | None = None) -> Outcome:
    """Fire `trigger` on a household as `actor`: apply it, or ask for approval."""
    with transaction():
        household = household_for(actor, household_id)
        if version is not None and version != household.version:
            raise StaleVersion(N_("The household was changed meanwhile (version %(have)s, "
                                  "you sent %(sent)s); reload it and try again."),
                               params={"have": household.version, "sent": version})
        definition = workflow(household.workflow, household.workflow_version)
        transition = transition_for(definition, household.state, trigger)
        if transition.automatic:
            raise Forbidden(N_("'%(trigger)s' is done by the system, not by hand."),
                            params={"trigger": trigger})
        require_role(actor, *transition.roles)
        payload, reason = prepare(transition, household, data or {}, reason)
        if transition.approval:
            outcome = Outcome(household, approval=request_approval(
                actor, household, transition, payload, reason))
        else:
            outcome = Outcome(household, event=apply(
                household, definition, transition, payload, reason, actor=actor))
    return outcome


def prepare(transition: TransitionDef, household: Household, data: Mapping,
            reason: str | None) -> tuple[dict, str | None]:
    """Validate the payload and run the guards; return the clean payload and the reason."""
    payload, reason = validate(transition, data, reason)
    check_guards(transition, facts_of(household), payload, business_calendar())
    return payload, reason


def validate(transition: TransitionDef, data: Mapping,
             reason: str | None) -> tuple[dict, str | None]:
    """Return the payload coerced to its fields, the request's `reason` counted as one."""
    data = dict(data)
    if transition.field("reason") is not None:
        data.setdefault("reason", reason)
    elif "reason" in data:
        reason = reason or data.pop("reason")
    payload = validate_payload(transition, data, clock.today())
    return payload, payload.get("reason", reason)


def facts_of(household: Household) -> CaseFacts:
    """Gather what guards may know: the case, its current state's data, its proposed support."""
    entered = db.session.scalar(
        db.select(Event.data).where(Event.household_id == household.id)
        .order_by(Event.id.desc()).limit(1)
    )
    proposed = db.session.scalar(
        db.select(db.func.count(SupportItem.id)).where(
            SupportItem.household_id == household.id, SupportItem.state == "proposed")
    )
    return CaseFacts(household.state, household.classification,
                     household.proposed_classification, entered or {}, proposed or 0)


def request_approval(actor: User, household: Household, transition: TransitionDef,
                     payload: Mapping, reason: str | None) -> Approval:
    """Record a request for the approver's decision, pinned to the case's version."""
    pending = db.session.scalar(db.select(Approval).filter_by(
        household_id=household.id, status="pending"))
    if pending is not None and pending.case_version == household.version:
        raise Conflict(N_("Request %(id)s is already waiting for a decision on this household."),
                       params={"id": pending.id})
    if pending is not None:  # made on an older version, it could only be closed as stale
        close_stale_requests(household, clock.now())
    approval = Approval(
        household_id=household.id, unit_id=household.unit_id, trigger=transition.trigger,
        data=to_json(payload), reason=reason, case_version=household.version,
        approver_role=transition.approval, requested_by_id=actor.id,
        requested_by=actor.username, requested_at=clock.now(),
    )
    db.session.add(approval)
    db.session.flush()
    return approval


def apply(household: Household, definition: WorkflowDef, transition: TransitionDef,
          payload: Mapping, reason: str | None, *, actor: User | None,
          approved_by: str | None = None, approval_id: int | None = None) -> Event:
    """Move the household: state, actions, history, deadlines; the caller commits."""
    facts = facts_of(household) if transition.actions else None
    source, now = household.state, clock.now()
    household.state = transition.dest
    for action in transition.actions:
        if action in EFFECTS:
            EFFECTS[action](household)
            continue
        for name, value in ACTIONS[action](facts).items():
            setattr(household, name, value)
    event = Event(**event_row(household, source, definition, transition, payload, reason, now,
                              actor, approved_by, approval_id))
    db.session.add(event)
    close_stale_requests(household, now, keep=approval_id)
    move_deadlines(household, definition, transition.dest, payload, now)
    db.session.flush()
    return event


def close_stale_requests(household: Household, now, keep: int | None = None) -> None:
    """Close the household's pending request (but `keep`): it was made on a version now gone."""
    # no autoflush: lock the request row before the household row, the order approving uses
    with db.session.no_autoflush:
        db.session.execute(db.update(Approval).where(
            Approval.household_id == household.id, Approval.status == "pending",
            Approval.id != keep,
        ).values(status="stale", decided_by=SYSTEM, decided_at=now))


def move_deadlines(household: Household, definition: WorkflowDef, dest: str,
                   payload: Mapping, now) -> None:
    """Cancel the deadlines that entering `dest` ends and create the ones it starts."""
    live = db.session.scalars(db.select(Deadline).where(
        Deadline.household_id == household.id, Deadline.status.in_(LIVE))).all()
    ended, created = deadline_changes(live, definition, dest, payload, now, business_calendar())
    for deadline in live:
        if deadline.id in ended:
            deadline.status = "cancelled"
    alerts.close_ended({household.id: dest})
    db.session.flush()
    for plan in created:
        db.session.add(Deadline(**deadline_row(household.id, plan, now)))


def event_row(household, source: str | None, definition: WorkflowDef,
              transition: TransitionDef, payload: Mapping, reason: str | None, now,
              actor: User | None, approved_by: str | None = None,
              approval_id: int | None = None) -> dict:
    """Return the columns of the history event of one move (single or in bulk)."""
    return {
        "household_id": household.id, "at": now, "trigger": transition.trigger,
        "from_state": source, "to_state": transition.dest,
        "classification": household.classification, "unit_id": household.unit_id,
        "actor_id": actor.id if actor else None, "actor": actor.username if actor else SYSTEM,
        "approved_by": approved_by, "approval_id": approval_id, "reason": reason,
        "data": to_json(payload), "workflow": definition.name,
        "workflow_version": definition.version,
    }


def deadline_row(household_id: int, plan: PlannedDeadline, now) -> dict:
    """Return the columns of a new pending deadline."""
    return {"household_id": household_id, "key": plan.key, "timer": plan.timer,
            "kind": plan.kind, "due_at": plan.due_at, "state": plan.state,
            "until_states": ",".join(plan.until), "status": "pending", "attempts": 0,
            "created_at": now}


def to_json(payload: Mapping) -> dict:
    """Return the payload with dates as ISO strings, as history stores it."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in payload.items()}


def from_json(transition: TransitionDef, data: Mapping) -> dict:
    """Return a stored payload with its dates parsed back."""
    clean = dict(data)
    for spec in transition.fields:
        if spec.type == "date" and isinstance(clean.get(spec.name), str):
            clean[spec.name] = date.fromisoformat(clean[spec.name])
    return clean


def refuse_unknown(data: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(N_("Some fields are missing or wrong."),
                           fields={name: ["Unknown field."] for name in unknown})
