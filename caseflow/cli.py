"""Command line: `caseflow ...`, also `flask --app caseflow ...`."""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import click
import yaml
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from caseflow.domain.errors import DomainError


def register(app: Flask) -> None:
    for command in (init_db, demo, users, units, workflows, sweep, scheduler, calendar, outbox):
        app.cli.add_command(command)
    import_module("caseflow.cli_excel").register(app)  # import, export (issue 10)
    app.cli.add_command(import_module("caseflow.cli_reports").report)
    import_module("caseflow.cli_whatif").register(app)  # last: it joins the `report` group
    import_module("caseflow.cli_reports_up").register(app)  # reports that go up (issue 11)


def main() -> None:
    """Entry point of the `caseflow` console script."""
    FlaskGroup(create_app=_app_or_reason, add_default_commands=True, load_dotenv=False)(
        prog_name="caseflow"
    )


def _app_or_reason() -> Flask:
    """Build the app; a configuration that is not safe is one message, not a traceback."""
    from flask.cli import NoAppException

    from caseflow import create_app
    from caseflow.config import ConfigurationError

    try:
        return create_app()
    except ConfigurationError as error:
        raise NoAppException(str(error)) from None


def fail_on_domain_error(function):
    """Print a domain error as one line and exit 1, instead of a traceback."""
    from functools import wraps

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except DomainError as error:
            click.echo(f"error: {error.message}", err=True)
            for name, problems in error.fields.items():
                click.echo(f"  {name}: {'; '.join(map(str, problems))}", err=True)
            sys.exit(1)

    return wrapper


@click.command("init-db")
@click.option(
    "--app-role",
    "app_role",
    metavar="NAME",
    default=None,
    help="PostgreSQL: also create or update NAME, the login the application runs "
    "as: it reads and writes rows but owns no table, so it cannot disable or "
    "drop the triggers that keep the history. Run init-db as the owner.",
)
@click.option(
    "--app-password",
    "app_password",
    envvar="CASEFLOW_APP_PASSWORD",
    default=None,
    help="the application role's password (also from CASEFLOW_APP_PASSWORD); "
    "unchanged if not given",
)
@with_appcontext
@fail_on_domain_error
def init_db(app_role: str | None, app_password: str | None) -> None:
    """Create or upgrade the tables, deploy the workflows, load the programme catalogue, build
    the what-if's stored classes (unless built for the standards as they are)."""
    from flask_migrate import upgrade

    from caseflow.services import app_role as app_role_service
    from caseflow.services import supports, whatif_table
    from caseflow.services.definitions import deploy

    upgrade()
    deploy()
    click.echo(f"database ready; {supports.sync_programs()} programmes in the catalogue")
    rows = whatif_table.rebuild_if_stale()
    click.echo("what-if already built" if rows is None else f"what-if built: {rows} rows")
    click.echo(import_module("caseflow.cli_reports_up").schedule_years())
    if app_role is not None:
        outcome = app_role_service.set_up(app_role, app_password)
        click.echo(
            f"application role {app_role} {outcome}: point CASEFLOW_DATABASE_URL at it "
            "for the web and scheduler processes"
        )


@click.command("demo")
@with_appcontext
@fail_on_domain_error
def demo() -> None:
    """Fill the database with a small province: units, users of each role, households."""
    from caseflow.services import demo as demo_service

    for line in demo_service.load():
        click.echo(line)
    click.echo(import_module("caseflow.cli_reports_up").schedule_years())


@click.group("users")
def users() -> None:
    """Manage users."""


@users.command("create")
@click.argument("name")
@click.option(
    "--role", required=True, type=click.Choice(["case_worker", "supervisor", "officer", "admin"])
)
@click.option(
    "--unit",
    "unit_code",
    default=None,
    help="code of the unit the user works in (every role but admin needs one)",
)
@click.option(
    "--password",
    default=None,
    help="a password for the web pages: 10 characters or more, not a common one",
)
@click.option("--email", default=None)
@with_appcontext
@fail_on_domain_error
def create_user(name, role, unit_code, password, email) -> None:
    """Create a user and print a new API token alone on the last line."""
    from caseflow.services import users as users_service

    user, token = users_service.create(name, role, unit_code, password, email=email)
    click.echo(f"created {user.username} ({user.role})")
    click.echo(token)


@users.command("list")
@with_appcontext
def list_users() -> None:
    """List every user: name, role, unit and whether they may log in."""
    from caseflow.services import users as users_service

    rows = [
        (u.username, u.role, u.unit.code if u.unit else "-", "active" if u.active else "inactive")
        for u in users_service.listing()
    ]
    widths = [
        max(len(row[i]) for row in [("user", "role", "unit", "status"), *rows]) for i in range(4)
    ]
    for row in [("user", "role", "unit", "status"), *rows]:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@users.command("deactivate")
@click.argument("name")
@with_appcontext
@fail_on_domain_error
def deactivate_user(name: str) -> None:
    """Stop NAME from logging in: end their sessions and revoke their API tokens."""
    from caseflow.services import users as users_service

    sessions, tokens = users_service.deactivate(name)
    click.echo(f"{name} deactivated; {sessions} sessions ended, {tokens} tokens revoked")


@users.command("set-password")
@click.argument("name")
@click.option(
    "--password",
    prompt="New password",
    hide_input=True,
    confirmation_prompt=True,
    help="the new password (asked twice, hidden, when not given)",
)
@with_appcontext
@fail_on_domain_error
def set_user_password(name: str, password: str) -> None:
    """Give NAME a new password (asked twice) and end their sessions."""
    from caseflow.services import users as users_service

    ended = users_service.set_password(name, password)
    click.echo(f"password of {name} changed; {ended} sessions ended")


