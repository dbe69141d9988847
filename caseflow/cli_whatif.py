"""`caseflow report what-if`: a unit's latest surveys under another standard, as JSON or a file.

It joins the `report` group of caseflow.cli_reports, beside the other reports.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from caseflow.cli import fail_on_domain_error
from caseflow.cli_reports import report, write, write_xlsx
from caseflow.services.spreadsheets import csv_lines


def register(app: Flask) -> None:
    """Add `what-if` to `caseflow report`."""
    report.add_command(what_if)


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

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE")
    if fmt == "json":
        shown = whatif.CHANGES_SHOWN if limit is None else limit
        found = whatif.what_if(None, unit_code, standard_code, shown)
        write(output, json.dumps(found, indent=1, ensure_ascii=False) + "\n")
        return
    sheets = whatif.what_if_sheets(None, unit_code, standard_code)
    if fmt == "csv":
        write(output, "".join(csv_lines(sheets[0])))
    else:
        write_xlsx(sheets, output)
