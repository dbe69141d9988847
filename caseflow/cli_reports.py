"""`caseflow report KIND --unit CODE`: the reports of the API, printed or written to a file."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from caseflow.cli import fail_on_domain_error

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command("report")
@click.argument(
    "kind",
    type=click.Choice(
        ["summary", "units", "flows", "deprivations", "coverage", "overdue", "rebuild"]
    ),
)
@click.option("--unit", "unit_code", default=None, help="the unit's code")
@click.option("--as-of", "as_of", type=DAY, default=None, help="YYYY-MM-DD (default today)")
@click.option("--from", "start", type=DAY, default=None, help="flows: first day of the period")
@click.option("--to", "end", type=DAY, default=None, help="flows: last day (default today)")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json")
@click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@with_appcontext
@fail_on_domain_error
def report(kind, unit_code, as_of, start, end, fmt, output) -> None:
    """Print a report of a unit as of a date (flows: over a period), or write it as a file;
    `rebuild`: derive the reports' summary again from the history (through --as-of, default
    yesterday)."""
    from caseflow.services import report_catalogue, report_summary

    if kind == "rebuild":
        built = report_summary.rebuild(as_of.date() if as_of else None)
        click.echo(f"summary built through {built['built_through']}: {built['rows']} rows")
        return
    if not unit_code:
        raise click.UsageError("--unit CODE is needed")

    found = report_catalogue.build(
        None, kind, unit_code, *(d.date() if d else None for d in (as_of, start, end))
    )
    if fmt == "json":
        _write(output, json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "csv":
        from caseflow.services.report_sheets import sheet
        from caseflow.services.spreadsheets import csv_lines

        _write(output, "".join(csv_lines(sheet(kind, found))))
    else:
        _write_xlsx(kind, found, output)


def _write(output: Path | None, text: str) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


def _write_xlsx(kind: str, found: dict, output: Path | None) -> None:
    from caseflow.services.report_sheets import sheet
    from caseflow.services.spreadsheets import xlsx

    if output is None and sys.stdout.isatty():
        raise click.UsageError("an xlsx file needs -o FILE")
    with xlsx([sheet(kind, found)]) as book:
        if output is None:
            shutil.copyfileobj(book, sys.stdout.buffer)
        else:
            with output.open("wb") as file:
                shutil.copyfileobj(book, file)
            click.echo(f"wrote {output}")
