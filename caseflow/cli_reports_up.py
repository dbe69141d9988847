"""`caseflow reports-up schedule`: make the timers of the reports that go up (reminders before
their last days, alerts after) for this year and the next; init-db and demo run it too."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from caseflow.cli import fail_on_domain_error


def register(app: Flask) -> None:
    app.cli.add_command(reports_up)


@click.group("reports-up")
def reports_up() -> None:
    """Reports that go up (workflows/reports/reports_up.yaml)."""


@reports_up.command("schedule")
@click.option(
    "--year", type=click.IntRange(2000, 2100), default=None, help="default: this year and the next"
)
@with_appcontext
@fail_on_domain_error
def schedule(year: int | None) -> None:
    """Make the year's reminders and overdue alerts of every sending unit; made once."""
    click.echo(schedule_years(year))


def schedule_years(year: int | None = None) -> str:
    """Schedule `year` (default this year and the next); say how many timers were made."""
    from caseflow import clock
    from caseflow.services import report_timers

    years = [year] if year else [clock.today().year, clock.today().year + 1]
    made = sum(report_timers.schedule(y) for y in years)
    return f"reports that go up: {made} timers made for {', '.join(map(str, years))}"
