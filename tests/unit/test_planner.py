"""The planner, without a database: what each move of the lifecycle makes of a household, the
history row it writes, the deadlines it ends and makes, and what it refuses (guards, dates in
order); surveys and requests for approval (DESIGN.md, "One move, one plan", "Dates in order").

The tables are kept one row a line (`fmt: off`): each row is a rule of the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.classification import classify
from caseflow.domain.engine import PlannedDeadline
from caseflow.domain.errors import GuardFailed, InvalidInput
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.planner import (
    CLOCK,
    Actor,
    CaseView,
    LiveDeadline,
    Move,
    plan_move,
    plan_request,
    plan_survey,
)
from caseflow.domain.standards import INDICATOR_KEYS, Standard, standard_in_force
from caseflow.domain.standards_files import load_standards_dir
from caseflow.domain.workflow import WorkflowDef, parse_workflow

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
CALENDAR = BusinessCalendar()
WORKER = Actor(7, "worker")
HOUSEHOLD, UNIT, VERSION = 11, 3, 4

# One review, dated as on paper; its moves are typed in later, on NOW.
STARTED = date(2025, 3, 24)
SURVEYED = date(2025, 3, 28)
MET = date(2025, 4, 3)
POSTED = date(2025, 4, 4)  # a Friday; Monday 7 April 2025 is Hung Kings' Commemoration Day
POSTING_ENDS = date(2025, 4, 10)  # the third working day after POSTED
DECIDED = date(2025, 4, 10)
LAST_DECISION = date(2024, 4, 15)  # the decision of the household's previous review


def local(day: date, hour: int = 0) -> datetime:
    """A business-local moment, as aware UTC (hour 0: the day's local midnight)."""
    return datetime.combine(day, time(hour), CALENDAR.tz).astimezone(UTC)


NOW = local(date(2025, 5, 5), 9)


@pytest.fixture(scope="module")
def lifecycle() -> WorkflowDef:
    path = WORKFLOWS / "household_lifecycle.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return parse_workflow(data, str(path), GUARDS, ACTION_NAMES)


@pytest.fixture(scope="module")
def standards() -> list[Standard]:
    return load_standards_dir(WORKFLOWS / "standards")


POSTED_DATA = {"meeting_on": MET.isoformat(), "agreement_pct": 80, "posted_on": POSTED.isoformat()}
BY_DECISION = {"recorded_on": LAST_DECISION, "recorded_field": "decided_on"}

# fmt: off
#: a typical household in each state, as services.moves.views reads it
CASES = {
    "registered": {},
    "under_review": {"recorded_on": STARTED, "recorded_field": "started_on"},
    "classified": {"proposed_classification": "poor", "recorded_on": SURVEYED,
                   "recorded_field": "surveyed_on"},
    "posted": {"proposed_classification": "poor", "recorded_on": POSTED,
               "recorded_field": "posted_on", "state_data": POSTED_DATA},
    "recognised": {"classification": "poor", "proposed_classification": "poor", **BY_DECISION,
                   "proposed_supports": (5, 6)},
    "supported": {"classification": "poor", "proposed_classification": "poor", **BY_DECISION},
    "follow_up": {"proposed_classification": "better_off", **BY_DECISION},
    "graduated": {"proposed_classification": "better_off", **BY_DECISION},
}
# fmt: on


def case(state: str, **fields) -> CaseView:
    """A household of CASES[state], with `fields` changed."""
    values = {
        "id": HOUSEHOLD,
        "unit_id": UNIT,
        "area": "rural",
        "state": state,
        "classification": None,
        "proposed_classification": None,
        "version": VERSION,
        "workflow": "household_lifecycle",
        "workflow_version": 2,
    }
    return CaseView(**{**values, **CASES[state], **fields})


def plan(
    lifecycle,
    view: CaseView,
    trigger: str,
    payload: dict,
    reason=None,
    *,
    actor: Actor = WORKER,
    now: datetime = NOW,
    **approval,
) -> Move:
    transition = lifecycle.transition(trigger, view.state)
    assert transition is not None, f"{trigger} does not leave {view.state}"
    return plan_move(
        view,
        lifecycle,
        transition,
        payload,
        reason,
        actor=actor,
        now=now,
        calendar=CALENDAR,
        **approval,
    )


def request(lifecycle, view: CaseView, trigger: str, payload: dict, reason=None) -> dict:
    transition = lifecycle.transition(trigger, view.state)
    return plan_request(view, transition, payload, reason, actor=WORKER, now=NOW, calendar=CALENDAR)


# -- every transition from each of its sources -------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One move of the lifecycle and what it must make of the household."""

    source: str
    trigger: str
    payload: dict
    dest: str
    #: the recognised class after the move
    classification: str | None
    #: the event's data, as history stores it
    data: dict
    #: (recorded_field, recorded_on) after the move
    recorded: tuple[str, date]
    case: dict = field(default_factory=dict)
    reason: str | None = None
    actor: Actor = WORKER
    approved_by: str | None = None
    approval_id: int | None = None

    def view(self) -> CaseView:
        return case(self.source, **self.case)

    def plan(self, lifecycle: WorkflowDef) -> Move:
        approval = {"approved_by": self.approved_by, "approval_id": self.approval_id}
        view, actor = self.view(), self.actor
        return plan(
            lifecycle, view, self.trigger, self.payload, self.reason, actor=actor, **approval
        )


REGULAR = {"review_kind": "regular", "started_on": STARTED}
PERIODIC = {"review_kind": "periodic", "started_on": STARTED}
REGULAR_JSON = {"review_kind": "regular", "started_on": "2025-03-24"}
PERIODIC_JSON = {"review_kind": "periodic", "started_on": "2025-03-24"}
DECISION = {"decided_on": DECIDED}
DECISION_JSON = {"decided_on": "2025-04-10"}
COMPLAINT = "Hộ bên cạnh khiếu nại kết quả bình xét"
RELAPSE = "Chủ hộ ốm nặng, mất thu nhập"
CHAIR = {"approved_by": "chair", "approval_id": 42}
NOT_LISTED = {"proposed_classification": "middle"}
LISTED_EXITING = {"classification": "poor", "proposed_classification": "better_off"}

# fmt: off
MOVES = [
    Step("registered", "start_review", REGULAR, "under_review", None, REGULAR_JSON,
         ("started_on", STARTED)),
    Step("recognised", "start_review", PERIODIC, "under_review", "poor", PERIODIC_JSON,
         ("started_on", STARTED)),
    Step("supported", "start_review", PERIODIC, "under_review", "poor", PERIODIC_JSON,
         ("started_on", STARTED)),
    Step("follow_up", "start_review", PERIODIC, "under_review", None, PERIODIC_JSON,
         ("started_on", STARTED)),
    Step("graduated", "start_review", REGULAR, "under_review", None, REGULAR_JSON,
         ("started_on", STARTED)),
    Step("under_review", "classify", {}, "classified", None, {}, ("started_on", STARTED)),
    Step("classified", "agree", {"meeting_on": MET, "agreement_pct": 80, "posted_on": POSTED},
         "posted", None,
         {"meeting_on": "2025-04-03", "agreement_pct": 80, "posted_on": "2025-04-04"},
         ("posted_on", POSTED)),
    Step("classified", "disagree", {"meeting_on": MET, "agreement_pct": 30}, "under_review",
         None, {"meeting_on": "2025-04-03", "agreement_pct": 30}, ("meeting_on", MET)),
    Step("posted", "complain", {"reason": COMPLAINT}, "under_review", None,
         {"reason": COMPLAINT}, ("posted_on", POSTED), reason=COMPLAINT),
    Step("posted", "recognise", DECISION, "recognised", "poor", DECISION_JSON,
         ("decided_on", DECIDED), **CHAIR),
    Step("posted", "decline", DECISION, "registered", None, DECISION_JSON,
         ("decided_on", DECIDED), case=NOT_LISTED, **CHAIR),
    Step("posted", "exit", DECISION, "follow_up", None, DECISION_JSON,
         ("decided_on", DECIDED), case=LISTED_EXITING, **CHAIR),
    Step("recognised", "assign_support", DECISION, "supported", "poor",
         {**DECISION_JSON, "support_items": [5, 6]}, ("decided_on", DECIDED), **CHAIR),
    Step("follow_up", "relapse", {"reason": RELAPSE, **REGULAR}, "under_review", None,
         {"reason": RELAPSE, **REGULAR_JSON}, ("started_on", STARTED), reason=RELAPSE),
    Step("follow_up", "graduate", {}, "graduated", None, {}, ("decided_on", LAST_DECISION),
         actor=CLOCK),
]
# fmt: on
MOVE_IDS = [f"{s.source}-{s.trigger}" for s in MOVES]


def step(source: str, trigger: str) -> Step:
    return next(s for s in MOVES if (s.source, s.trigger) == (source, trigger))


def test_the_table_holds_every_transition_of_the_lifecycle_from_each_source(lifecycle):
    declared = {(source, t.trigger) for t in lifecycle.transitions for source in t.sources}

    assert {(s.source, s.trigger) for s in MOVES} == declared


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_a_move_enters_the_dest_of_its_transition(lifecycle, move: Step):
    assert move.plan(lifecycle).dest == move.dest


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_the_history_event_says_who_did_what_from_which_state_to_which(lifecycle, move: Step):
    assert move.plan(lifecycle).event == {
        "household_id": HOUSEHOLD,
        "unit_id": UNIT,
        "at": NOW,
        "trigger": move.trigger,
        "from_state": move.source,
        "to_state": move.dest,
        "classification": move.classification,
        "actor_id": move.actor.id,
        "actor": move.actor.name,
        "approved_by": move.approved_by,
        "approval_id": move.approval_id,
        "reason": move.reason,
        "data": move.data,
        "workflow": "household_lifecycle",
        "workflow_version": 2,
    }


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_the_event_data_is_plain_json(lifecycle, move: Step):
    data = move.plan(lifecycle).event["data"]

    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_the_household_takes_the_class_after_the_move_and_keeps_its_proposed_one(lifecycle, move):
    planned = move.plan(lifecycle)

    assert (planned.classification, planned.proposed_classification) == (
        move.classification,
        move.view().proposed_classification,
    )


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_the_household_remembers_the_last_date_the_move_recorded(lifecycle, move: Step):
    planned = move.plan(lifecycle)

    assert (planned.recorded_field, planned.recorded_on) == move.recorded


@pytest.mark.parametrize("move", MOVES, ids=MOVE_IDS)
def test_only_the_support_plan_acts_on_other_rows(lifecycle, move: Step):
    expected = ("approve_proposed_supports",) if move.trigger == "assign_support" else ()

    assert move.plan(lifecycle).effects == expected


def test_an_approved_move_carries_its_approval(lifecycle):
    assert step("posted", "recognise").plan(lifecycle).approval_id == 42


# -- the recognised class ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "proposed"),
    [(None, "poor"), (None, "near_poor"), ("near_poor", "poor"), ("poor", "near_poor")],
)
def test_recognise_sets_the_class_the_latest_survey_proposed(lifecycle, before, proposed):
    view = case("posted", classification=before, proposed_classification=proposed)

    move = plan(lifecycle, view, "recognise", DECISION, **CHAIR)

    assert (move.classification, move.event["classification"]) == (proposed, proposed)


