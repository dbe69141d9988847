"""The planner's entry plan, without a database: a household brought in from a file enters the
standing it had, with the timers of that state counted from its decision date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.errors import InvalidInput
from caseflow.domain.guards import ACTION_NAMES, GUARDS
from caseflow.domain.planner import IMPORT, Actor, CaseView, plan_entry
from caseflow.domain.workflow import parse_workflow

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
CALENDAR = BusinessCalendar()
NOW = datetime.combine(date(2026, 11, 2), time(9), CALENDAR.tz).astimezone(UTC)
DECIDED = date(2025, 12, 15)


@pytest.fixture(scope="module")
def lifecycle():
    path = WORKFLOWS / "household_lifecycle.yaml"
    return parse_workflow(
        yaml.safe_load(path.read_text(encoding="utf-8")), str(path), GUARDS, ACTION_NAMES
    )


def _new(lifecycle) -> CaseView:
    return CaseView(5, 3, "rural", lifecycle.initial, None, None, 1, lifecycle.name, 2)


def _enter(lifecycle, dest, klass, payload):
    return plan_entry(
        _new(lifecycle),
        lifecycle,
        dest,
        klass,
        payload,
        actor=Actor(7, "w"),
        now=NOW,
        calendar=CALENDAR,
    )


# fmt: off
@pytest.mark.parametrize(("dest", "klass", "timers"), [
    ("recognised", "poor", {"support_plan", "annual_review"}),
    ("follow_up", None, {"monitoring_visit", "graduation", "annual_review"}),
    ("registered", None, set()),
])
# fmt: on
def test_a_household_enters_its_standing_with_that_states_timers(lifecycle, dest, klass, timers):
    move = _enter(lifecycle, dest, klass, {"file": "x.xlsx", "row": 2, "decided_on": DECIDED})
    assert (move.dest, move.classification) == (dest, klass)
    assert (move.event["trigger"], move.event["from_state"]) == (IMPORT, None)
    assert move.event["data"] == {"file": "x.xlsx", "row": 2, "decided_on": "2025-12-15"}
    assert {d.key.split(":")[0] for d in move.new_deadlines} == timers
    assert move.recorded_on == DECIDED


def test_graduation_comes_36_months_after_the_exit_decision(lifecycle):
    move = _enter(lifecycle, "follow_up", None, {"decided_on": DECIDED})
    [graduation] = [d for d in move.new_deadlines if d.key == "graduation"]
    assert graduation.due_at.astimezone(CALENDAR.tz).date() == date(2028, 12, 15)


def test_an_unknown_state_is_refused(lifecycle):
    with pytest.raises(InvalidInput):
        _enter(lifecycle, "nowhere", None, {})
