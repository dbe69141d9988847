"""Plan a move, pure: what a household becomes and every row the move writes or closes.

Every way a household moves (an API call, a page, a round's village step, an import, the
clock) asks this module for a plan, and one writer (caseflow.services.moves) writes plans, for
one household or ten thousand, with the same rows either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.classification import Classification
from caseflow.domain.engine import PlannedDeadline, check_guards, deadline_changes
from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.domain.guards import ACTIONS, EFFECTS, CaseFacts, pinned
from caseflow.domain.standards import Standard
from caseflow.domain.workflow import TransitionDef, WorkflowDef

SYSTEM = "system"
#: the trigger a survey fires where the workflow lets it leave the current state
CLASSIFY = "classify"
#: history rows of a household's facts changing: no state is entered
EDIT = "edit"
#: the first history row of a household brought in from a file, in the standing it had
IMPORT = "import"


@dataclass(frozen=True)
class LiveDeadline:
    """A pending or claimed deadline of the case, as the planner needs it."""

    id: int
    key: str
    state: str
    until_states: str = ""


@dataclass(frozen=True)
class CaseView:
    """What a move may read of a household, gathered by the service before planning."""

    id: int
    unit_id: int
    area: str
    state: str
    classification: str | None
    proposed_classification: str | None
    version: int
    workflow: str
    workflow_version: int
    #: the latest date the household's moves recorded (a survey, a meeting, a decision...)
    recorded_on: date | None = None
    #: the payload field that recorded it, to name it in a refusal
    recorded_field: str | None = None
    live: tuple[LiveDeadline, ...] = ()
    #: the payload of the move that entered the current state
    state_data: Mapping[str, object] = field(default_factory=dict)
    #: ids of the support items proposed and not yet decided
    proposed_supports: tuple[int, ...] = ()
    #: the case version the household's pending request was made on, if one is waiting
    pending_version: int | None = None
    #: whether pending_version was read (a view read without it may hide a pending request)
    requests_read: bool = False

    @property
    def facts(self) -> CaseFacts:
        return CaseFacts(
            self.state,
            self.classification,
            self.proposed_classification,
            self.state_data,
            self.proposed_supports,
        )


@dataclass(frozen=True)
class Actor:
    """Who moves the household: a user, or the system (the clock)."""

    id: int | None
    name: str


CLOCK = Actor(None, SYSTEM)


@dataclass(frozen=True)
class Move:
    """One household's move: its new row values and every row the move writes or closes."""

    case: CaseView
    dest: str
    classification: str | None
    proposed_classification: str | None
    recorded_on: date | None
    recorded_field: str | None
    #: the columns of the history event (caseflow.models.Event)
    event: dict
    ended_deadlines: tuple[int, ...] = ()
    new_deadlines: tuple[PlannedDeadline, ...] = ()
    #: named effects on other rows (caseflow.services.effects), with the payload they read
    effects: tuple[str, ...] = ()
    #: the approval this move carries out: every other pending request is closed as stale
    approval_id: int | None = None
    #: the survey this move records with it (caseflow.models.Assessment columns)
    assessment: dict | None = None


def plan_move(
    case: CaseView,
    definition: WorkflowDef,
    transition: TransitionDef,
    payload: Mapping[str, object],
    reason: str | None,
    *,
    actor: Actor,
    now: datetime,
    calendar: BusinessCalendar,
    approved_by: str | None = None,
    approval_id: int | None = None,
) -> Move:
    """Check the guards and the dates, then return the move `transition` makes of `case`."""
    check_guards(transition, case.facts, payload, calendar)
    check_dates(case, transition, payload)
    payload = {**pinned(transition.actions, case.facts), **payload}  # a request's pins win
    changes: dict[str, object] = {}
    for action in transition.actions:
        if action in ACTIONS:
            changes.update(ACTIONS[action](case.facts))
    classification = changes.get("classification", case.classification)
    ended, created = deadline_changes(
        case.live, definition, transition.dest, payload, now, calendar
    )
    recorded_field, recorded_on = latest_date(transition, payload) or (
        case.recorded_field,
        case.recorded_on,
    )
    event = event_row(
        case,
        definition,
        transition.trigger,
        transition.dest,
        classification,
        payload,
        reason,
        actor,
        now,
        approved_by,
        approval_id,
    )
    return Move(
        case,
        transition.dest,
        classification,
        case.proposed_classification,
        recorded_on,
        recorded_field,
        event,
        tuple(ended),
        tuple(created),
        tuple(a for a in transition.actions if a in EFFECTS),
        approval_id,
    )


