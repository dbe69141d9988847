"""The lifecycle's timers as declared in workflows/household_lifecycle.yaml, counted on the
business calendar (no database): when each falls due, and which states end it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.engine import ends_deadline, next_occurrence, plan_deadlines
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.workflow import WorkflowDef, parse_workflow

LIFECYCLE = Path(__file__).resolve().parents[2] / "workflows" / "household_lifecycle.yaml"
CALENDAR = BusinessCalendar()


@pytest.fixture(scope="module")
def lifecycle() -> WorkflowDef:
    data = yaml.safe_load(LIFECYCLE.read_text(encoding="utf-8"))
    return parse_workflow(data, str(LIFECYCLE), GUARDS, ACTION_NAMES)


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), CALENDAR.tz).astimezone(UTC)


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CALENDAR.tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("state", "key", "kind", "notify", "until"),
    [
        (
            "under_review",
            "review_decision",
            "overdue",
            "case_worker",
            ("recognised", "registered", "follow_up"),
        ),
        ("posted", "posting_end", "remind", "supervisor", ()),
        ("recognised", "support_plan", "overdue", "case_worker", ()),
        ("recognised", "annual_review", "remind", "case_worker", ("under_review", "graduated")),
        ("supported", "annual_review", "remind", "case_worker", ("under_review", "graduated")),
        ("follow_up", "annual_review", "remind", "case_worker", ("under_review", "graduated")),
        ("follow_up", "monitoring_visit", "repeat", "case_worker", ()),
        ("follow_up", "graduation", "auto", "supervisor", ()),
    ],
)
def test_lifecycle_declares_the_timers_of_each_state(lifecycle, state, key, kind, notify, until):
    timer = next(t for t in lifecycle.states[state].timers if t.key == key)
    assert (timer.kind, timer.notify, timer.until) == (kind, notify, until)
    assert timer.message_vi and timer.message_en


def test_graduation_fires_the_graduate_trigger(lifecycle):
    timer = next(t for t in lifecycle.states["follow_up"].timers if t.key == "graduation")
    assert timer.trigger == "graduate"
    assert lifecycle.transition("graduate", "follow_up").automatic


@pytest.mark.parametrize(
    ("state", "payload", "entered_at", "expected"),
    [
        (
            "under_review",
            {"review_kind": "regular", "started_on": date(2027, 3, 1)},
            local(date(2027, 3, 2), 9),
            {
                "review_decision": midnight(date(2027, 3, 16)),
                "review_decision:remind": midnight(date(2027, 3, 13)),
            },
        ),
        (
            "under_review",
            {"review_kind": "periodic", "started_on": date(2027, 3, 1)},
            local(date(2027, 3, 2), 9),
            {},
        ),
        # 3 working days after posting: weekends, Tết 2027 (4-10 February), 2-3 September
        (
            "posted",
            {"posted_on": date(2027, 10, 8)},
            local(date(2027, 10, 8), 9),
            {"posting_end": midnight(date(2027, 10, 13))},
        ),
        (
            "posted",
            {"posted_on": date(2027, 2, 3)},
            local(date(2027, 2, 3), 9),
            {"posting_end": midnight(date(2027, 2, 15))},
        ),
        (
            "posted",
            {"posted_on": date(2027, 8, 31)},
            local(date(2027, 8, 31), 9),
            {"posting_end": midnight(date(2027, 9, 7))},
        ),
        (
            "posted",
            {"posted_on": date(2027, 9, 1)},
            local(date(2027, 9, 3), 9),
            {"posting_end": midnight(date(2027, 9, 8))},
        ),
        (
            "recognised",
            {"decided_on": date(2027, 3, 10)},
            local(date(2027, 3, 11), 9),
            {
                "support_plan": midnight(date(2027, 4, 9)),
                "annual_review": midnight(date(2027, 9, 1)),
            },
        ),
        (
            "supported",
            {"decided_on": date(2027, 9, 1)},
            local(date(2027, 9, 1), 9),
            {"annual_review": midnight(date(2028, 9, 1))},
        ),
        # calendar months: 31 August + 6 months is the end of February (29th in a leap year)
        (
            "follow_up",
            {"decided_on": date(2027, 8, 31)},
            local(date(2027, 9, 2), 9),
            {
                "monitoring_visit": midnight(date(2028, 2, 29)),
                "graduation": midnight(date(2030, 8, 31)),
                "annual_review": midnight(date(2028, 9, 1)),
            },
        ),
        (
            "follow_up",
            {"decided_on": date(2026, 8, 31)},
            local(date(2026, 8, 31), 9),
            {
                "monitoring_visit": midnight(date(2027, 2, 28)),
                "graduation": midnight(date(2029, 8, 31)),
                "annual_review": midnight(date(2026, 9, 1)),
            },
        ),
    ],
)
def test_entering_a_state_plans_its_deadlines(lifecycle, state, payload, entered_at, expected):
    planned = plan_deadlines(lifecycle, state, payload, entered_at, CALENDAR)
    assert {p.key: p.due_at for p in planned} == expected


def test_extra_day_off_moves_the_end_of_posting():
    calendar = BusinessCalendar(days_off=[date(2027, 10, 11)])
    data = yaml.safe_load(LIFECYCLE.read_text(encoding="utf-8"))
    lifecycle = parse_workflow(data, str(LIFECYCLE), GUARDS, ACTION_NAMES)
    [planned] = plan_deadlines(
        lifecycle, "posted", {"posted_on": date(2027, 10, 8)}, local(date(2027, 10, 8), 9), calendar
    )
    assert planned.due_at == midnight(date(2027, 10, 14))


@pytest.mark.parametrize(
    ("visited_on", "next_due"),
    [
        (date(2027, 10, 18), date(2028, 4, 18)),
        (date(2028, 8, 31), date(2029, 2, 28)),
        (date(2027, 2, 5), date(2027, 8, 5)),  # a visit during Tết still counts calendar months
    ],
)
def test_next_visit_falls_6_calendar_months_after_the_visit(lifecycle, visited_on, next_due):
    timer = next(t for t in lifecycle.states["follow_up"].timers if t.kind == "repeat")
    assert next_occurrence(timer, visited_on, CALENDAR) == midnight(next_due)


@pytest.mark.parametrize(
    ("dest", "state", "until", "ends"),
    [
        ("classified", "under_review", ("recognised", "registered", "follow_up"), False),
        ("posted", "under_review", ("recognised", "registered", "follow_up"), False),
        ("under_review", "under_review", ("recognised", "registered", "follow_up"), False),
        ("recognised", "under_review", ("recognised", "registered", "follow_up"), True),
        ("registered", "under_review", ("recognised", "registered", "follow_up"), True),
        ("follow_up", "under_review", ("recognised", "registered", "follow_up"), True),
        ("supported", "recognised", ("under_review", "graduated"), False),
        ("under_review", "supported", ("under_review", "graduated"), True),
        ("graduated", "follow_up", ("under_review", "graduated"), True),
        ("under_review", "posted", (), True),
        ("posted", "posted", (), False),
    ],
)
def test_a_deadline_ends_on_leaving_its_state_or_reaching_its_until(dest, state, until, ends):
    assert ends_deadline(dest, state, until) is ends
