"""Command line: `caseflow import FILE --unit CODE [--dry-run]` and `caseflow export ...`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from caseflow.cli import fail_on_domain_error


def register(app) -> None:
    app.cli.add_command(import_file)
    app.cli.add_command(export)


def _actor(username: str | None):
    """The user the command acts as: a named user (scope checked), else the system (admin)."""
    from caseflow.domain.planner import SYSTEM
    from caseflow.extensions import db
    from caseflow.models import User

    if username is None:  # not saved: history names the system, which sees every unit
        return User(username=SYSTEM, role="admin", full_name="")
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None or not user.active:
        raise click.UsageError(f"no active user {username}")
    return user


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", required=True, help="code of the unit to import into")
@click.option("--dry-run", is_flag=True, help="check every row and write nothing")
@click.option("--user", "username", default=None, help="act as this user (default: the system)")
@with_appcontext
@fail_on_domain_error
def import_file(file: Path, unit_code: str, dry_run: bool, username: str | None) -> None:
    """Import households, members and surveys from an xlsx or CSV file, all or nothing."""
    from caseflow.i18n import render
    from caseflow.services import imports

    report = imports.run(_actor(username), file, file.name, unit_code, dry_run=dry_run)
    with current_app.test_request_context(), force_locale("vi"):
        for error in report.errors:
            click.echo(f"{error.sheet}:{error.row}:{error.column}: {render(error.message)}")
    households = report.created + report.updated + report.unchanged
    if report.errors:
        click.echo(f"refused: {len(report.errors)} errors")
        sys.exit(1)
    click.echo(
        f"{'would import' if dry_run else 'imported'} {households} households: "
        f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.members} members, {report.assessments} surveys; "
        f"{len(report.duplicates)} found registered by national ID or by name"
    )


@click.command("export")
@click.argument("kind", type=click.Choice(["households", "assessments", "history"]))
@click.option("--unit", "unit_code", required=True)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--user", "username", default=None, help="read as this user (default: the system)")
@with_appcontext
@fail_on_domain_error
def export(kind: str, unit_code: str, fmt: str, output: Path, username: str | None) -> None:
    """Export a unit's households, surveys or history to an xlsx or CSV file."""
    from caseflow.services import exports

    exports.write_file(_actor(username), kind, fmt, output, unit=unit_code)
    click.echo(f"exported {kind} to {output}")