@users.command("revoke-tokens")
@click.argument("name")
@with_appcontext
@fail_on_domain_error
def revoke_user_tokens(name: str) -> None:
    """Revoke every API token of NAME (their web sessions stay)."""
    from caseflow.services import users as users_service

    click.echo(f"revoked {users_service.revoke_tokens(name)} tokens of {name}")


@click.group("units")
def units() -> None:
    """Manage administrative units."""


@units.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
@fail_on_domain_error
def load_units(path: Path) -> None:
    """Load units from a YAML list or CSV (code, name, level, parent_code, area)."""
    from caseflow.services import units as units_service

    click.echo(f"loaded {units_service.load(_read_rows(path))} units")
    click.echo(import_module("caseflow.cli_reports_up").schedule_years())


def _read_rows(path: Path) -> list[dict]:
    if path.suffix.lower() == ".csv":
        import csv

        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["units"] if isinstance(data, dict) else data


@click.group("workflows")
def workflows() -> None:
    """Workflow definitions."""


@workflows.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
@fail_on_domain_error
def check_workflows(folder: Path | None) -> None:
    """Validate every workflow and standard file; name the file and the problem."""
    from flask import current_app

    from caseflow.services.definitions import check_folder

    folder = folder or Path(current_app.config["CASEFLOW_WORKFLOWS"])
    for definition in check_folder(folder):
        click.echo(
            f"ok {definition.name} v{definition.version} "
            f"({len(definition.states)} states, {len(definition.transitions)} transitions)"
        )
    click.echo("ok standards")
    click.echo("ok rounds")
    click.echo("ok reports")


def _moment(context, param, value: str | None):
    """Parse an ISO time; without an offset it is business-local time (CASEFLOW_TIMEZONE)."""
    from datetime import datetime

    from caseflow import clock

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.BUSINESS_TZ)


@click.command("sweep")
@click.option(
    "--as-of",
    "as_of",
    callback=_moment,
    metavar="ISO-TIME",
    help="fire what is due at this moment instead of now (moves the clock)",
)
@with_appcontext
@fail_on_domain_error
def sweep(as_of) -> None:
    """Fire every deadline due now, send the outbox; print `fired N` on the last line."""
    from caseflow.services import deadlines

    result = deadlines.sweep(as_of)
    click.echo(
        f"cancelled {result.cancelled}, failed {result.failed}, messages sent {result.delivered}"
    )
    click.echo(f"fired {result.fired}")


@click.group("outbox")
def outbox() -> None:
    """E-mails and webhook calls: list them, send a failed one again."""


@outbox.command("list")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]), default=None)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@with_appcontext
def list_outbox(status: str | None, limit: int) -> None:
    """List the latest messages, newest first: id, status, channel, recipient, what about."""
    from caseflow.services import undelivered

    for message, household in undelivered.listing(status, limit):
        about = f"household {household.code}" if household is not None else "no household"
        marks = " possible-duplicate" if message.possible_duplicate else ""
        click.echo(
            f"{message.id} {message.status} {message.channel} "
            f"{message.recipient or '-'} alert {message.alert_id or '-'} {about} "
            f"attempts {message.attempts}{marks}"
            + (f": {message.last_error}" if message.last_error else "")
        )


@outbox.command("resend")
@click.argument("outbox_id", metavar="ID", type=int)
@with_appcontext
@fail_on_domain_error
def resend_outbox(outbox_id: int) -> None:
    """Send failed message ID once more, marked as a possible duplicate (it may have gone out)."""
    from caseflow.services import undelivered

    message = undelivered.resend(outbox_id)
    click.echo(
        f"message {message.id} will be sent again by the next sweep, marked as a possible duplicate"
    )


@click.command("scheduler")
@click.option(
    "--seconds",
    type=click.IntRange(min=1),
    default=None,
    help="seconds between sweeps (default: CASEFLOW_SWEEP_SECONDS)",
)
@with_appcontext
def scheduler(seconds: int | None) -> None:
    """Run the ticker that sweeps deadlines, as its own process (several are harmless)."""
    import logging

    from flask import current_app

    from caseflow.scheduler import run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    run_forever(current_app._get_current_object(), seconds)


@click.group("calendar")
def calendar() -> None:
    """Extra days off and make-up working days, on top of weekends and public holidays."""


@calendar.command("add")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--off", "kind", flag_value="off", help="an extra day off")
@click.option("--working", "kind", flag_value="working", help="a make-up working day")
@click.option("--note", default=None)
@with_appcontext
@fail_on_domain_error
def add_calendar_day(day, kind: str | None, note: str | None) -> None:
    """Declare DAY (YYYY-MM-DD) off or working."""
    from caseflow.services import calendar_days

    if kind is None:
        raise click.UsageError("say --off or --working")
    row = calendar_days.add(day.date(), kind, note)
    click.echo(f"{row.day.isoformat()} {row.kind}{f' ({row.note})' if row.note else ''}")


@calendar.command("remove")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@with_appcontext
@fail_on_domain_error
def remove_calendar_day(day) -> None:
    """Withdraw what was declared for DAY."""
    from caseflow.services import calendar_days

    calendar_days.remove(day.date())
    click.echo(f"{day.date().isoformat()} removed")


@calendar.command("list")
@click.option("--year", type=int, default=None)
@with_appcontext
def list_calendar_days(year: int | None) -> None:
    """List the declared days off and working days."""
    from caseflow.services import calendar_days

    for row in calendar_days.listing(year):
        click.echo(f"{row.day.isoformat()} {row.kind}{f' ({row.note})' if row.note else ''}")