@pytest.mark.parametrize("before", ["poor", "near_poor"])
def test_exit_clears_the_recognised_class(lifecycle, before):
    view = case("posted", classification=before, proposed_classification="middle")

    move = plan(lifecycle, view, "exit", DECISION, **CHAIR)

    assert (move.classification, move.event["classification"]) == (None, None)


# -- deadlines a move ends -------------------------------------------------------------------

UNTIL_DECIDED = "recognised,registered,follow_up"
REVIEW_DECISION = LiveDeadline(21, "review_decision", "under_review", UNTIL_DECIDED)
REVIEW_REMINDER = LiveDeadline(22, "review_decision:remind", "under_review", UNTIL_DECIDED)
POSTING_END = LiveDeadline(23, "posting_end", "posted")
SUPPORT_PLAN = LiveDeadline(24, "support_plan", "recognised")
ANNUAL_REVIEW = LiveDeadline(25, "annual_review", "recognised", "under_review,graduated")
ANNUAL_FOLLOW_UP = LiveDeadline(26, "annual_review", "follow_up", "under_review,graduated")
MONITORING_VISIT = LiveDeadline(27, "monitoring_visit", "follow_up")
GRADUATION = LiveDeadline(28, "graduation", "follow_up")

# fmt: off
#: (live deadline, the move's source and trigger, whether the move ends it)
ENDS = [
    # the 15-day limit of a regular review spans the review until its decision
    (REVIEW_DECISION, "under_review", "classify", False),
    (REVIEW_DECISION, "classified", "agree", False),
    (REVIEW_DECISION, "classified", "disagree", False),
    (REVIEW_DECISION, "posted", "complain", False),
    (REVIEW_DECISION, "posted", "recognise", True),
    (REVIEW_DECISION, "posted", "decline", True),
    (REVIEW_DECISION, "posted", "exit", True),
    (REVIEW_REMINDER, "classified", "agree", False),
    (REVIEW_REMINDER, "posted", "recognise", True),
    # the others end on leaving the state they were made in, or on reaching their `until`
    (POSTING_END, "posted", "complain", True),
    (POSTING_END, "posted", "recognise", True),
    (POSTING_END, "posted", "decline", True),
    (POSTING_END, "posted", "exit", True),
    (SUPPORT_PLAN, "recognised", "assign_support", True),
    (SUPPORT_PLAN, "recognised", "start_review", True),
    (ANNUAL_REVIEW, "recognised", "assign_support", False),
    (ANNUAL_REVIEW, "recognised", "start_review", True),
    (ANNUAL_REVIEW, "supported", "start_review", True),
    (ANNUAL_FOLLOW_UP, "follow_up", "start_review", True),
    (ANNUAL_FOLLOW_UP, "follow_up", "relapse", True),
    (ANNUAL_FOLLOW_UP, "follow_up", "graduate", True),
    (MONITORING_VISIT, "follow_up", "start_review", True),
    (MONITORING_VISIT, "follow_up", "relapse", True),
    (MONITORING_VISIT, "follow_up", "graduate", True),
    (GRADUATION, "follow_up", "start_review", True),
    (GRADUATION, "follow_up", "relapse", True),
]
# fmt: on


