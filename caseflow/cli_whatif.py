"""`caseflow report what-if`: a unit's latest surveys under another standard, as JSON or a file.

Attached under the `report` group when one is registered, else under a `report` group of its
own, so that the other reports' commands and this one share `caseflow report ...`.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from caseflow.cli import fail_on_domain_error


def register(app: Flask) -> None:
    """Add `what-if` to the app's `report` group, making the group if there is none yet."""
    group = app.cli.commands.get("report")
    if not isinstance(group, click.Group):
        group = click.Group("report", help="Reports over a unit's households.")
        app.cli.add_command(group)
    group.add_command(what_if)


@click.command("what-if")
@click.option("--unit", "unit_code", required=True, help="the unit's code")
@click.option("--standard", "standard_code", required=True, help="the standard's code")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="changes listed in JSON")
@with_appcontext
@fail_on_domain_error
def what_if(unit_code: str, standard_code: str, fmt: str, output: Path | None, limit) -> None:
    """Classify the unit's latest surveys under another standard and compare."""
    from caseflow.services import whatif
    from caseflow.services.spreadsheets import csv_lines, xlsx

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE")
    if fmt == "json":
        shown = whatif.CHANGES_SHOWN if limit is None else limit
        _write(
            output,
            json.dumps(
                whatif.what_if(None, unit_code, standard_code, shown), indent=1, ensure_ascii=False
            ),
        )
        return
    sheets = whatif.what_if_sheets(None, unit_code, standard_code)
    if fmt == "csv":
        _write(output, "".join(csv_lines(sheets[0])))
        return
    with xlsx(sheets) as made, output.open("wb") as file:
        shutil.copyfileobj(made, file)
    click.echo(f"wrote {output}")


def _write(output: Path | None, text: str) -> None:
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
