"""Registering, finding and editing households."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.orm import selectinload

from caseflow import clock
from caseflow.domain import facts
from caseflow.domain.duplicates import (
    DuplicateNationalId,
    Identity,
    KeyReused,
    PossibleDuplicate,
    identity,
)
from caseflow.domain.engine import triggers_for
from caseflow.domain.errors import N_, Conflict, InvalidInput, Msg, StaleVersion
from caseflow.domain.planner import CaseView, plan_edit
from caseflow.domain.search import searched_words
from caseflow.domain.text import fold
from caseflow.extensions import db
from caseflow.models import (
    Approval,
    Deadline,
    Event,
    Household,
    Member,
    RegistrationKey,
    Unit,
    User,
)
from caseflow.services import (
    cases,
    moves,
    raced,
    read_outside_transaction,
    search_index,
    transaction,
)
from caseflow.services.access import (
    WRITERS,
    household_for,
    in_scope,
    require_role,
    scoped,
    shown_household,
    unit_by_code,
)
from caseflow.services.definitions import current_workflow, workflow
from caseflow.services.listing import Page, keyset_page
from caseflow.services.worklist import late

#: roles whose work needs national ids and phone numbers; officers read reports only
SEES_IDENTIFIERS = ("case_worker", "supervisor", "admin")
LIFECYCLE = "household_lifecycle"


def register(
    actor: User, fields: Mapping, key: str | None = None, *, same_request: bool = True
) -> Household:
    """Register a household with its members, in state `registered`, with its first event.

    With a `key` (a form's submission key, an API caller's Idempotency-Key) it is registered
    once: the same caller's key again returns the household it made, marked
    `registered_again`, even when both requests race; `same_request` refuses the key sent
    with another request.
    """
    require_role(actor, *WRITERS)
    actor_id, fingerprint = actor.id, _fingerprint(fields)
    if key is not None and (made := _made_with(actor_id, key)) is not None:
        return _again(actor, made, fingerprint, same_request)
    for attempt in range(2):
        try:
            return _register(actor, actor_id, fields, key, fingerprint)
        except Conflict as error:
            # another request wrote first: the same key, or the same national ID number
            if not raced(error):
                raise
            if key is not None and (made := _made_with(actor_id, key)) is not None:
                return _again(actor, made, fingerprint, same_request)
            if attempt:
                _refuse_held_national_id(actor, facts.clean(fields.get("national_id")))
                raise
            # SQLite refuses a write at once, without waiting, to a transaction that read
            # before another one wrote; the next attempt writes first, so it waits its turn
            db.session.rollback()
    raise AssertionError("unreachable")


def _register(
    actor: User, actor_id: int, fields: Mapping, key: str | None, fingerprint: str
) -> Household:
    definition = current_workflow(LIFECYCLE)  # it may commit its deployment
    with transaction():
        # the key first: a second request with it waits here for the first to commit, then
        # fails on the unique key (no check-then-insert)
        claim = _claim(actor_id, key, fingerprint) if key is not None else None
        unit = unit_by_code(fields["unit_code"], actor)
        if unit.level not in Unit.COMMUNE_LEVELS:
            raise InvalidInput(
                N_("A household belongs to a commune-level unit or below."),
                fields={"unit_code": ["Not a commune, ward, township or village."]},
            )
        area = fields.get("area") or unit.area
        if area is None:
            raise InvalidInput(
                N_("Give the area (rural or urban)."),
                fields={"area": ["The unit has no area; give one."]},
            )
        given = {name: facts.clean(fields.get(name)) for name in facts.FACTS}
        members = list(fields.get("members", ()))
        _refuse_held_national_id(actor, given["national_id"])
        if not fields.get("confirm_duplicate"):
            _refuse_possible_duplicate(
                identity(unit.id, given["head_name"], given["village"], members)
            )
        household = Household(
            code=f"HH-{secrets.token_hex(6).upper()}",
            head_name=given["head_name"],
            search_name=fold(given["head_name"]),
            unit=unit,
            area=area,
            village=given["village"],
            address=given["address"],
            phone=given["phone"],
            national_id=given["national_id"],
            state=definition.initial,
            workflow=definition.name,
            workflow_version=definition.version,
            members=[Member(**m) for m in members],
        )
        db.session.add(household)
        db.session.flush()
        search_index.index_loaded([household], new=True)
        if claim is not None:
            claim.household_id = household.id
        db.session.add(
            Event(
                household_id=household.id,
                at=clock.now(),
                trigger="register",
                from_state=None,
                to_state=household.state,
                unit_id=unit.id,
                actor_id=actor_id,
                actor=actor.username,
                data={},
                workflow=definition.name,
                workflow_version=definition.version,
            )
        )
    return household


def _claim(actor_id: int, key: str, fingerprint: str) -> RegistrationKey:
    claim = RegistrationKey(
        user_id=actor_id, key=key, fingerprint=fingerprint, created_at=clock.now()
    )
    db.session.add(claim)
    db.session.flush()
    return claim


def _fingerprint(fields: Mapping) -> str:
    body = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _made_with(actor_id: int, key: str) -> RegistrationKey | None:
    return db.session.scalar(
        db.select(RegistrationKey).where(
            RegistrationKey.user_id == actor_id,
            RegistrationKey.key == key,
            RegistrationKey.household_id.is_not(None),
        )
    )


def _again(actor: User, made: RegistrationKey, fingerprint: str, same_request: bool) -> Household:
    if same_request and made.fingerprint != fingerprint:
        raise KeyReused(
            N_(
                "This key was already used to register another household; send a "
                "new key with a new registration."
            ),
            fields={"Idempotency-Key": ["Already used with another request."]},
        )
    household = household_for(actor, made.household_id)
    household.registered_again = True
    return household


def _refuse_held_national_id(
    actor: User, national_id: str | None, household_id: int | None = None
) -> None:
    """Refuse a national ID number that another household holds, naming it when in scope."""
    if not national_id:
        return
    holder = db.session.scalar(
        db.select(Household).where(
            Household.national_id == national_id, Household.id != (household_id or 0)
        )
    )
    if holder is None:
        return
    if not in_scope(actor, holder.unit):
        message = N_("A household outside your units already has this national ID number.")
        raise DuplicateNationalId(
            message, household_id=None, fields={"national_id": [Msg(message)]}
        )
    message = N_("Household %(name)s (%(code)s) already has this national ID number.")
    raise DuplicateNationalId(
        message,
        household_id=holder.id,
        params={"name": holder.head_name, "code": holder.code},
        fields={"national_id": [Msg(message, name=holder.head_name, code=holder.code)]},
    )


def _refuse_possible_duplicate(mine: Identity) -> None:
    """Refuse to register the household a second time unless the caller confirmed it."""
    if mine.head_born is None:
        return
    candidates = db.session.scalars(
        db.select(Household)
        .where(Household.unit_id == mine.unit_id, Household.search_name == mine.head_name)
        .options(selectinload(Household.members))
        .order_by(Household.id)
    )
    for other in candidates:
        members = [_member_values(m) for m in other.members]
        if identity(other.unit_id, other.head_name, other.village, members).matches(mine):
            raise PossibleDuplicate(
                N_(
                    "A household with the same head (name and date of birth) and village is "
                    "already registered: %(name)s (%(code)s). If this is another household, "
                    "confirm it to register it anyway."
                ),
                household_id=other.id,
                params={"name": other.head_name, "code": other.code},
                fields={
                    "confirm_duplicate": [
                        Msg(N_("Confirm that this is another household to register it."))
                    ]
                },
            )


def get(actor: User, household_id: int) -> Household:
    """Return a household the actor may see."""
    return household_for(actor, household_id)


def shown(actor: User, household: Household | int, *, moved: bool = False) -> Household:
    """Return a household the actor may see as the API shows it, annotated (what the caller may
    fire, its pending request): with its members and its request in one query; no request
    when the household has just been `moved`, as a move closes it.

    `household` may be one just committed (expired): it is read again once, by its id, with
    what is shown of it, instead of attribute by attribute; after a commit, outside a
    transaction.
    """
    read_outside_transaction()
    if isinstance(household, Household):
        state = inspect(household)
        if not state.expired_attributes and "members" in state.dict:
            return annotate(actor, [household], none_pending=moved)[0]
        household = state.identity[0]
    if moved:
        found = household_for(actor, household, members=True)
        return annotate(actor, [found], none_pending=True)[0]
    found, pending = shown_household(actor, household)  # its request in the same query
    return annotate(actor, [found], pending={found.id: pending} if pending else {})[0]


def search(
    actor: User,
    *,
    unit: str | None = None,
    state: str | None = None,
    classification: str | None = None,
    q: str | None = None,
    overdue: bool | None = None,
    page: int = 1,
    per_page: int = 50,
    after: str | None = None,
) -> Page:
    """Return a page of households in the actor's units matching the filters, by id: after
    the cursor `after` when given, else page `page`. `q` finds every word (accents and case
    ignored) in a name (the head's or a member's), the code, the phone or the national ID."""
    query, searched = _filtered(
        actor, unit=unit, state=state, classification=classification, q=q, overdue=overdue
    )
    return keyset_page(
        query,
        [Household.id],
        after=after,
        page=page,
        per_page=per_page,
        options=[selectinload(Household.members)],
        counted=searched,
    )


#: the household list's filters (the rest of its query is paging)
FILTERS = ("unit", "state", "classification", "q", "overdue")


def filtered(
    actor: User,
    *,
    unit: str | None = None,
    state: str | None = None,
    classification: str | None = None,
    q: str | None = None,
    overdue: bool | None = None,
):
    """Return the query of the households in the actor's units matching the list's filters."""
    return _filtered(
        actor, unit=unit, state=state, classification=classification, q=q, overdue=overdue
    )[0]


def _filtered(
    actor: User,
    *,
    unit: str | None,
    state: str | None,
    classification: str | None,
    q: str | None,
    overdue: bool | None,
) -> tuple[Select, Select | None]:
    """Return filtered's query and, when only a search narrows the actor's units, the search
    index's query of the same households' ids (counted without reading a household)."""
    query = scoped(db.select(Household).join(Unit, Unit.id == Household.unit_id), actor)
    units = scoped(db.select(Unit.id, Unit.level), actor)  # the same units, for the index
    if state and state not in current_workflow(LIFECYCLE).states:
        raise InvalidInput(
            N_("No state '%(state)s'."),
            params={"state": state},
            fields={"state": [Msg(N_("No state '%(state)s'."), state=state)]},
        )
    if unit:
        within = Unit.path.startswith(unit_by_code(unit, actor, "unit").path)
        query, units = query.where(within), units.where(within)
    searched = None
    if words := searched_words(q):
        # the index holds each household's unit and applies the units itself: the households
        # are then read by the ids it found, not walked unit by unit and looked up in it
        searched = search_index.matching(words, units if actor.scope_path or unit else None)
        query = db.select(Household).where(Household.id.in_(searched))
    if state:
        query = query.where(Household.state == state)
    if classification:
        query = query.where(Household.classification == classification)
    if overdue is not None:
        found = (
            db.select(Deadline.id)
            .where(Deadline.household_id == Household.id, late(clock.now()))
            .exists()
        )
        query = query.where(found if overdue else ~found)
    narrowed = state or classification or overdue is not None
    return query, None if narrowed else searched


def update(actor: User, household_id: int, fields: Mapping, version: int) -> Household:
    """Change a household's facts, refusing a stale version; history records every change."""
    require_role(actor, *WRITERS)
    try:
        return _update(actor, household_id, fields, version)
    except Conflict as error:
        if raced(error) and "national_id" in fields:
            _refuse_held_national_id(actor, facts.clean(fields["national_id"]), household_id)
        raise