@pytest.mark.parametrize(("deadline", "source", "trigger", "ends"), ENDS)
def test_a_move_ends_the_live_deadlines_whose_span_it_leaves(
    lifecycle, deadline, source, trigger, ends
):
    move = step(source, trigger)

    planned = replace(move, case={**move.case, "live": (deadline,)}).plan(lifecycle)

    assert planned.ended_deadlines == ((deadline.id,) if ends else ())


@pytest.mark.parametrize(("trigger", "ended"), [("complain", (23,)), ("recognise", (21, 22, 23))])
def test_a_move_ends_some_live_deadlines_and_keeps_the_others(lifecycle, trigger, ended):
    move = step("posted", trigger)
    live = (REVIEW_DECISION, REVIEW_REMINDER, POSTING_END)

    assert replace(move, case={**move.case, "live": live}).plan(lifecycle).ended_deadlines == ended


# -- deadlines a move makes ------------------------------------------------------------------


def planned(key: str, kind: str, due: date, state: str, until=()) -> PlannedDeadline:
    return PlannedDeadline(key, key.split(":")[0], kind, local(due), state, tuple(until))


def annual(state: str, due: date = date(2025, 9, 1)) -> PlannedDeadline:
    return planned("annual_review", "remind", due, state, ("under_review", "graduated"))


