"""Reports that go up, without a database: the reports file, and the days each report is due."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.errors import WorkflowError
from caseflow.domain.reports_up import dues, dues_of_year
from caseflow.domain.reports_up_file import parse_reports_up
from caseflow.services.reports_up_rules import FILE as RELATIVE
from caseflow.services.reports_up_rules import load_reports_up_file

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
FILE = yaml.safe_load((WORKFLOWS / RELATIVE).read_text(encoding="utf-8"))
CALENDAR = BusinessCalendar()


def rules(data=None):
    return parse_reports_up(FILE if data is None else data, "reports_up.yaml")


def changed(path: str, value):
    """The reports file with one value changed (path as "reports.0.due"); None deletes it."""
    data = copy.deepcopy(FILE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return data


def test_the_reports_file_of_the_repository_loads() -> None:
    found = load_reports_up_file(WORKFLOWS)
    assert [r.key for r in found.reports] == ["monthly", "preliminary", "official"]
    assert [r.key for r in found.sent_by("ward")] == ["monthly", "preliminary", "official"]
    assert found.sent_by("province") == ()


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("reports", [], "reports must be a non-empty list"),
        ("reports.0.key", None, "reports[0].key must be non-empty text"),
        ("reports.1.key", "monthly", "a key is repeated"),
        ("reports.0.name", None, "reports[0].name must be a mapping"),
        ("reports.0.name.vi", "", "reports[0].name.vi must be non-empty text"),
        ("reports.0.due", "31", "reports[0].due must be a day of the month"),
        ("reports.1.due", "02-30", "reports[1].due must be a day of the month"),
        ("reports.0.last_day", "after", "reports[0].last_day must be one of due_day, day_before"),
        ("reports.0.covers", "week", "reports[0].covers must be one of previous_month, year"),
        ("reports.0.figures", ["units", "gdp"], "reports[0].figures must be a list of"),
        ("reports.0.remind_before", "3 weeks", "reports[0].remind_before"),
        ("reports.0.remind_before", "1 month", "must be days or working days"),
        ("reports.0.overdue_after", None, "reports[0].overdue_after"),
        ("reports.0.notify", [], "reports[0].notify must be a list of"),
        ("reports.0.notify", ["mayor"], "reports[0].notify must be a list of"),
        ("reports.0.sender", ["hamlet"], "reports[0].sender must be a list of"),
        ("reports.0.receiver", None, "reports[0].receiver must be one of"),
        ("reports.0.in_months", [0, 13], "in_months must be a list of months from 1 to 12"),
        ("reports.1.in_months", [11], "in_months is for a monthly report"),
        ("reports.0.business_days", "yes", "business_days must be true or false"),
    ],
)
def test_a_mistake_in_the_reports_file_is_refused_naming_it(path, value, problem) -> None:
    with pytest.raises(WorkflowError) as raised:
        rules(changed(path, value))
    assert raised.value.source == "reports_up.yaml"
    assert problem in raised.value.problem


def test_workflows_check_names_the_broken_reports_file(app, tmp_path: Path) -> None:
    from caseflow.cli import check_workflows

    for name in ("standards", "rounds"):
        (tmp_path / name).symlink_to(WORKFLOWS / name)
    for path in WORKFLOWS.glob("*.yaml"):
        (tmp_path / path.name).symlink_to(path)
    (tmp_path / "reports").mkdir()
    broken = tmp_path / RELATIVE
    broken.write_text(yaml.safe_dump(changed("reports.2.due", "12-40")), encoding="utf-8")

    with app.app_context():
        result = CliRunner().invoke(check_workflows, [str(tmp_path)])

    assert result.exit_code != 0
    assert str(broken) in result.output
    assert "reports[2].due must be a day of the month" in result.output


def test_workflows_check_says_the_reports_file_is_good(app) -> None:
    from caseflow.cli import check_workflows

    with app.app_context():
        result = CliRunner().invoke(check_workflows, [str(WORKFLOWS)])

    assert result.exit_code == 0, result.output
    assert "ok reports" in result.output


def test_the_monthly_report_is_due_on_the_5th_from_february_to_september() -> None:
    monthly = rules().report("monthly")
    found = dues(monthly, 2026, CALENDAR)
    assert [d.last_day for d in found] == [date(2026, m, 5) for m in range(2, 10)]
    march = found[1]
    assert (march.starts_on, march.ends_on) == (date(2026, 2, 1), date(2026, 2, 28))
    assert march.period_key == "monthly:2026-03"


@pytest.mark.parametrize(
    ("key", "last_day", "starts_on", "ends_on"),
    [
        ("preliminary", date(2026, 11, 14), date(2026, 1, 1), date(2026, 11, 14)),
        ("official", date(2026, 12, 19), date(2026, 1, 1), date(2026, 12, 19)),
    ],
)
def test_the_periodic_reviews_results_are_due_the_day_before_the_day_named(
    key, last_day, starts_on, ends_on
) -> None:
    (found,) = dues(rules().report(key), 2026, CALENDAR)
    assert (found.last_day, found.starts_on, found.ends_on) == (last_day, starts_on, ends_on)
    assert found.period_key == f"{key}:2026"


def test_the_reminder_comes_its_lead_time_before_and_the_alert_the_day_after() -> None:
    found = dues(rules().report("monthly"), 2026, CALENDAR, month=4)[0]
    # Vietnam's midnight is 17:00 UTC the day before
    assert found.remind_at == datetime(2026, 4, 1, 17, tzinfo=UTC)  # 2 April, local
    assert found.overdue_at == datetime(2026, 4, 5, 17, tzinfo=UTC)  # 6 April, local
    official = dues(rules().report("official"), 2026, CALENDAR)[0]
    assert official.remind_at == datetime(2026, 12, 13, 17, tzinfo=UTC)  # 14 Dec, local
    assert official.overdue_at == datetime(2026, 12, 19, 17, tzinfo=UTC)  # 20 Dec, local


def test_on_business_days_a_last_day_off_moves_back_to_the_working_day_before() -> None:
    data = changed("reports.0.business_days", True)
    monthly = rules(data).report("monthly")
    by_month = {d.month: d.last_day for d in dues(monthly, 2026, CALENDAR)}
    assert by_month[4] == date(2026, 4, 3)  # 5 April 2026 is a Sunday
    assert by_month[9] == date(2026, 9, 4)  # 5 September 2026 is a Saturday
    assert by_month[3] == date(2026, 3, 5)  # a Thursday: unchanged
    days_off = BusinessCalendar(days_off=[date(2026, 3, 5)])
    assert dues(monthly, 2026, days_off, month=3)[0].last_day == date(2026, 3, 4)


def test_a_units_year_lists_every_report_it_sends_by_last_day() -> None:
    found = dues_of_year(rules(), "commune", 2026, CALENDAR)
    assert [d.period_key for d in found][-3:] == [
        "monthly:2026-09",
        "preliminary:2026",
        "official:2026",
    ]
    assert len(found) == 10
    assert dues_of_year(rules(), "village", 2026, CALENDAR) == []