def _update(actor: User, household_id: int, fields: Mapping, version: int) -> Household:
    with transaction():
        household = household_for(actor, household_id)
        if version != household.version:
            raise StaleVersion(
                N_(
                    "The household was changed meanwhile (version %(have)s, "
                    "you sent %(sent)s); reload it and try again."
                ),
                params={"have": household.version, "sent": version},
            )
        found = facts.changes(
            {name: getattr(household, name) for name in facts.FACTS},
            [_member_values(m) for m in household.members],
            fields,
        )
        if "national_id" in found.facts:
            _refuse_held_national_id(actor, found.facts["national_id"], household.id)
        if found.record:
            _apply(household, found)
            db.session.flush()  # the members added get their ids, the removed ones go
            search_index.index_loaded([household])
            db.session.add(
                Event(
                    **plan_edit(
                        CaseView(*(getattr(household, c) for c in moves.COLUMNS)),
                        workflow(household.workflow, household.workflow_version),
                        found.record,
                        actor=cases.as_actor(actor),
                        now=clock.now(),
                    )
                )
            )
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


#: pending_approvals' statement, built once (every household shown runs it)
_PENDING = select(Approval).where(
    Approval.household_id.in_(bindparam("household_ids", expanding=True)),
    Approval.status == "pending",
)