# fmt: off
#: the regular review of STARTED: decision due 15 days later, reminded 3 days before
REVIEW_TIMERS = {
    planned("review_decision", "overdue", date(2025, 4, 8), "under_review",
            UNTIL_DECIDED.split(",")),
    planned("review_decision:remind", "remind", date(2025, 4, 5), "under_review",
            UNTIL_DECIDED.split(",")),
}
#: (the move's source and trigger, the deadlines it makes)
MAKES = [
    ("registered", "start_review", REVIEW_TIMERS),
    ("graduated", "start_review", REVIEW_TIMERS),
    ("follow_up", "relapse", REVIEW_TIMERS),
    ("under_review", "classify", set()),
    ("classified", "agree", {planned("posting_end", "remind", POSTING_ENDS, "posted")}),
    ("classified", "disagree", set()),
    ("posted", "complain", set()),
    ("posted", "recognise", {planned("support_plan", "overdue", date(2025, 5, 10), "recognised"),
                             annual("recognised")}),
    ("posted", "decline", set()),
    ("posted", "exit", {planned("monitoring_visit", "repeat", date(2025, 10, 10), "follow_up"),
                        planned("graduation", "auto", date(2028, 4, 10), "follow_up"),
                        annual("follow_up")}),
    ("recognised", "assign_support", {annual("supported")}),
    ("follow_up", "graduate", set()),
]
# fmt: on


@pytest.mark.parametrize(("source", "trigger", "made"), MAKES)
def test_a_move_makes_the_deadlines_of_the_state_it_enters(lifecycle, source, trigger, made):
    assert set(step(source, trigger).plan(lifecycle).new_deadlines) == made


@pytest.mark.parametrize(
    ("source", "trigger", "payload"),
    [
        ("registered", "start_review", PERIODIC),
        ("recognised", "start_review", PERIODIC),
        ("supported", "start_review", PERIODIC),
        ("follow_up", "start_review", PERIODIC),
        ("follow_up", "relapse", {"reason": RELAPSE, **PERIODIC}),
    ],
)
def test_a_periodic_review_has_no_15_day_decision_limit(lifecycle, source, trigger, payload):
    move = plan(lifecycle, case(source), trigger, payload, payload.get("reason"))

    assert move.new_deadlines == ()


POSTING_PERIODS = [
    (date(2025, 4, 4), date(2025, 4, 10)),  # Fri; Mon 7 April is Hung Kings' day
    (date(2025, 4, 14), date(2025, 4, 17)),  # Mon; no holiday: Tue, Wed, Thu
    (date(2025, 4, 29), date(2025, 5, 7)),  # Tue; 30 April, 1 and 2 May are days off
    (date(2025, 1, 24), date(2025, 2, 5)),  # Fri before Tết: 27 January to 1 February off
]


@pytest.mark.parametrize(("posted_on", "ends"), POSTING_PERIODS)
def test_the_posting_ends_three_working_days_after_it_began(lifecycle, posted_on, ends):
    payload = {"meeting_on": posted_on, "agreement_pct": 75, "posted_on": posted_on}

    [posting_end] = plan(
        lifecycle, case("classified", recorded_on=None), "agree", payload
    ).new_deadlines

    assert (posting_end.key, posting_end.due_at) == ("posting_end", local(ends))


@pytest.mark.parametrize(("posted_on", "ends"), POSTING_PERIODS)
def test_the_decision_may_be_dated_from_the_day_the_posting_ends_not_before(
    lifecycle, posted_on, ends
):
    view = case("posted", recorded_on=posted_on, state_data={"posted_on": posted_on.isoformat()})
    day_before = date.fromordinal(ends.toordinal() - 1)

    plan(lifecycle, view, "recognise", {"decided_on": ends})
    with pytest.raises(GuardFailed):
        plan(lifecycle, view, "recognise", {"decided_on": day_before})


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (local(date(2025, 5, 5), 9), date(2025, 9, 1)),
        (local(date(2025, 8, 31), 23), date(2025, 9, 1)),
        (local(date(2025, 9, 1), 9), date(2026, 9, 1)),  # on the day: this year's has opened
        (local(date(2025, 12, 20), 9), date(2026, 9, 1)),
    ],
)
def test_the_annual_review_is_reminded_on_the_next_first_of_september(lifecycle, now, due):
    move = plan(lifecycle, case("posted"), "recognise", DECISION, now=now)

    assert annual("recognised", due) in move.new_deadlines


@pytest.mark.parametrize(
    ("decided_on", "visit", "graduation"),
    [
        (date(2025, 4, 10), date(2025, 10, 10), date(2028, 4, 10)),
        (date(2025, 8, 31), date(2026, 2, 28), date(2028, 8, 31)),  # calendar months, clipped
        (date(2024, 2, 29), date(2024, 8, 29), date(2027, 2, 28)),
    ],
)
def test_follow_up_counts_calendar_months_from_the_exit_decision(
    lifecycle, decided_on, visit, graduation
):
    earlier = date(2024, 1, 2)
    view = case(
        "posted", **LISTED_EXITING, recorded_on=earlier, state_data={"posted_on": str(earlier)}
    )

    made = plan(lifecycle, view, "exit", {"decided_on": decided_on}).new_deadlines

    assert {d.key: d.due_at for d in made if d.key != "annual_review"} == {
        "monitoring_visit": local(visit),
        "graduation": local(graduation),
    }