def plan_survey(
    case: CaseView,
    definition: WorkflowDef,
    result: Classification,
    survey: Mapping[str, object],
    standard: Standard,
    *,
    actor: Actor,
    now: datetime,
    calendar: BusinessCalendar,
) -> Move:
    """Return the move that records a survey: under review it classifies the household (the
    workflow's `classify` leaves that state), elsewhere it changes the proposed class only."""
    surveyed_on = survey["surveyed_on"]
    if surveyed_on > calendar.local_date(now):
        raise InvalidInput(
            N_("A survey cannot be dated in the future."),
            fields={"surveyed_on": [Msg(N_("A date cannot be in the future."))]},
        )
    _not_before(case, "surveyed_on", surveyed_on)
    row = assessment_row(case, result, survey, standard, actor, now)
    recorded_field, recorded_on = "surveyed_on", surveyed_on
    classify = definition.transition(CLASSIFY, case.state)
    if classify is None:
        return Move(
            case,
            case.state,
            case.classification,
            result.classification,
            recorded_on,
            recorded_field,
            event={},
            assessment=row,
        )
    payload = {"assessment_classification": result.classification, "surveyed_on": surveyed_on}
    move = plan_move(
        case, definition, classify, payload, None, actor=actor, now=now, calendar=calendar
    )
    return replace(
        move,
        proposed_classification=result.classification,
        assessment=row,
        recorded_on=recorded_on,
        recorded_field=recorded_field,
    )


def plan_entry(
    case: CaseView,
    definition: WorkflowDef,
    dest: str,
    classification: str | None,
    payload: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
    calendar: BusinessCalendar,
) -> Move:
    """Return the move that brings a new household (in the initial state) in from a file, in
    the standing it had: `dest` with its class, and the timers of `dest` counted from the
    payload's dates (a decision's `decided_on`), as if it had entered `dest` by its decision."""
    if dest not in definition.states:
        raise InvalidInput(N_("No state '%(state)s'."), params={"state": dest})
    decided_on = payload.get("decided_on")
    _, created = deadline_changes((), definition, dest, payload, now, calendar)
    event = event_row(case, definition, IMPORT, dest, classification, payload, None, actor, now)
    event["from_state"] = None
    return Move(
        case,
        dest,
        classification,
        case.proposed_classification,
        decided_on if isinstance(decided_on, date) else case.recorded_on,
        "decided_on" if isinstance(decided_on, date) else case.recorded_field,
        event,
        new_deadlines=tuple(created),
    )


def plan_request(
    case: CaseView,
    transition: TransitionDef,
    payload: Mapping[str, object],
    reason: str | None,
    *,
    actor: Actor,
    now: datetime,
    calendar: BusinessCalendar,
) -> dict:
    """Check the guards and the dates, then return the columns of a request for the approver's
    decision (caseflow.models.Approval), pinned to the case's version and to what it covers."""
    check_guards(transition, case.facts, payload, calendar)
    check_dates(case, transition, payload)
    return {
        "household_id": case.id,
        "unit_id": case.unit_id,
        "trigger": transition.trigger,
        "data": to_json({**payload, **pinned(transition.actions, case.facts)}),
        "reason": reason,
        "case_version": case.version,
        "approver_role": transition.approval,
        "requested_by_id": actor.id,
        "requested_by": actor.name,
        "requested_at": now,
        "status": "pending",
    }


