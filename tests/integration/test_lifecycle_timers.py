"""The lifecycle's timers: made on entering a state, ended on leaving it, fired when due
(`caseflow sweep --as-of`), each alert raised once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Deadline
from caseflow.services import supports, visits
from tests.factories import at
from tests.timers_support import Case, exited_case, posted_case, recognised_case

MINUTE = timedelta(minutes=1)


def midnight(day: date) -> datetime:
    """Local midnight starting `day`, as the deadline rows store it (aware UTC)."""
    return at(day, 0)


@pytest.fixture
def sweep_at(ctx):
    runner = ctx.test_cli_runner()

    def run(moment: datetime) -> int:
        result = runner.invoke(args=["sweep", "--as-of", moment.isoformat()])
        assert result.exit_code == 0, result.output
        last = result.output.strip().splitlines()[-1]
        assert last.startswith("fired "), result.output
        return int(last.split()[1])

    return run


def kinds(case: Case, status: str | None = None) -> list[tuple[str, str]]:
    return [(a.kind, a.role) for a in case.alerts(status)]


# -- the regular review's decision limit -------------------------------------------------------


def test_regular_review_must_be_decided_15_days_from_its_start_reminded_3_days_before(world, ctx):
    case = Case.register(world, date(2027, 3, 1))
    case.fire(date(2027, 3, 2), "start_review", review_kind="regular", started_on=date(2027, 3, 1))
    pending = case.deadlines()
    assert pending["review_decision"].due_at == midnight(date(2027, 3, 16))
    assert pending["review_decision"].kind == "overdue"
    assert pending["review_decision:remind"].due_at == midnight(date(2027, 3, 13))


def test_periodic_review_has_no_decision_limit(world, ctx):
    case = Case.register(world, date(2027, 3, 1))
    case.fire(date(2027, 3, 1), "start_review", review_kind="periodic")
    assert case.deadlines() == {}


def test_decision_limit_spans_the_review_until_the_decision(world, ctx):
    case = Case.register(world, date(2027, 3, 1))
    case.review(date(2027, 3, 1))
    case.post(date(2027, 3, 2))
    assert {"review_decision", "review_decision:remind"} <= set(case.deadlines())
    case.fire(date(2027, 3, 8), "recognise", decided_on=date(2027, 3, 8))
    assert "review_decision" not in case.deadlines()
    assert {"review_decision", "review_decision:remind"} <= set(case.deadlines("cancelled"))


def test_overdue_review_reminds_then_is_overdue_then_escalates_each_once(world, ctx, sweep_at):
    case = Case.register(world, date(2027, 3, 1))
    case.review(date(2027, 3, 1))  # surveyed, then left waiting for the village meeting
    timeline = [
        (midnight(date(2027, 3, 13)) - MINUTE, 0, []),
        (midnight(date(2027, 3, 13)), 1, [("reminder", "case_worker")]),
        (midnight(date(2027, 3, 16)) - MINUTE, 0, [("reminder", "case_worker")]),
        (midnight(date(2027, 3, 16)), 1, [("reminder", "case_worker"), ("overdue", "case_worker")]),
        (midnight(date(2027, 3, 16)), 0, [("reminder", "case_worker"), ("overdue", "case_worker")]),
        (
            midnight(date(2027, 3, 19)),
            1,
            [("reminder", "case_worker"), ("overdue", "case_worker"), ("escalation", "supervisor")],
        ),
        (
            midnight(date(2027, 3, 25)),
            0,
            [("reminder", "case_worker"), ("overdue", "case_worker"), ("escalation", "supervisor")],
        ),
    ]
    for moment, fired, raised in timeline:
        assert sweep_at(moment) == fired, moment
        assert kinds(case) == raised, moment


def test_decision_closes_the_reminder_overdue_and_escalation_alerts(world, ctx, sweep_at):
    case = Case.register(world, date(2027, 3, 1))
    case.review(date(2027, 3, 1))
    case.post(date(2027, 3, 2))
    sweep_at(midnight(date(2027, 3, 20)))
    assert len(case.alerts("open")) == 4  # the decision's three, and the posting's end
    case.fire(date(2027, 3, 22), "recognise", decided_on=date(2027, 3, 22))
    assert case.alerts("open") == []
    assert {a.status for a in case.alerts()} == {"closed"}


# -- the end of public posting ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted_on", "due_on"),
    [
        (date(2027, 10, 8), date(2027, 10, 13)),  # Friday: the weekend is not counted
        (date(2027, 2, 3), date(2027, 2, 15)),  # the eve of Tết: 4-10 February 2027 are off
        (date(2027, 9, 1), date(2027, 9, 8)),  # National Day: 2-3 September, then a weekend
    ],
)
def test_posting_ends_3_working_days_after_posted_on_and_reminds_the_supervisor(
    world, ctx, sweep_at, posted_on, due_on
):
    case = posted_case(world, posted_on)
    assert case.deadlines()["posting_end"].due_at == midnight(due_on)
    assert sweep_at(midnight(due_on) - MINUTE) == 0
    assert sweep_at(midnight(due_on)) == 1
    assert kinds(case) == [("reminder", "supervisor")]


def test_complaint_ends_the_posting_and_its_reminder(world, ctx):
    case = posted_case(world, date(2027, 10, 8))
    case.fire(date(2027, 10, 11), "complain", reason="Hộ bên cạnh khiếu nại kết quả")
    assert "posting_end" in case.deadlines("cancelled")
    assert "posting_end" not in case.deadlines()


# -- recognition: support plan and the annual review -------------------------------------------


def test_support_plan_is_due_30_days_after_recognition_and_escalates_7_days_later(
    world, ctx, sweep_at
):
    case = recognised_case(world, date(2027, 3, 1), date(2027, 3, 10))
    assert case.deadlines()["support_plan"].due_at == midnight(date(2027, 4, 9))
    assert sweep_at(midnight(date(2027, 4, 9))) == 1
    assert case.deadlines()["support_plan:escalate"].due_at == midnight(date(2027, 4, 16))
    assert sweep_at(midnight(date(2027, 4, 16))) == 1
    assert kinds(case) == [("overdue", "case_worker"), ("escalation", "supervisor")]


def test_approved_support_plan_ends_the_support_plan_deadline(world, ctx):
    case = recognised_case(world, date(2027, 3, 1), date(2027, 3, 10))
    with clock.frozen_at(at(date(2027, 3, 15))):
        supports.propose(world.user("worker"), case.id, "livelihood_model", None)
    case.fire(date(2027, 3, 15), "assign_support", decided_on=date(2027, 3, 15))
    assert case.household.state == "supported"
    assert "support_plan" in case.deadlines("cancelled")
    assert "annual_review" in case.deadlines()  # spans recognised and supported


def test_annual_review_reminds_on_1_september_and_again_the_next_year(world, ctx, sweep_at):
    case = recognised_case(world, date(2027, 3, 1), date(2027, 3, 10))
    assert case.deadlines()["annual_review"].due_at == midnight(date(2027, 9, 1))
    assert sweep_at(midnight(date(2027, 9, 1))) == 3  # and the support plan's overdue, escalation
    assert ("reminder", "case_worker") in kinds(case)
    assert case.deadlines()["annual_review"].due_at == midnight(date(2028, 9, 1))


def test_starting_the_review_ends_the_annual_reminder_and_closes_its_alert(world, ctx, sweep_at):
    case = recognised_case(world, date(2027, 3, 1), date(2027, 3, 10))
    sweep_at(midnight(date(2027, 9, 1)))
    case.fire(date(2027, 9, 6), "start_review", review_kind="periodic")
    assert "annual_review" not in case.deadlines()
    assert case.alerts("open") == []


# -- follow-up: monitoring visits and graduation ------------------------------------------------


def test_exit_starts_monitoring_every_6_months_and_graduation_after_36_months(world, ctx):
    case = exited_case(world, date(2027, 4, 15))
    pending = case.deadlines()
    assert pending["monitoring_visit"].due_at == midnight(date(2027, 10, 15))
    assert pending["graduation"].due_at == midnight(date(2030, 4, 15))
    assert pending["annual_review"].due_at == midnight(date(2027, 9, 1))


def test_graduation_does_not_fire_a_minute_early(world, ctx, sweep_at):
    case = exited_case(world, date(2027, 4, 15))
    sweep_at(midnight(date(2030, 4, 15)) - MINUTE)
    assert case.household.state == "follow_up"


def open_visit_reminders(case: Case) -> int:
    return sum(
        1
        for a in case.alerts("open")
        if a.kind == "reminder"
        and db.session.get(Deadline, a.deadline_id).key == "monitoring_visit"
    )


def test_exited_household_is_reminded_every_6_months_and_graduates_by_itself(world, ctx, sweep_at):
    case = exited_case(world, date(2027, 4, 15))
    due, reminded = date(2027, 10, 15), 0
    while due < date(2030, 4, 15):
        sweep_at(midnight(due))
        assert open_visit_reminders(case) == 1, due
        reminded += 1
        visited_on = due + timedelta(days=3)
        with clock.frozen_at(at(visited_on)):
            visit = visits.record(world.user("worker"), case.id, visited_on, "Ổn định")
        assert open_visit_reminders(case) == 0
        due = visited_on + relativedelta(months=6)
        assert visit.next_due_at == midnight(due)
    assert reminded == 5
    assert sweep_at(midnight(date(2030, 4, 15))) >= 1
    assert case.household.state == "graduated"
    assert case.history()[-1] == ("graduate", "system")
    assert case.deadlines() == {}
    assert case.alerts("open") == []


def test_relapse_ends_monitoring_and_graduation(world, ctx):
    case = exited_case(world, date(2027, 4, 15))
    case.fire(date(2027, 6, 1), "relapse", reason="Chủ hộ ốm nặng, mất thu nhập")
    assert {"monitoring_visit", "graduation", "annual_review"} <= set(case.deadlines("cancelled"))
    assert set(case.deadlines()) == {"review_decision", "review_decision:remind"}