def test_a_support_plan_is_due_30_days_after_the_recognition_decision(lifecycle):
    move = plan(lifecycle, case("posted"), "recognise", {"decided_on": date(2025, 4, 25)})

    assert {d.key: d.due_at for d in move.new_deadlines}["support_plan"] == local(date(2025, 5, 25))


def test_a_deadline_still_live_is_not_made_twice(lifecycle):
    view = case("recognised", live=(ANNUAL_REVIEW,))

    move = plan(lifecycle, view, "assign_support", DECISION)

    assert (move.ended_deadlines, move.new_deadlines) == ((), ())


# -- guards ----------------------------------------------------------------------------------

IN_POSTING = {"decided_on": date(2025, 4, 9)}
POSTING_NOT_OVER = (
    "The results were posted on 2025-04-04; the posting period of 3 working days ends on "
    "2025-04-10, so the decision can be dated from then."
)
BELOW_HALF = {"meeting_on": MET, "agreement_pct": 49, "posted_on": POSTED}

# fmt: off
#: (state, case changes, trigger, payload, message, the field it names)
REFUSALS = [
    pytest.param("classified", {}, "agree", BELOW_HALF,
                 "The village meeting must agree with at least 50% of those present; record "
                 "a new survey instead.", "agreement_pct", id="agree-below-half"),
    pytest.param("classified", {}, "disagree", {"meeting_on": MET, "agreement_pct": 50},
                 "The meeting agreed (50% or more): use 'agree' instead.", "agreement_pct",
                 id="disagree-at-half"),
    pytest.param("posted", NOT_LISTED, "recognise", DECISION,
                 "The latest survey does not classify the household as poor or near-poor "
                 "(it says: middle).", None, id="recognise-above-the-line"),
    pytest.param("posted", {"proposed_classification": "near_poor"}, "decline", DECISION,
                 "The latest survey classifies the household as near_poor: recognise it "
                 "instead.", None, id="decline-proposed-listed"),
    pytest.param("posted", {"classification": "poor", **NOT_LISTED}, "decline", DECISION,
                 "The household is on the poor list: use 'exit' to take it off.", None,
                 id="decline-a-listed-household"),
    pytest.param("posted", NOT_LISTED, "exit", DECISION,
                 "The household is not on the poor or near-poor lists: use 'decline'.", None,
                 id="exit-a-household-not-listed"),
    pytest.param("posted", {"classification": "poor", "proposed_classification": None}, "exit",
                 DECISION, "No survey has been recorded for this review.", None,
                 id="exit-without-a-survey"),
    pytest.param("recognised", {"proposed_supports": ()}, "assign_support", DECISION,
                 "Propose at least one support item before asking for approval.", None,
                 id="support-plan-without-items"),
    pytest.param("posted", {}, "recognise", IN_POSTING, POSTING_NOT_OVER, "decided_on",
                 id="recognise-inside-the-posting"),
    pytest.param("posted", NOT_LISTED, "decline", IN_POSTING, POSTING_NOT_OVER, "decided_on",
                 id="decline-inside-the-posting"),
    pytest.param("posted", LISTED_EXITING, "exit", IN_POSTING, POSTING_NOT_OVER, "decided_on",
                 id="exit-inside-the-posting"),
    pytest.param("posted", {}, "recognise", {"decided_on": date(2025, 4, 3)}, POSTING_NOT_OVER,
                 "decided_on", id="recognise-before-the-posting"),
]
# fmt: on
REQUESTS = [
    r for r in REFUSALS if r.values[2] in ("recognise", "decline", "exit", "assign_support")
]


@pytest.mark.parametrize(("state", "changes", "trigger", "payload", "message", "named"), REFUSALS)
def test_a_guard_refuses_the_move_saying_why(
    lifecycle, state, changes, trigger, payload, message, named
):
    with pytest.raises(GuardFailed) as raised:
        plan(lifecycle, case(state, **changes), trigger, payload)

    assert raised.value.message == message


@pytest.mark.parametrize(("state", "changes", "trigger", "payload", "message", "named"), REFUSALS)
def test_a_guard_names_the_field_it_refuses_and_no_other(
    lifecycle, state, changes, trigger, payload, message, named
):
    with pytest.raises(GuardFailed) as raised:
        plan(lifecycle, case(state, **changes), trigger, payload)

    assert raised.value.fields == ({named: [message]} if named else {})


@pytest.mark.parametrize(("state", "changes", "trigger", "payload", "message", "named"), REQUESTS)
def test_a_request_for_approval_is_refused_by_the_same_guards(
    lifecycle, state, changes, trigger, payload, message, named
):
    with pytest.raises(GuardFailed) as raised:
        request(lifecycle, case(state, **changes), trigger, payload)

    assert raised.value.message == message


# -- dates in order --------------------------------------------------------------------------


