"""The engine's rules, without a database: triggers, payloads, deadlines, the cached Machine."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.engine import (
    ends_deadline,
    machine_for,
    plan_deadlines,
    transition_for,
    triggers_for,
    validate_payload,
)
from caseflow.domain.errors import InvalidInput, InvalidTrigger
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.workflow import WorkflowDef, parse_workflow

LIFECYCLE_FILE = Path(__file__).resolve().parents[2] / "workflows" / "household_lifecycle.yaml"
CALENDAR = BusinessCalendar()
TODAY = date(2026, 3, 10)
STATES = (
    "registered",
    "under_review",
    "classified",
    "posted",
    "recognised",
    "supported",
    "follow_up",
    "graduated",
)

#: DESIGN.md, "Household lifecycle": trigger -> (sources, dest)
LIFECYCLE = {
    "start_review": (
        ("registered", "recognised", "supported", "follow_up", "graduated"),
        "under_review",
    ),
    "classify": (("under_review",), "classified"),
    "agree": (("classified",), "posted"),
    "disagree": (("classified",), "under_review"),
    "complain": (("posted",), "under_review"),
    "recognise": (("posted",), "recognised"),
    "decline": (("posted",), "registered"),
    "exit": (("posted",), "follow_up"),
    "assign_support": (("recognised",), "supported"),
    "relapse": (("follow_up",), "under_review"),
    "graduate": (("follow_up",), "graduated"),
}
ALLOWED = [
    (source, trigger, dest) for trigger, (sources, dest) in LIFECYCLE.items() for source in sources
]
REFUSED = [
    (state, trigger)
    for state in STATES
    for trigger in LIFECYCLE
    if state not in LIFECYCLE[trigger][0]
]


def load_lifecycle() -> WorkflowDef:
    data = yaml.safe_load(LIFECYCLE_FILE.read_text(encoding="utf-8"))
    return parse_workflow(data, str(LIFECYCLE_FILE), GUARDS, ACTION_NAMES)


@pytest.fixture(scope="module")
def lifecycle() -> WorkflowDef:
    return load_lifecycle()


def local(day: date, hour: int = 0) -> datetime:
    """Return a business-local moment as aware UTC."""
    return CALENDAR.to_utc(datetime(day.year, day.month, day.day, hour, tzinfo=CALENDAR.tz))


# -- which trigger is allowed from which state ------------------------------------------------


@pytest.mark.parametrize(("source", "trigger", "dest"), ALLOWED)
def test_transition_for_follows_the_lifecycle_table(lifecycle, source, trigger, dest) -> None:
    assert transition_for(lifecycle, source, trigger).dest == dest


@pytest.mark.parametrize(("state", "trigger"), REFUSED)
def test_transition_for_refuses_a_trigger_not_valid_from_the_state(
    lifecycle, state, trigger
) -> None:
    with pytest.raises(InvalidTrigger) as raised:
        transition_for(lifecycle, state, trigger)

    assert raised.value.status == 409
    assert raised.value.message == (f"'{trigger}' cannot be done while the household is '{state}'.")


@pytest.mark.parametrize("trigger", ["approve", "delete", "", "Start_Review"])
def test_transition_for_refuses_an_unknown_trigger_as_invalid_input(lifecycle, trigger) -> None:
    with pytest.raises(InvalidInput) as raised:
        transition_for(lifecycle, "registered", trigger)

    assert raised.value.status == 422
    assert raised.value.fields == {"trigger": ["unknown"]}


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        ("registered", "case_worker", ["start_review"]),
        ("under_review", "case_worker", []),  # classify is fired by recording a survey
        ("classified", "case_worker", ["agree", "disagree"]),
        ("posted", "case_worker", ["complain", "recognise", "decline", "exit"]),
        ("posted", "admin", ["complain", "recognise", "decline", "exit"]),
        ("posted", "supervisor", []),
        ("posted", "officer", []),
        ("posted", None, []),
        ("recognised", "case_worker", ["start_review", "assign_support"]),
        ("follow_up", "case_worker", ["start_review", "relapse"]),  # graduate is the timer's
        ("graduated", "case_worker", ["start_review"]),
    ],
)
def test_triggers_for_lists_what_a_role_may_fire_by_hand(lifecycle, state, role, expected) -> None:
    assert triggers_for(lifecycle, state, role) == expected


# -- payloads ---------------------------------------------------------------------------------


def payload(lifecycle, trigger: str, state: str, **data):
    return validate_payload(lifecycle.transition(trigger, state), data, TODAY)


def refusal(lifecycle, trigger: str, state: str, **data) -> dict[str, list[str]]:
    with pytest.raises(InvalidInput) as raised:
        payload(lifecycle, trigger, state, **data)
    assert raised.value.status == 422
    return raised.value.fields


def test_required_field_missing_is_refused_naming_it(lifecycle) -> None:
    assert refusal(lifecycle, "complain", "posted") == {
        "reason": ["Missing data for required field."]
    }


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_text_is_refused(lifecycle, blank: str) -> None:
    assert list(refusal(lifecycle, "complain", "posted", reason=blank)) == ["reason"]


def test_text_is_stripped(lifecycle) -> None:
    assert payload(lifecycle, "complain", "posted", reason="  hàng xóm khiếu nại ") == {
        "reason": "hàng xóm khiếu nại"
    }


def test_dates_default_to_today_and_choices_to_their_default(lifecycle) -> None:
    assert payload(lifecycle, "start_review", "registered") == {
        "review_kind": "regular",
        "started_on": TODAY,
    }
    assert payload(lifecycle, "agree", "classified", agreement_pct=80) == {
        "meeting_on": TODAY,
        "agreement_pct": 80,
        "posted_on": TODAY,
    }


def test_a_date_is_parsed_from_its_iso_text(lifecycle) -> None:
    assert payload(lifecycle, "recognise", "posted", decided_on="2026-03-02") == {
        "decided_on": date(2026, 3, 2)
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ((TODAY + timedelta(days=1)).isoformat(), "A date cannot be in the future."),
        ("2026-02-30", "There is no such day: 30/02/2026."),
        ("0001-01-01", "A date cannot be before 1900-01-01."),
        ("next week", "Not a valid date (YYYY-MM-DD)."),
        ("20260301", "Not a valid date (YYYY-MM-DD)."),
        ("01/03/2026", "Not a valid date (YYYY-MM-DD)."),
        (20260301, "Not a valid date (YYYY-MM-DD)."),
    ],
)
def test_a_bad_or_future_date_is_refused(lifecycle, value, problem: str) -> None:
    assert refusal(lifecycle, "recognise", "posted", decided_on=value) == {"decided_on": [problem]}


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("02/03/2026", date(2026, 3, 2)),
        ("2/3/2026", date(2026, 3, 2)),
        ("02.03.2026", date(2026, 3, 2)),
        ("02-03-2026", date(2026, 3, 2)),
        (" 2026-03-02 ", date(2026, 3, 2)),
    ],
)
def test_a_typed_date_is_read_day_first(lifecycle, typed: str, day: date) -> None:
    assert validate_payload(
        lifecycle.transition("recognise", "posted"), {"decided_on": typed}, TODAY, typed=True
    ) == {"decided_on": day}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("31/02/2026", "There is no such day: 31/02/2026."),
        ("03/2026", "Not a valid date: type it as dd/mm/yyyy, for example 05/09/2026."),
        ("11/03/2026", "A date cannot be in the future."),
    ],
)
def test_a_typed_date_that_is_not_a_real_past_day_is_refused(
    lifecycle, typed: str, problem: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_payload(
            lifecycle.transition("recognise", "posted"), {"decided_on": typed}, TODAY, typed=True
        )
    assert raised.value.fields == {"decided_on": [problem]}


def test_today_itself_is_not_the_future(lifecycle) -> None:
    assert payload(lifecycle, "recognise", "posted", decided_on=TODAY.isoformat()) == {
        "decided_on": TODAY
    }


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (-1, "Must be at least 0."),
        (100.5, "Must be at most 100."),
        (101, "Must be at most 100."),
        (10**400, "Must be at most 100."),
        (-(10**400), "Must be at least 0."),
        ("80", "Not a valid number."),
        (True, "Not a valid number."),
        (math.nan, "Not a valid number."),
        (math.inf, "Not a valid number."),
    ],
)
def test_a_number_outside_its_bounds_or_not_a_number_is_refused(
    lifecycle, value, problem: str
) -> None:
    assert refusal(lifecycle, "agree", "classified", agreement_pct=value) == {
        "agreement_pct": [problem]
    }


@pytest.mark.parametrize("value", [0, 50, 62.5, 100])
def test_a_number_within_its_bounds_is_kept(lifecycle, value: float) -> None:
    assert payload(lifecycle, "agree", "classified", agreement_pct=value)["agreement_pct"] == value


@pytest.mark.parametrize("value", ["weekly", "Regular", 1])
def test_a_choice_must_be_one_of_the_declared_values(lifecycle, value) -> None:
    assert refusal(lifecycle, "start_review", "registered", review_kind=value) == {
        "review_kind": ["Must be one of: regular, periodic."]
    }


def test_an_unknown_field_is_refused_naming_it(lifecycle) -> None:
    assert refusal(lifecycle, "start_review", "registered", colour="red") == {
        "colour": ["Unknown field for this trigger."]
    }


def test_every_wrong_field_is_reported_at_once(lifecycle) -> None:
    fields = refusal(
        lifecycle, "agree", "classified", agreement_pct=101, meeting_on="2099-01-01", note="x"
    )

    assert set(fields) == {"agreement_pct", "meeting_on", "note"}


# -- deadlines --------------------------------------------------------------------------------


def plans(lifecycle, dest: str, data: dict, entered_at: datetime | None = None):
    entered_at = entered_at or local(TODAY, 10)
    return {p.key: p for p in plan_deadlines(lifecycle, dest, data, entered_at, CALENDAR)}


def test_a_regular_review_is_due_for_decision_15_days_after_it_started(lifecycle) -> None:
    started = date(2026, 3, 2)

    planned = plans(lifecycle, "under_review", {"review_kind": "regular", "started_on": started})

    assert set(planned) == {"review_decision", "review_decision:remind"}
    decision = planned["review_decision"]
    assert (decision.kind, decision.due_at) == ("overdue", local(date(2026, 3, 17)))
    assert decision.until == ("recognised", "registered", "follow_up")
    reminder = planned["review_decision:remind"]
    assert (reminder.kind, reminder.timer) == ("remind", "review_decision")
    assert reminder.due_at == local(date(2026, 3, 14))


def test_a_periodic_review_has_no_decision_deadline(lifecycle) -> None:
    assert (
        plans(
            lifecycle, "under_review", {"review_kind": "periodic", "started_on": date(2026, 3, 2)}
        )
        == {}
    )


def test_posting_ends_three_working_days_after_posted_on(lifecycle) -> None:
    planned = plans(
        lifecycle, "posted", {"posted_on": date(2025, 4, 4)}, entered_at=local(date(2025, 4, 4), 15)
    )

    assert list(planned) == ["posting_end"]
    assert planned["posting_end"].kind == "remind"
    assert planned["posting_end"].due_at == local(date(2025, 4, 10))  # 7 April is a holiday


def test_recognition_plans_the_support_plan_from_decided_on(lifecycle) -> None:
    planned = plans(lifecycle, "recognised", {"decided_on": date(2026, 3, 2)})

    assert planned["support_plan"].due_at == local(date(2026, 4, 1))
    assert planned["support_plan"].kind == "overdue"
    assert planned["annual_review"].due_at == local(date(2026, 9, 1))
    assert "under_review" in planned["annual_review"].until


def test_follow_up_graduates_36_months_after_decided_on(lifecycle) -> None:
    planned = plans(lifecycle, "follow_up", {"decided_on": date(2026, 3, 2)})

    assert set(planned) == {"monitoring_visit", "graduation", "annual_review"}
    assert (planned["graduation"].kind, planned["graduation"].due_at) == (
        "auto",
        local(date(2029, 3, 2)),
    )
    assert (planned["monitoring_visit"].kind, planned["monitoring_visit"].due_at) == (
        "repeat",
        local(date(2026, 9, 2)),
    )


@pytest.mark.parametrize("state", ["registered", "classified", "graduated"])
def test_states_without_timers_plan_nothing(lifecycle, state: str) -> None:
    assert plans(lifecycle, state, {}) == {}


def test_a_deadline_without_its_start_date_counts_from_entering(lifecycle) -> None:
    entered = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)

    planned = plans(lifecycle, "recognised", {}, entered_at=entered)

    assert planned["support_plan"].due_at == entered + timedelta(days=30)


@pytest.mark.parametrize(
    ("dest", "state", "until", "ends"),
    [
        ("classified", "under_review", (), True),  # leaving the state ends its timer
        ("posted", "posted", (), False),
        ("classified", "under_review", ("recognised", "registered", "follow_up"), False),
        ("posted", "under_review", ("recognised", "registered", "follow_up"), False),
        ("recognised", "under_review", ("recognised", "registered", "follow_up"), True),
        ("registered", "under_review", ("recognised", "registered", "follow_up"), True),
        ("supported", "recognised", ("under_review",), False),
        ("under_review", "recognised", ("under_review",), True),
    ],
)
def test_ends_deadline(dest: str, state: str, until: tuple, ends: bool) -> None:
    assert ends_deadline(dest, state, until) is ends


# -- one Machine per (workflow, version) ------------------------------------------------------


def test_two_loads_of_the_same_definition_share_one_machine() -> None:
    first, second = load_lifecycle(), load_lifecycle()

    assert first is not second
    assert machine_for(first) is machine_for(second)


def test_another_version_gets_its_own_machine() -> None:
    data = yaml.safe_load(LIFECYCLE_FILE.read_text(encoding="utf-8"))
    data["version"] += 1
    other = parse_workflow(data, "v2", GUARDS, ACTION_NAMES)

    assert machine_for(other) is not machine_for(load_lifecycle())


def test_checking_triggers_builds_no_machine_after_the_first(machines_built) -> None:
    for _ in range(20):
        definition = load_lifecycle()
        transition_for(definition, "posted", "recognise")
        triggers_for(definition, "posted", "case_worker")

    assert len(machines_built) == 1


def test_deadline_changes_end_what_the_new_state_ends_and_keep_what_spans_it() -> None:
    from types import SimpleNamespace

    from caseflow.domain.calendar import BusinessCalendar
    from caseflow.domain.engine import deadline_changes

    live = [
        SimpleNamespace(
            id=1,
            key="review_decision",
            state="under_review",
            until_states="recognised,registered,follow_up",
        ),
        SimpleNamespace(id=2, key="posting_end", state="posted", until_states=""),
    ]
    moment = datetime(2026, 10, 1, 2, tzinfo=UTC)

    ended, created = deadline_changes(
        live,
        load_lifecycle(),
        "under_review",
        {"review_kind": "regular", "started_on": moment.date()},
        moment,
        BusinessCalendar(),
    )

    assert ended == [2]
    assert [plan.key for plan in created] == ["review_decision:remind"]
