"""`caseflow calendar add DATE --off|--working`: the admin's days, counted by new deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.extensions import db
from caseflow.models import CalendarDay
from tests.factories import at
from tests.timers_support import posted_case


@pytest.fixture
def calendar_cli(ctx):
    runner = ctx.test_cli_runner()

    def run(*args: str):
        return runner.invoke(args=["calendar", *args])

    return run


@pytest.mark.parametrize(
    ("declared", "due_on"),
    [
        ([], date(2027, 10, 13)),  # posted on Friday 8 October: Monday, Tuesday, Wednesday
        ([("2027-10-11", "--off")], date(2027, 10, 14)),  # an extra day off on the Monday
        ([("2027-10-09", "--working")], date(2027, 10, 12)),  # a make-up Saturday
    ],
)
def test_posting_ends_counting_the_days_the_admin_declared(world, calendar_cli, declared, due_on):
    for day, kind in declared:
        result = calendar_cli("add", day, kind, "--note", "Quyết định của UBND tỉnh")
        assert result.exit_code == 0, result.output
    case = posted_case(world, date(2027, 10, 8))
    assert case.deadlines()["posting_end"].due_at == at(due_on, 0)


def test_declared_day_is_stored_replaced_listed_and_removed(ctx, calendar_cli):
    assert calendar_cli("add", "2027-10-11", "--off").exit_code == 0
    assert calendar_cli("add", "2027-10-11", "--working", "--note", "Làm bù").exit_code == 0
    row = db.session.get(CalendarDay, date(2027, 10, 11))
    assert (row.kind, row.note) == ("working", "Làm bù")
    assert calendar_cli("list", "--year", "2027").output == "2027-10-11 working (Làm bù)\n"
    assert calendar_cli("remove", "2027-10-11").exit_code == 0
    assert calendar_cli("list").output == ""


@pytest.mark.parametrize(
    "args",
    [
        ("add", "2027-10-11"),  # neither --off nor --working
        ("add", "11/10/2027", "--off"),
    ],
)
def test_calendar_add_refuses_what_it_cannot_read(ctx, calendar_cli, args):
    result = calendar_cli(*args)
    assert result.exit_code == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0


def test_removing_an_undeclared_day_says_so(ctx, calendar_cli):
    result = calendar_cli("remove", "2027-10-11")
    assert result.exit_code == 1
    assert "Nothing is declared for 2027-10-11" in result.output