def before(name: str, day: date, other: str, after: date) -> list[str]:
    return [f"{name} ({day.isoformat()}) cannot be before {other} ({after.isoformat()})."]


EARLY = date(2025, 3, 27)

# fmt: off
#: (state, case changes, trigger, payload, the refused fields)
OUT_OF_ORDER = [
    pytest.param("classified", {}, "agree",
                 {"meeting_on": EARLY, "agreement_pct": 80, "posted_on": POSTED},
                 {"meeting_on": before("meeting_on", EARLY, "surveyed_on", SURVEYED)},
                 id="meeting-before-the-survey"),
    pytest.param("classified", {}, "disagree", {"meeting_on": EARLY, "agreement_pct": 20},
                 {"meeting_on": before("meeting_on", EARLY, "surveyed_on", SURVEYED)},
                 id="disagreeing-meeting-before-the-survey"),
    pytest.param("classified", {}, "agree",
                 {"meeting_on": MET, "agreement_pct": 80, "posted_on": date(2025, 4, 2)},
                 {"posted_on": before("posted_on", date(2025, 4, 2), "meeting_on", MET)},
                 id="posting-before-its-meeting"),
    pytest.param("classified", {}, "agree",
                 {"meeting_on": EARLY, "agreement_pct": 80, "posted_on": date(2025, 3, 26)},
                 {"meeting_on": before("meeting_on", EARLY, "surveyed_on", SURVEYED),
                  "posted_on": before("posted_on", date(2025, 3, 26), "surveyed_on", SURVEYED)},
                 id="meeting-and-posting-before-the-survey"),
    pytest.param("recognised", {"recorded_on": DECIDED}, "assign_support",
                 {"decided_on": date(2025, 4, 9)},
                 {"decided_on": before("decided_on", date(2025, 4, 9), "decided_on", DECIDED)},
                 id="support-plan-before-the-recognition"),
    pytest.param("follow_up", {}, "start_review",
                 {"review_kind": "periodic", "started_on": date(2024, 4, 14)},
                 {"started_on": before("started_on", date(2024, 4, 14), "decided_on",
                                       LAST_DECISION)},
                 id="review-before-the-last-decision"),
    pytest.param("follow_up", {}, "relapse",
                 {"reason": RELAPSE, "review_kind": "regular", "started_on": date(2024, 4, 1)},
                 {"started_on": before("started_on", date(2024, 4, 1), "decided_on",
                                       LAST_DECISION)},
                 id="relapse-before-the-exit"),
    pytest.param("registered", {"recorded_on": date(2025, 1, 6), "recorded_field": None},
                 "start_review", {"review_kind": "regular", "started_on": date(2025, 1, 5)},
                 {"started_on": before("started_on", date(2025, 1, 5), "recorded_on",
                                       date(2025, 1, 6))},
                 id="a-recorded-date-of-no-named-field"),
]
#: (state, case changes, trigger, payload, what the household remembers after)
IN_ORDER_ON_THE_SAME_DAY = [
    pytest.param("classified", {}, "agree",
                 {"meeting_on": SURVEYED, "agreement_pct": 80, "posted_on": SURVEYED},
                 ("posted_on", SURVEYED), id="meeting-and-posting-on-the-survey-day"),
    pytest.param("classified", {}, "disagree", {"meeting_on": SURVEYED},
                 ("meeting_on", SURVEYED), id="meeting-on-the-survey-day"),
    pytest.param("follow_up", {}, "start_review",
                 {"review_kind": "periodic", "started_on": LAST_DECISION},
                 ("started_on", LAST_DECISION), id="review-on-the-last-decision-day"),
    pytest.param("recognised", {"recorded_on": DECIDED}, "assign_support",
                 {"decided_on": DECIDED}, ("decided_on", DECIDED),
                 id="support-plan-on-the-recognition-day"),
    pytest.param("posted", {}, "recognise", {"decided_on": POSTING_ENDS},
                 ("decided_on", POSTING_ENDS), id="decision-on-the-day-the-posting-ends"),
    pytest.param("registered", {}, "start_review",
                 {"review_kind": "regular", "started_on": date(2001, 1, 1)},
                 ("started_on", date(2001, 1, 1)), id="nothing-recorded-before"),
]
# fmt: on


@pytest.mark.parametrize(("state", "changes", "trigger", "payload", "fields"), OUT_OF_ORDER)
def test_a_date_before_the_one_it_follows_is_refused_naming_both(
    lifecycle, state, changes, trigger, payload, fields
):
    with pytest.raises(InvalidInput) as raised:
        plan(lifecycle, case(state, **changes), trigger, payload, payload.get("reason"))

    assert raised.value.fields == fields


def test_a_request_for_approval_checks_its_dates_in_order(lifecycle):
    view = case("recognised", recorded_on=DECIDED)

    with pytest.raises(InvalidInput) as raised:
        request(lifecycle, view, "assign_support", {"decided_on": date(2025, 4, 9)})

    assert raised.value.fields == {
        "decided_on": before("decided_on", date(2025, 4, 9), "decided_on", DECIDED)
    }


@pytest.mark.parametrize(
    ("state", "changes", "trigger", "payload", "recorded"), IN_ORDER_ON_THE_SAME_DAY
)
def test_a_date_equal_to_the_one_it_follows_is_accepted(
    lifecycle, state, changes, trigger, payload, recorded
):
    move = plan(lifecycle, case(state, **changes), trigger, payload)

    assert (move.recorded_field, move.recorded_on) == recorded


