"""Named guards: each lets a transition through or refuses it with a message that says why."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.engine import check_guards
from caseflow.domain.errors import GuardFailed
from caseflow.domain.guards import GUARDS, CaseFacts
from caseflow.domain.workflow import GuardRef, TransitionDef

CALENDAR = BusinessCalendar()
#: Friday; Monday 7 April 2025 is Hung Kings' Commemoration Day, a public holiday
POSTED_BEFORE_HOLIDAY = date(2025, 4, 4)


def facts(classification=None, proposed=None, posted_on=None, supports=0) -> CaseFacts:
    state_data = {"posted_on": posted_on} if posted_on else {}
    return CaseFacts("posted", classification, proposed, state_data, tuple(range(supports)))


#: what the lifecycle file gives the guards that need parameters
FILE_PARAMS = {
    "meeting_agreed": {"min_pct": 50},
    "meeting_disagreed": {"min_pct": 50},
    "posting_period_over": {"period": "3 working days"},
}


def run(name: str, case: CaseFacts, data=None, params=None):
    return GUARDS[name](case, data or {}, params or FILE_PARAMS.get(name, {}), CALENDAR)


@pytest.mark.parametrize(
    ("pct", "passes"),
    [(0, False), (40, False), (49, False), (49.9, False), (50, True), (100, True)],
)
def test_meeting_agreed_needs_half_of_those_present(pct: float, passes: bool) -> None:
    refusal = run("meeting_agreed", facts(), {"agreement_pct": pct})

    assert (refusal is None) is passes
    if refusal:
        assert refusal.field == "agreement_pct"
        assert refusal.message % refusal.params == (
            "The village meeting must agree with at least 50% of those present; record a new "
            "survey instead."
        )


def test_meeting_agreed_threshold_is_a_parameter_of_the_workflow() -> None:
    assert run("meeting_agreed", facts(), {"agreement_pct": 60}, {"min_pct": 66}) is not None
    assert run("meeting_agreed", facts(), {"agreement_pct": 66}, {"min_pct": 66}) is None


def test_meeting_agreed_refuses_without_a_percentage() -> None:
    assert run("meeting_agreed", facts(), {}) is not None


@pytest.mark.parametrize(
    ("pct", "passes"), [(None, True), (0, True), (49, True), (50, False), (80, False)]
)
def test_meeting_disagreed_refuses_a_meeting_that_agreed(pct, passes: bool) -> None:
    data = {} if pct is None else {"agreement_pct": pct}

    assert (run("meeting_disagreed", facts(), data) is None) is passes


@pytest.mark.parametrize(
    ("decided_on", "passes"),
    [
        (date(2025, 4, 4), False),  # the posting day itself
        (date(2025, 4, 8), False),  # first working day after (7th is a holiday)
        (date(2025, 4, 9), False),  # second: without the holiday this would be the third
        (date(2025, 4, 10), True),  # third working day: the period is over
        (date(2025, 4, 11), True),
    ],
)
def test_posting_period_over_counts_working_days_skipping_a_vietnamese_holiday(
    decided_on: date, passes: bool
) -> None:
    case = facts(proposed="poor", posted_on=POSTED_BEFORE_HOLIDAY.isoformat())

    refusal = run(
        "posting_period_over", case, {"decided_on": decided_on}, {"period": "3 working days"}
    )

    assert (refusal is None) is passes


def test_posting_period_refusal_says_when_it_ends() -> None:
    case = facts(posted_on=POSTED_BEFORE_HOLIDAY.isoformat())

    refusal = run(
        "posting_period_over", case, {"decided_on": date(2025, 4, 9)}, {"period": "3 working days"}
    )

    assert refusal.field == "decided_on"
    assert refusal.message % refusal.params == (
        "The results were posted on 2025-04-04; the posting period of 3 working days ends on "
        "2025-04-10, so the decision can be dated from then."
    )


@pytest.mark.parametrize(
    ("state_data", "data"),
    [({}, {"decided_on": date(2025, 4, 4)}), ({"posted_on": "2025-04-04"}, {})],
    ids=["never-posted", "no-decision-date"],
)
def test_posting_period_has_nothing_to_check_without_both_dates(state_data, data) -> None:
    case = CaseFacts("posted", None, "poor", state_data)

    assert run("posting_period_over", case, data, {"period": "3 working days"}) is None


@pytest.mark.parametrize(
    ("name", "proposed", "passes"),
    [
        ("proposed_listed", "poor", True),
        ("proposed_listed", "near_poor", True),
        ("proposed_listed", "middle", False),
        ("proposed_listed", "better_off", False),
        ("proposed_listed", None, False),
        ("proposed_not_listed", "poor", False),
        ("proposed_not_listed", "near_poor", False),
        ("proposed_not_listed", "middle", True),
        ("proposed_not_listed", "better_off", True),
        ("proposed_not_listed", None, False),
    ],
)
def test_proposed_class_guards(name: str, proposed: str | None, passes: bool) -> None:
    assert (run(name, facts(proposed=proposed)) is None) is passes


@pytest.mark.parametrize(
    ("name", "recognised", "passes"),
    [
        ("was_listed", "poor", True),
        ("was_listed", "near_poor", True),
        ("was_listed", None, False),
        ("was_not_listed", "poor", False),
        ("was_not_listed", "near_poor", False),
        ("was_not_listed", None, True),
    ],
)
def test_recognised_class_guards(name: str, recognised: str | None, passes: bool) -> None:
    assert (run(name, facts(classification=recognised)) is None) is passes


@pytest.mark.parametrize(
    ("supports", "params", "passes"),
    [(0, {}, False), (1, {}, True), (1, {"min": 2}, False), (2, {"min": 2}, True)],
)
def test_has_proposed_support_counts_proposed_items(supports: int, params, passes: bool) -> None:
    assert (run("has_proposed_support", facts(supports=supports), {}, params) is None) is passes


def test_proposed_listed_refusal_names_what_the_survey_says() -> None:
    refusal = run("proposed_listed", facts(proposed="middle"))

    assert refusal.message % refusal.params == (
        "The latest survey does not classify the household as poor or near-poor (it says: middle)."
    )


RECOGNISE = TransitionDef(
    trigger="recognise",
    sources=("posted",),
    dest="recognised",
    conditions=(
        GuardRef("proposed_listed"),
        GuardRef("posting_period_over", {"period": "3 working days"}),
    ),
)


def test_check_guards_stops_at_the_first_refusal_with_its_message() -> None:
    case = facts(proposed="middle", posted_on="2025-04-04")

    with pytest.raises(GuardFailed) as raised:
        check_guards(RECOGNISE, case, {"decided_on": date(2025, 4, 4)}, CALENDAR)

    assert raised.value.status == 422
    assert raised.value.code == "guard_failed"
    assert "it says: middle" in raised.value.message
    assert raised.value.fields == {}


def test_check_guards_puts_the_message_on_the_guarded_field() -> None:
    case = facts(proposed="poor", posted_on="2025-04-04")

    with pytest.raises(GuardFailed) as raised:
        check_guards(RECOGNISE, case, {"decided_on": date(2025, 4, 9)}, CALENDAR)

    assert raised.value.fields == {"decided_on": [raised.value.message]}
    assert "ends on 2025-04-10" in raised.value.message


def test_check_guards_lets_a_valid_transition_through() -> None:
    case = facts(proposed="poor", posted_on="2025-04-04")

    assert check_guards(RECOGNISE, case, {"decided_on": date(2025, 4, 10)}, CALENDAR) is None
