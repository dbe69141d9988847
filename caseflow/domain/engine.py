"""The engine's rules: which trigger is allowed, what it needs, which deadlines it makes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from transitions import Machine

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.errors import N_, GuardFailed, InvalidInput, InvalidTrigger, Msg
from caseflow.domain.guards import GUARDS, CaseFacts
from caseflow.domain.inputs import (
    Refused,
    check_date,
    check_number,
    check_text,
    read_iso_date,
    read_typed_date,
    read_typed_number,
)
from caseflow.domain.workflow import FieldDef, TimerDef, TransitionDef, WorkflowDef

#: what a ticked box or a spreadsheet's yes cell sends
TRUTHY = frozenset({"1", "y", "yes", "on", "true", "x", "có", "co"})


@lru_cache(maxsize=64)
def machine_for(definition: WorkflowDef) -> Machine:
    """Return the one Machine of a (workflow, version); it evaluates, the database persists."""
    return Machine(
        model=None,
        states=list(definition.states),
        transitions=[
            {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest}
            for t in definition.transitions
        ],
        initial=definition.initial,
        auto_transitions=False,
    )


def transition_for(definition: WorkflowDef, state: str, trigger: str) -> TransitionDef:
    """Return the transition `trigger` from `state`, or refuse with InvalidTrigger."""
    machine = machine_for(definition)
    if trigger not in machine.events:  # before asking: an empty trigger would match them all
        raise InvalidInput(
            N_("Unknown trigger '%(trigger)s'."),
            params={"trigger": trigger},
            fields={"trigger": ["unknown"]},
        )
    if not machine.get_transitions(trigger=trigger, source=state):
        raise InvalidTrigger(
            N_("'%(trigger)s' cannot be done while the household is '%(state)s'."),
            params={"trigger": trigger, "state": state},
        )
    return definition.transition(trigger, state)  # type: ignore[return-value]


def triggers_for(definition: WorkflowDef, state: str, role: str | None) -> list[str]:
    """Return the triggers a person of `role` may fire from `state` (not automatic ones)."""
    return list(_triggers(definition, state, role))


@lru_cache(maxsize=1024)
def _triggers(definition: WorkflowDef, state: str, role: str | None) -> tuple[str, ...]:
    # a definition never changes under its (name, version, digest): a list page asks this for
    # every household, so it is worked out once per state and role, not once per row
    names = machine_for(definition).get_triggers(state)
    return tuple(
        name
        for name in names
        if (t := definition.transition(name, state))
        and not t.automatic
        and (role == "admin" or role in t.roles)
    )


def validate_payload(
    transition: TransitionDef, data: Mapping[str, object], today: date, *, typed: bool = False
) -> dict[str, object]:
    """Return the payload read and checked by its declared types; refuse missing or wrong fields.

    `typed`: the values are as a person typed them on a page (05/09/2026, 66,7), not JSON.
    """
    clean: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    for spec in transition.fields:
        value = data.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            value = today if spec.default == "today" else spec.default
        if value is None:
            if spec.required:
                errors[spec.name] = [Msg(N_("Missing data for required field."))]
            continue
        try:
            clean[spec.name] = _coerce(spec, value, today, typed)
        except Refused as refusal:
            errors[spec.name] = [refusal.message]
    for name in sorted(set(data) - {f.name for f in transition.fields}, key=str):
        errors[str(name)] = [Msg(N_("Unknown field for this trigger."))]
    if errors:
        raise InvalidInput(N_("Some fields are missing or wrong."), fields=errors)
    return clean


def _coerce(spec: FieldDef, value: object, today: date, typed: bool) -> object:
    if spec.type == "date":
        if not isinstance(value, date):
            value = read_typed_date(value) if typed else read_iso_date(value)
        return check_date(value, today)
    if spec.type == "number":
        return check_number(
            read_typed_number(value) if typed else value, spec.minimum, spec.maximum
        )
    if spec.type == "choice":
        if not isinstance(value, str) or value not in spec.choices:
            raise Refused(Msg(N_("Must be one of: %(choices)s."), choices=", ".join(spec.choices)))
        return value
    if spec.type == "bool":
        if typed and isinstance(value, str):
            return value.strip().lower() in TRUTHY
        if not isinstance(value, bool):
            raise Refused(Msg(N_("Not a valid boolean.")))
        return value
    return check_text(value)


def check_guards(
    transition: TransitionDef,
    facts: CaseFacts,
    data: Mapping[str, object],
    calendar: BusinessCalendar,
) -> None:
    """Run the transition's named guards in order; the first refusal stops it."""
    for ref in transition.conditions:
        refusal = GUARDS[ref.name](facts, data, ref.params, calendar)
        if refusal is not None:
            fields = (
                {refusal.field: [Msg(refusal.message, **refusal.params)]} if refusal.field else None
            )
            raise GuardFailed(refusal.message, params=dict(refusal.params), fields=fields)


@dataclass(frozen=True)
class PlannedDeadline:
    """A deadline row to create when a state is entered."""

    key: str
    timer: str
    kind: str
    due_at: datetime
    state: str
    until: tuple[str, ...]


def plan_deadlines(
    definition: WorkflowDef,
    dest: str,
    data: Mapping[str, object],
    entered_at: datetime,
    calendar: BusinessCalendar,
) -> list[PlannedDeadline]:
    """Return the deadlines the state `dest` creates, given the entering payload."""
    planned: list[PlannedDeadline] = []
    for timer in definition.states[dest].timers:
        if any(data.get(k) != v for k, v in timer.when.items()):
            continue
        due = timer.due.apply(_start_of(timer, data, entered_at), calendar)
        planned.append(PlannedDeadline(timer.key, timer.key, timer.kind, due, dest, timer.until))
        if timer.remind_before is not None:
            planned.append(
                PlannedDeadline(
                    f"{timer.key}:remind",
                    timer.key,
                    "remind",
                    timer.remind_before.before(due, calendar),
                    dest,
                    timer.until,
                )
            )
    return planned


def next_occurrence(
    timer: TimerDef, after: datetime | date, calendar: BusinessCalendar
) -> datetime:
    """Return when a repeating timer is next due, counted from `after`."""
    return timer.due.apply(after, calendar)


def _start_of(timer: TimerDef, data: Mapping[str, object], entered_at: datetime):
    if timer.start == "entered":
        return entered_at
    value = data.get(timer.start)
    return value if isinstance(value, date) else entered_at


def deadline_changes(
    live: Iterable,
    definition: WorkflowDef,
    dest: str,
    data: Mapping[str, object],
    entered_at: datetime,
    calendar: BusinessCalendar,
) -> tuple[list[int], list[PlannedDeadline]]:
    """Return the ids of the live deadlines that entering `dest` ends, and those it creates.

    `live` holds the case's pending or claimed deadlines (anything with id, key, state and
    until_states); a new one is not made where a live one with its key goes on.
    """
    ended, kept = [], set()
    for deadline in live:
        until = [s for s in deadline.until_states.split(",") if s]
        if ends_deadline(dest, deadline.state, until):
            ended.append(deadline.id)
        else:
            kept.add(deadline.key)
    planned = plan_deadlines(definition, dest, data, entered_at, calendar)
    return ended, [plan for plan in planned if plan.key not in kept]


def ends_deadline(dest: str, state: str, until: Iterable[str]) -> bool:
    """Tell whether entering `dest` ends a pending deadline made in `state`."""
    until = tuple(until)
    return dest in until if until else dest != state