# -- surveys ---------------------------------------------------------------------------------


def deprived(*keys: str) -> dict[str, bool]:
    return {key: key in keys for key in INDICATOR_KEYS}


#: the indicators of Decree 351/2025 (2027-2030): no information device, domestic waste added
KEYS_2027 = (*INDICATOR_KEYS[:10], "domestic_waste", "telecom")


def deprived_2027(*keys: str) -> dict[str, bool]:
    return {key: key in keys for key in KEYS_2027}


THREE = ("employment", "health_insurance", "water")
POOR = {"income_per_capita_month": 1_200_000, "deprivations": deprived(*THREE)}
NEAR_POOR = {"income_per_capita_month": 1_400_000, "deprivations": deprived("water")}
ABOVE_THE_LINE = {"income_per_capita_month": 2_000_000, "deprivations": deprived("water")}
WELL_OFF = {"income_per_capita_month": 3_500_000, "deprivations": deprived()}
LATER = date(2025, 5, 2)


def survey_plan(
    lifecycle, standards, view: CaseView, fields: dict, surveyed_on=SURVEYED, now: datetime = NOW
) -> Move:
    survey = {"surveyed_on": surveyed_on, **fields}
    standard = standard_in_force(standards, surveyed_on)
    income = survey.get("income_per_capita_month")
    result = classify(standard, view.area, survey["deprivations"], income_vnd=income)
    return plan_survey(
        view, lifecycle, result, survey, standard, actor=WORKER, now=now, calendar=CALENDAR
    )


def test_a_survey_under_review_classifies_the_household(lifecycle, standards):
    move = survey_plan(lifecycle, standards, case("under_review"), POOR)

    event = move.event
    assert (move.dest, event["trigger"], event["from_state"], event["to_state"]) == (
        "classified",
        "classify",
        "under_review",
        "classified",
    )


@pytest.mark.parametrize(
    ("fields", "proposed"), [(POOR, "poor"), (NEAR_POOR, "near_poor"), (ABOVE_THE_LINE, "middle")]
)
def test_the_classify_event_carries_the_class_and_date_of_the_survey(
    lifecycle, standards, fields, proposed
):
    move = survey_plan(lifecycle, standards, case("under_review"), fields)

    assert move.event["data"] == {
        "assessment_classification": proposed,
        "surveyed_on": "2025-03-28",
    }


def test_a_survey_under_review_keeps_the_recognised_class(lifecycle, standards):
    view = case("under_review", classification="poor", proposed_classification="poor")

    move = survey_plan(lifecycle, standards, view, ABOVE_THE_LINE)

    assert (move.classification, move.proposed_classification, move.event["classification"]) == (
        "poor",
        "middle",
        "poor",
    )


def test_a_survey_under_review_keeps_the_review_deadlines(lifecycle, standards):
    view = case("under_review", live=(REVIEW_DECISION, REVIEW_REMINDER))

    move = survey_plan(lifecycle, standards, view, POOR)

    assert (move.ended_deadlines, move.new_deadlines) == ((), ())


OUTSIDE_REVIEW = [state for state in CASES if state != "under_review"]


@pytest.mark.parametrize("state", OUTSIDE_REVIEW)
def test_a_survey_outside_review_is_recorded_without_a_move(lifecycle, standards, state):
    view = case(state, recorded_on=SURVEYED, live=(ANNUAL_REVIEW,))

    move = survey_plan(lifecycle, standards, view, ABOVE_THE_LINE, surveyed_on=LATER)

    assert (move.dest, move.classification, move.event) == (state, view.classification, {})
    assert (move.ended_deadlines, move.new_deadlines, move.effects) == ((), (), ())


@pytest.mark.parametrize("state", OUTSIDE_REVIEW)
def test_a_survey_outside_review_changes_the_proposed_class(lifecycle, standards, state):
    view = case(state, recorded_on=SURVEYED)

    move = survey_plan(lifecycle, standards, view, ABOVE_THE_LINE, surveyed_on=LATER)

    assert (move.proposed_classification, move.assessment["classification"]) == ("middle", "middle")


@pytest.mark.parametrize("state", ["under_review", "recognised"])
def test_a_survey_is_the_latest_date_the_household_recorded(lifecycle, standards, state):
    view = case(state, recorded_on=SURVEYED)

    move = survey_plan(lifecycle, standards, view, POOR, surveyed_on=LATER)

    assert (move.recorded_field, move.recorded_on) == ("surveyed_on", LATER)


# fmt: off
#: (area, survey, surveyed on, standard in force, its income line, class, deprivations)
SURVEYS = [
    ("rural", POOR, SURVEYED, "07/2021", 1_500_000, "poor", 3),
    ("rural", NEAR_POOR, SURVEYED, "07/2021", 1_500_000, "near_poor", 1),
    ("rural", ABOVE_THE_LINE, SURVEYED, "07/2021", 1_500_000, "middle", 1),
    ("urban", ABOVE_THE_LINE, SURVEYED, "07/2021", 2_000_000, "near_poor", 1),
    ("urban", WELL_OFF, SURVEYED, "07/2021", 2_000_000, "better_off", 0),
    # the same income is at or below the line of 2027-2030 (2,200,000 rural)
    ("rural", {**ABOVE_THE_LINE, "deprivations": deprived_2027(*THREE)}, date(2027, 1, 15),
     "2027-2030", 2_200_000, "poor", 3),
]
# fmt: on


