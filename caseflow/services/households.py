"""Registering, finding and editing households."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from caseflow import clock
from caseflow.domain import facts
from caseflow.domain.engine import triggers_for
from caseflow.domain.errors import N_, InvalidInput, StaleVersion
from caseflow.domain.planner import CaseView, plan_edit
from caseflow.domain.text import fold
from caseflow.extensions import db
from caseflow.models import Approval, Deadline, Event, Household, Member, Unit, User
from caseflow.services import cases, moves, transaction
from caseflow.services.access import WRITERS, household_for, require_role, scoped, unit_by_code
from caseflow.services.definitions import current_workflow, workflow
from caseflow.services.worklist import late

#: roles whose work needs national ids and phone numbers; officers read reports only
SEES_IDENTIFIERS = ("case_worker", "supervisor", "admin")


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


def register(actor: User, fields: Mapping) -> Household:
    """Register a household with its members, in state `registered`, with its first event."""
    require_role(actor, *WRITERS)
    definition = current_workflow("household_lifecycle")
    with transaction():
        unit = unit_by_code(fields["unit_code"], actor)
        if unit.level not in Unit.COMMUNE_LEVELS:
            raise InvalidInput(N_("A household belongs to a commune-level unit or below."),
                               fields={"unit_code": ["Not a commune, ward, township or village."]})
        area = fields.get("area") or unit.area
        if area is None:
            raise InvalidInput(N_("Give the area (rural or urban)."),
                               fields={"area": ["The unit has no area; give one."]})
        household = Household(
            code=f"HH-{secrets.token_hex(6).upper()}", head_name=fields["head_name"].strip(),
            search_name=fold(fields["head_name"]), unit=unit, area=area,
            village=fields.get("village"), address=fields.get("address"),
            phone=fields.get("phone"), national_id=fields.get("national_id"),
            state=definition.initial, workflow=definition.name,
            workflow_version=definition.version,
            members=[Member(**m) for m in fields.get("members", ())],
        )
        db.session.add(household)
        db.session.flush()
        db.session.add(Event(
            household_id=household.id, at=clock.now(), trigger="register", from_state=None,
            to_state=household.state, unit_id=unit.id, actor_id=actor.id, actor=actor.username,
            data={}, workflow=definition.name, workflow_version=definition.version,
        ))
    return household


def get(actor: User, household_id: int) -> Household:
    """Return a household the actor may see."""
    return household_for(actor, household_id)


def search(actor: User, *, unit: str | None = None, state: str | None = None,
           classification: str | None = None, q: str | None = None,
           overdue: bool | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Return a page of households in the actor's units matching the filters."""
    query = scoped(db.select(Household).join(Unit, Unit.id == Household.unit_id), actor)
    if unit:
        query = query.where(Unit.path.startswith(unit_by_code(unit, actor, "unit").path))
    if state:
        query = query.where(Household.state == state)
    if classification:
        query = query.where(Household.classification == classification)
    for word in fold(q or "").split():
        query = query.where(Household.search_name.contains(word, autoescape=True))
    if overdue is not None:
        found = db.select(Deadline.id).where(
            Deadline.household_id == Household.id, late(clock.now())).exists()
        query = query.where(found if overdue else ~found)
    total = db.session.scalar(query.with_only_columns(db.func.count(Household.id)))
    items = db.session.scalars(
        query.options(selectinload(Household.members))
        .order_by(Household.id).limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(items), total or 0, page, per_page)


def update(actor: User, household_id: int, fields: Mapping, version: int) -> Household:
    """Change a household's facts, refusing a stale version; history records every change."""
    require_role(actor, *WRITERS)
    with transaction():
        household = household_for(actor, household_id)
        if version != household.version:
            raise StaleVersion(N_("The household was changed meanwhile (version %(have)s, "
                                  "you sent %(sent)s); reload it and try again."),
                               params={"have": household.version, "sent": version})
        found = facts.changes({name: getattr(household, name) for name in facts.FACTS},
                              [_member_values(m) for m in household.members], fields)
        if found.record:
            _apply(household, found)
            db.session.add(Event(**plan_edit(
                CaseView(*(getattr(household, c) for c in moves.COLUMNS)),
                workflow(household.workflow, household.workflow_version), found.record,
                actor=cases.as_actor(actor), now=clock.now())))
    return household


def _member_values(member: Member) -> dict:
    return {"id": member.id, **{name: getattr(member, name) for name in facts.MEMBER_FACTS}}


def _apply(household: Household, found: facts.Changes) -> None:
    for name, value in found.facts.items():
        setattr(household, name, value)
    if "head_name" in found.facts:
        household.search_name = fold(household.head_name)
    by_id = {m.id: m for m in household.members}
    for member_id, values in found.updated.items():
        for name, value in values.items():
            setattr(by_id[member_id], name, value)
    for member_id in found.removed:
        household.members.remove(by_id[member_id])
    household.members.extend(Member(**values) for values in found.added)
    # members are rows of their own: touch the household so that its version moves too
    household.updated_at = clock.now()


def pending_approvals(household_ids: list[int]) -> dict[int, Approval]:
    """Return the pending request of each household, in one query."""
    if not household_ids:
        return {}
    rows = db.session.scalars(db.select(Approval).where(
        Approval.household_id.in_(household_ids), Approval.status == "pending"))
    return {a.household_id: a for a in rows}


def history(actor: User, household_id: int) -> list[Event]:
    """Return a household's history, oldest first; identifiers masked for roles without them."""
    household_for(actor, household_id)
    events = list(db.session.scalars(
        db.select(Event).where(Event.household_id == household_id).order_by(Event.id)))
    for event in events:
        event.identifiers_masked = actor.role not in SEES_IDENTIFIERS
    return events


def shown_data(event: Event) -> dict:
    """Return an event's data as its reader may see it (an event not read through `history`:
    identifiers masked)."""
    return facts.shown_data(event.trigger, event.data, getattr(event, "identifiers_masked", True))


def deadlines(actor: User, household_id: int) -> list[Deadline]:
    household_for(actor, household_id)
    return list(db.session.scalars(
        db.select(Deadline).where(Deadline.household_id == household_id)
        .order_by(Deadline.due_at, Deadline.id)))



def annotate(actor: User, households: list[Household]) -> list[Household]:
    """Attach what this caller may fire now and the pending request, in one query per page."""
    pending = pending_approvals([h.id for h in households])
    for household in households:
        definition = workflow(household.workflow, household.workflow_version)
        triggers = triggers_for(definition, household.state, actor.role)
        if household.id in pending:  # one request at a time; steps without approval still go
            triggers = [t for t in triggers
                        if not definition.transition(t, household.state).approval]
        household.available_triggers = triggers
        household.pending_approval = pending.get(household.id)
        household.identifiers_masked = actor.role not in SEES_IDENTIFIERS
    return households