def pending_approvals(household_ids: list[int]) -> dict[int, Approval]:
    """Return the pending request of each household, in one query."""
    if not household_ids:
        return {}
    rows = db.session.scalars(_PENDING, {"household_ids": household_ids})
    return {a.household_id: a for a in rows}


def history(actor: User, household_id: int) -> list[Event]:
    """Return a household's history, oldest first; identifiers masked for roles without them."""
    household_for(actor, household_id)
    events = list(
        db.session.scalars(
            db.select(Event).where(Event.household_id == household_id).order_by(Event.id)
        )
    )
    for event in events:
        event.identifiers_masked = actor.role not in SEES_IDENTIFIERS
    return events


def shown_data(event: Event) -> dict:
    """Return an event's data as its reader may see it (an event not read through `history`:
    identifiers masked)."""
    return facts.shown_data(event.trigger, event.data, getattr(event, "identifiers_masked", True))


def deadlines(actor: User, household_id: int) -> list[Deadline]:
    household_for(actor, household_id)
    return list(
        db.session.scalars(
            db.select(Deadline)
            .where(Deadline.household_id == household_id)
            .order_by(Deadline.due_at, Deadline.id)
        )
    )


def annotate(
    actor: User,
    households: list[Household],
    *,
    none_pending: bool = False,
    pending: Mapping[int, Approval] | None = None,
) -> list[Household]:
    """Attach what this caller may fire now and the pending request, in one query per page;
    `none_pending`: the caller knows none is (it has just moved them: a move closes them);
    `pending`: the caller read them already."""
    if pending is None:
        pending = {} if none_pending else pending_approvals([h.id for h in households])
    for household in households:
        definition = workflow(household.workflow, household.workflow_version)
        triggers = triggers_for(definition, household.state, actor.role)
        if household.id in pending:  # one request at a time; steps without approval still go
            triggers = [
                t for t in triggers if not definition.transition(t, household.state).approval
            ]
        household.available_triggers = triggers
        household.pending_approval = pending.get(household.id)
        household.identifiers_masked = actor.role not in SEES_IDENTIFIERS
    return households