def plan_edit(
    case: CaseView,
    definition: WorkflowDef,
    record: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
) -> dict:
    """Return the history event of a change of facts: no state is entered, the class kept."""
    return event_row(
        case, definition, EDIT, case.state, case.classification, record, None, actor, now
    )


def assessment_row(
    case: CaseView,
    result: Classification,
    survey: Mapping[str, object],
    standard: Standard,
    actor: Actor,
    now: datetime,
) -> dict:
    """Return the columns of the survey's row (caseflow.models.Assessment)."""
    return {
        "household_id": case.id,
        "surveyed_on": survey["surveyed_on"],
        "standard": standard.code,
        "income_per_capita_month": survey.get("income_per_capita_month"),
        "income_score": survey.get("income_score"),
        "deprivations": dict(survey["deprivations"]),
        "deprivation_count": result.deprivation_count,
        "classification": result.classification,
        "income_line": result.income_line,
        "middle_line": result.middle_line,
        "area": result.area,
        "recorded_by_id": actor.id,
        "created_at": now,
    }


def event_row(
    case: CaseView,
    definition: WorkflowDef,
    trigger: str,
    dest: str,
    classification: str | None,
    payload: Mapping[str, object],
    reason: str | None,
    actor: Actor,
    now: datetime,
    approved_by: str | None = None,
    approval_id: int | None = None,
) -> dict:
    """Return the columns of a history event (caseflow.models.Event)."""
    return {
        "household_id": case.id,
        "at": now,
        "trigger": trigger,
        "from_state": case.state,
        "to_state": dest,
        "classification": classification,
        "unit_id": case.unit_id,
        "actor_id": actor.id,
        "actor": actor.name,
        "approved_by": approved_by,
        "approval_id": approval_id,
        "reason": reason,
        "data": to_json(payload),
        "workflow": definition.name,
        "workflow_version": definition.version,
    }


def check_dates(case: CaseView, transition: TransitionDef, payload: Mapping[str, object]) -> None:
    """Refuse dates out of order: each date of the payload is on or after what the household's
    previous move recorded, and after the payload's earlier dates (fields are declared in the
    order they happen: a meeting, then its posting)."""
    errors: dict[str, list[str]] = {}
    previous: tuple[str | None, date | None] = (case.recorded_field, case.recorded_on)
    for spec in transition.fields:
        day = payload.get(spec.name)
        if spec.type != "date" or not isinstance(day, date):
            continue
        if previous[1] is not None and day < previous[1]:
            errors[spec.name] = [_before(spec.name, day, *previous)]
        else:
            previous = (spec.name, day)
    if errors:
        raise InvalidInput(N_("Some dates are out of order."), fields=errors)


def _not_before(case: CaseView, name: str, day: date) -> None:
    if case.recorded_on is not None and day < case.recorded_on:
        raise InvalidInput(
            N_("Some dates are out of order."),
            fields={name: [_before(name, day, case.recorded_field, case.recorded_on)]},
        )


def _before(name: str, day: date, other: str | None, after: date) -> Msg:
    return Msg(
        N_("%(field)s (%(day)s) cannot be before %(other)s (%(after)s)."),
        field=name,
        day=day,
        other=other or "recorded_on",
        after=after,
    )


def latest_date(
    transition: TransitionDef, payload: Mapping[str, object]
) -> tuple[str, date] | None:
    """Return the last date field of the payload and its date, if it has any."""
    found = None
    for spec in transition.fields:
        if spec.type == "date" and isinstance(payload.get(spec.name), date):
            found = (spec.name, payload[spec.name])
    return found


def to_json(payload: Mapping[str, object]) -> dict:
    """Return the payload with dates as ISO strings, as history stores it."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in payload.items()}


def moved_to(moves: Sequence[Move]) -> dict[int, str]:
    """Map each moved household to the state it enters (the last, if it moves twice)."""
    return {move.case.id: move.dest for move in moves if move.event}
