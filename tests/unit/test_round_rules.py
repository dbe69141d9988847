"""Review rounds, without a database: the rounds file, a round's days and timers, and which move
each of its steps asks of a household."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.errors import WorkflowError
from caseflow.domain.guards import CaseFacts
from caseflow.domain.rounds import (
    KindDef,
    decision_for,
    fill,
    meeting_trigger,
    plan_reminders,
    request_form,
)
from caseflow.domain.rounds_file import parse_rounds
from caseflow.services.definitions import load_workflow_file
from caseflow.services.round_rules import load_rounds_file

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
LIFECYCLE = load_workflow_file(WORKFLOWS / "household_lifecycle.yaml")[0]
FILE = yaml.safe_load((WORKFLOWS / "rounds" / "rounds.yaml").read_text(encoding="utf-8"))
CALENDAR = BusinessCalendar()


def rules(data=None):
    return parse_rounds(FILE if data is None else data, "rounds.yaml", LIFECYCLE)


def changed(path: str, value):
    """The rounds file with one value changed (path as "kinds.periodic.opens")."""
    data = copy.deepcopy(FILE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is None:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return data


def test_the_rounds_file_of_the_repository_loads() -> None:
    found = load_rounds_file(WORKFLOWS, LIFECYCLE)
    assert set(found.kinds) == {"periodic", "regular"}
    assert (found.decision_timer, found.posting_timer) == ("review_decision", "posting_end")


@pytest.mark.parametrize(
    ("kind", "year", "month", "window"),
    [
        ("periodic", 2026, None, (date(2026, 9, 1), date(2026, 12, 14))),
        ("regular", 2026, 10, (date(2026, 10, 15), date(2026, 10, 30))),
        ("regular", 2027, 2, (date(2027, 2, 15), date(2027, 3, 2))),
    ],
)
def test_a_rounds_days_come_from_the_file(kind, year, month, window) -> None:
    assert rules().kind(kind).window(year, month) == window


def test_a_periodic_round_reminds_of_its_closing_day_and_of_both_report_days() -> None:
    kind = rules().kind("periodic")
    planned = plan_reminders(kind, *kind.window(2026, None), 2026, None, CALENDAR)

    found = {(p.key, p.due_on, CALENDAR.local_date(p.fires_at)) for p in planned}
    assert found == {
        ("closing:case_worker", date(2026, 12, 14), date(2026, 12, 7)),
        ("closing:supervisor", date(2026, 12, 14), date(2026, 12, 7)),
        ("preliminary_report:case_worker", date(2026, 11, 15), date(2026, 11, 10)),
        ("official_report:case_worker", date(2026, 12, 20), date(2026, 12, 15)),
    }
    # the officers are reminded of the reports by the reports that go up, not by each round
    assert {p.role for p in planned if p.reminder.key == "official_report"} == {"case_worker"}


@pytest.mark.parametrize(
    ("month", "report_day"),
    [(1, date(2026, 2, 5)), (8, date(2026, 9, 5)), (9, None), (12, None)],
)
def test_a_regular_round_reports_on_the_5th_of_next_month_from_february_to_september(
    month, report_day
) -> None:
    kind = rules().kind("regular")
    planned = plan_reminders(kind, *kind.window(2026, month), 2026, month, CALENDAR)

    days = {p.due_on for p in planned if p.reminder.key == "monthly_report"}
    assert days == ({report_day} if report_day else set())
    assert {p.due_on for p in planned if p.reminder.key == "closing"} == {
        kind.window(2026, month)[1]
    }


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("kinds.periodic.opens", "13-01", "kinds.periodic.opens must be a day of the year"),
        ("kinds.periodic.closes", "08-01", "closes must come after opens"),
        ("kinds.regular.opens_day", 31, "opens_day must be a day of the month from 1 to 28"),
        ("kinds.regular.lasts", "3 working days", "lasts counts calendar days"),
        ("kinds.periodic.reminders.0.due", "next week", "must be a day of the year"),
        ("kinds.periodic.reminders.0.notify", [], "notify must be a list of roles"),
        ("kinds.periodic.reminders.0.remind_before", "a while", "Invalid duration"),
        ("kinds.regular.reminders.1.in_months", [0], "in_months must be a list of months"),
        ("kinds.periodic.reminders.0.message.vi", "Còn {hours} giờ", "uses {hours}"),
        ("kinds.periodic.title.en", "round of {yaer}", "uses {yaer}"),
        ("kinds.regular", None, "kinds must be exactly periodic, regular"),
        ("timers.posting", "posting_over", "household_lifecycle has no timer 'posting_over'"),
    ],
)
def test_a_mistake_in_the_rounds_file_is_named(path, value, problem) -> None:
    with pytest.raises(WorkflowError) as raised:
        rules(changed(path, value))

    assert raised.value.source == "rounds.yaml"
    assert problem in raised.value.problem


@pytest.mark.parametrize(
    ("classification", "proposed", "decision"),
    [
        (None, "poor", "recognise"),
        (None, "near_poor", "recognise"),
        ("poor", "near_poor", "recognise"),  # still listed: recognised in its new class
        ("poor", "middle", "exit"),
        ("near_poor", "better_off", "exit"),
        (None, "middle", "decline"),
        (None, None, "decline"),  # the workflow's guards refuse it: no survey
    ],
)
def test_the_decision_asked_is_the_one_the_survey_and_standing_call_for(
    classification, proposed, decision
) -> None:
    assert decision_for(CaseFacts("posted", classification, proposed)) == decision


@pytest.mark.parametrize(
    ("classification", "form"), [(None, "01"), ("poor", "04"), ("near_poor", "04")]
)
def test_a_regular_review_is_asked_with_form_04_to_leave_the_lists_else_01(
    classification, form
) -> None:
    assert request_form(classification) == form


@pytest.mark.parametrize(
    ("state", "pct", "trigger"),
    [
        ("classified", 50, "agree"),
        ("classified", 49.9, "disagree"),
        ("classified", 0, "disagree"),
        ("posted", 80, "agree"),
    ],
)
def test_the_meeting_agrees_at_the_workflows_threshold(state, pct, trigger) -> None:
    facts = CaseFacts(state, None, "poor")
    assert meeting_trigger(LIFECYCLE, facts, pct, CALENDAR) == trigger


def test_a_rounds_title_and_messages_are_filled_in_the_readers_language() -> None:
    kind: KindDef = rules().kind("regular")
    assert kind.title("vi", 2026, 10) == "rà soát thường xuyên tháng 10/2026"
    assert kind.title("en", 2026, 10) == "regular review of 10/2026"
    message = fill("{round}: {undecided} left, {unit}", {"round": "x", "undecided": 3})
    assert message == "x: 3 left, "