@pytest.mark.parametrize(("area", "fields", "on", "standard", "line", "proposed", "count"), SURVEYS)
def test_the_survey_row_holds_the_standard_in_force_its_line_and_class(
    lifecycle, standards, area, fields, on, standard, line, proposed, count
):
    view = case("under_review", area=area)

    row = survey_plan(
        lifecycle, standards, view, fields, on, now=local(date(2027, 2, 1))
    ).assessment

    assert (row["standard"], row["income_line"], row["classification"]) == (
        standard,
        line,
        proposed,
    )
    assert row["deprivation_count"] == count


def test_the_survey_row_holds_what_was_surveyed_by_whom_and_when(lifecycle, standards):
    row = survey_plan(lifecycle, standards, case("under_review"), POOR).assessment

    assert row == {
        "household_id": HOUSEHOLD,
        "surveyed_on": SURVEYED,
        "standard": "07/2021",
        "income_per_capita_month": 1_200_000,
        "income_score": None,
        "deprivations": POOR["deprivations"],
        "deprivation_count": 3,
        "classification": "poor",
        "income_line": 1_500_000,
        "middle_line": 2_250_000,
        "area": "rural",
        "recorded_by_id": WORKER.id,
        "created_at": NOW,
    }


# fmt: off
#: (state, surveyed on, the refused field)
SURVEYS_OUT_OF_ORDER = [
    pytest.param("under_review", date(2025, 3, 23),
                 {"surveyed_on": before("surveyed_on", date(2025, 3, 23), "started_on", STARTED)},
                 id="before-the-review-started"),
    pytest.param("recognised", date(2024, 4, 14),
                 {"surveyed_on": before("surveyed_on", date(2024, 4, 14), "decided_on",
                                        LAST_DECISION)},
                 id="before-the-last-decision"),
    pytest.param("under_review", date(2025, 5, 6),
                 {"surveyed_on": ["A date cannot be in the future."]}, id="in-the-future"),
]
# fmt: on


@pytest.mark.parametrize(("state", "surveyed_on", "fields"), SURVEYS_OUT_OF_ORDER)
def test_a_survey_out_of_order_is_refused_naming_its_date(
    lifecycle, standards, state, surveyed_on, fields
):
    with pytest.raises(InvalidInput) as raised:
        survey_plan(lifecycle, standards, case(state), POOR, surveyed_on=surveyed_on)

    assert raised.value.fields == fields


@pytest.mark.parametrize(
    "surveyed_on", [STARTED, date(2025, 5, 5)], ids=["the-day-the-review-started", "today"]
)
def test_a_survey_on_the_first_or_last_day_it_may_be_is_accepted(lifecycle, standards, surveyed_on):
    move = survey_plan(lifecycle, standards, case("under_review"), POOR, surveyed_on=surveyed_on)

    assert move.recorded_on == surveyed_on


def test_today_is_vietnams_date_not_utcs(lifecycle, standards):
    # 00:30 on 6 May in Hanoi is 17:30 on 5 May in UTC
    just_after_midnight = datetime(2025, 5, 6, 0, 30, tzinfo=CALENDAR.tz).astimezone(UTC)

    move = survey_plan(
        lifecycle, standards, case("under_review"), POOR, date(2025, 5, 6), just_after_midnight
    )

    assert move.recorded_on == date(2025, 5, 6)


# -- requests for approval -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trigger", "changes"), [("recognise", {}), ("decline", NOT_LISTED), ("exit", LISTED_EXITING)]
)
def test_a_request_asks_the_workflows_approver_about_the_version_seen(lifecycle, trigger, changes):
    assert request(lifecycle, case("posted", **changes), trigger, DECISION) == {
        "household_id": HOUSEHOLD,
        "unit_id": UNIT,
        "trigger": trigger,
        "data": DECISION_JSON,
        "reason": None,
        "case_version": VERSION,
        "approver_role": "supervisor",
        "requested_by_id": WORKER.id,
        "requested_by": "worker",
        "requested_at": NOW,
        "status": "pending",
    }


def test_a_support_plan_request_pins_the_items_proposed_when_asked(lifecycle):
    view = case("recognised", proposed_supports=(5, 6, 9))

    row = request(lifecycle, view, "assign_support", DECISION)

    assert row["data"] == {**DECISION_JSON, "support_items": [5, 6, 9]}


def test_a_request_keeps_its_reason(lifecycle):
    row = request(lifecycle, case("posted"), "recognise", DECISION, "Biên bản họp thôn số 3")

    assert row["reason"] == "Biên bản họp thôn số 3"


def test_approving_a_support_plan_carries_out_the_items_the_request_pinned(lifecycle):
    view = case("recognised", proposed_supports=(5, 6, 9))

    move = plan(lifecycle, view, "assign_support", {**DECISION, "support_items": [5, 6]}, **CHAIR)

    assert move.event["data"]["support_items"] == [5, 6]
