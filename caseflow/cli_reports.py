"""`caseflow report KIND --unit CODE`: the reports of the API, printed or written to a file;
`caseflow report rebuild`: the reports' summary derived again from the history, and the
what-if's classes from the surveys."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from caseflow.cli import fail_on_domain_error
from caseflow.services.spreadsheets import csv_lines, xlsx

DAY = click.DateTime(formats=["%Y-%m-%d"])


#: the reports of the API (`what-if` joins the group from caseflow.cli_whatif)
KINDS = ("summary", "units", "flows", "deprivations", "coverage", "overdue")


@click.group("report")
def report() -> None:
    """A unit's reports as the API gives them: printed as JSON, or written as xlsx or CSV."""


@report.command("rebuild")
@click.option(
    "--as-of", "as_of", type=DAY, default=None, help="through YYYY-MM-DD (default yesterday)"
)
@with_appcontext
@fail_on_domain_error
def rebuild(as_of) -> None:
    """Derive the reports' summary again from the history, and the what-if's stored classes
    from the latest surveys."""
    from caseflow.services import report_summary, whatif_table

    built = report_summary.rebuild(as_of.date() if as_of else None)
    click.echo(
        f"summary built through {built['built_through']}: {built['rows']} rows, "
        f"{built['listed_spans']} listed spans"
    )
    click.echo(f"what-if built: {whatif_table.rebuild()} rows")


def _report_command(kind: str) -> None:
    @report.command(kind, help=f"The {kind} report of a unit as of a date (flows: a period).")
    @click.option("--unit", "unit_code", required=True, help="the unit's code")
    @click.option("--as-of", "as_of", type=DAY, default=None, help="YYYY-MM-DD (default today)")
    @click.option("--from", "start", type=DAY, default=None, help="flows: first day of the period")
    @click.option("--to", "end", type=DAY, default=None, help="flows: last day (default today)")
    @click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "csv"]), default="json")
    @click.option("-o", "output", type=click.Path(dir_okay=False, path_type=Path), default=None)
    @with_appcontext
    @fail_on_domain_error
    def command(unit_code, as_of, start, end, fmt, output) -> None:
        from caseflow.services import report_catalogue
        from caseflow.services.report_sheets import sheet

        found = report_catalogue.build(
            None, kind, unit_code, *(d.date() if d else None for d in (as_of, start, end))
        )
        if fmt == "json":
            write(output, json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n")
        elif fmt == "csv":
            write(output, "".join(csv_lines(sheet(kind, found))))
        else:
            write_xlsx([sheet(kind, found)], output)


for _kind in KINDS:
    _report_command(_kind)


def write(output: Path | None, text: str) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


def write_xlsx(sheets: list, output: Path | None) -> None:
    """Write the sheets as an xlsx file to `output`, or to stdout when it is not a terminal."""
    if output is None and sys.stdout.isatty():
        raise click.UsageError("an xlsx file needs -o FILE")
    with xlsx(sheets) as book:
        if output is None:
            shutil.copyfileobj(book, sys.stdout.buffer)
        else:
            with output.open("wb") as file:
                shutil.copyfileobj(book, file)
            click.echo(f"wrote {output}")
