"""Importing a commune's lists: households, members and surveys from a workbook or CSV file.

The file is read sheet by sheet, a chunk of rows at a time, and written in the same
transaction as it is read: households enter through the planner (`plan_entry`, in the standing
the file gives) and the one writer (caseflow.services.moves); surveys through the planner's
`plan_survey`, classified under the standard of their date. A dry run, or any error in any row,
rolls the whole transaction back: nothing is written unless every row is right.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from caseflow.domain.batches import batched
from caseflow.domain.errors import N_, DomainError, InvalidInput, Msg
from caseflow.domain.sheet_format import (
    CODE,
    HOUSEHOLD_SHEET,
    HOUSEHOLDS,
    MEMBER_SHEET,
    MEMBERS,
    SURVEYS,
    SheetFormat,
    blank_row,
    match_headers,
)
from caseflow.extensions import db
from caseflow.models import Unit, User
from caseflow.services import import_writer
from caseflow.services.access import WRITERS, in_scope, require_role, unit_by_code
from caseflow.services.bulk import standard_on
from caseflow.services.definitions import current_workflow, standards
from caseflow.services.import_rows import (
    RowError,
    RowRefused,
    cells,
    household_row,
    member_row,
    survey_row,
    surveys_format,
)
from caseflow.services.sheet_reader import FileRefused, Source

CHUNK = 1000
LIFECYCLE = "household_lifecycle"


@dataclass
class ImportReport:
    """What an import did, or would do (API.md's ImportReport)."""

    dry_run: bool
    file: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    members: int = 0
    assessments: int = 0
    duplicates: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: the households created or updated, for links (the first ones)
    households: list[dict] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.errors


def run(actor: User, path: Path, filename: str, unit_code: str, *, dry_run: bool = True):
    """Check every row of the file and import it into `unit_code`'s households, all or
    nothing; a dry run (the default) writes nothing and says what the import would do."""
    require_role(actor, *WRITERS)
    report = ImportReport(dry_run=dry_run, file=filename)
    unit = unit_by_code(unit_code, actor)
    if unit.level not in Unit.COMMUNE_LEVELS:
        raise InvalidInput(
            N_("A household belongs to a commune-level unit or below."),
            fields={"unit_code": [Msg(N_("Not a commune, ward, township or village."))]},
        )
    limit = current_app.config["CASEFLOW_UPLOAD_MAX_BYTES"]
    if path.stat().st_size > limit:
        raise FileRefused(
            N_("The file is larger than the limit of %(mb)s MB."), params={"mb": limit >> 20}
        )
    with Source(path, filename) as source:
        _read(actor, unit, source, filename, report)
    return report


def _read(actor: User, unit: Unit, source: Source, filename: str, report: ImportReport) -> None:
    survey_format, aliases = surveys_format(standards())
    formats = [(HOUSEHOLD_SHEET, {}), (MEMBER_SHEET, {}), (survey_format, aliases)]
    if source.kind == "csv":
        formats = formats[:1]
    columns = _headers(source, formats, report)
    if report.errors:
        return
    definition = current_workflow(LIFECYCLE)  # it may commit its deployment: before writing
    writer = import_writer.Writer(actor, unit, definition, filename, report)
    try:
        _households(source, columns[HOUSEHOLDS], writer, report)
        if MEMBERS in columns:
            _members(source, columns[MEMBERS], writer, report)
        writer.check_heads()
        writer.update_matched()
        if SURVEYS in columns:
            _surveys(source, columns[SURVEYS], writer, report)
        writer.finish()
    except BaseException:
        db.session.rollback()
        raise
    if report.written:
        db.session.commit()
    else:
        db.session.rollback()


def _headers(source: Source, formats, report: ImportReport) -> dict[str, tuple]:
    """Check each sheet is there with its headers; return each sheet's columns by index."""
    titles = source.sheets()
    found: dict[str, tuple] = {}
    for sheet, aliases in formats:
        if sheet.title not in titles:
            report.errors.append(
                RowError(
                    sheet.title,
                    0,
                    "",
                    Msg(
                        N_("The sheet '%(sheet)s' is missing; the file has: %(found)s."),
                        sheet=sheet.title,
                        found=", ".join(titles),
                    ),
                )
            )
            continue
        header = next(iter(source.rows(sheet.title)), (1, ()))[1]
        columns, problems = match_headers(sheet, header, aliases)
        for problem in problems:
            report.errors.append(_header_error(sheet, problem))
        found[sheet.title] = (sheet, columns)
    return found


def _header_error(sheet: SheetFormat, problem) -> RowError:
    if problem.problem == "missing":
        message = Msg(N_("The column '%(header)s' is missing."), header=problem.header)
    else:
        message = Msg(
            N_("Unknown column '%(header)s'; expected one of: %(expected)s."),
            header=problem.header,
            expected=", ".join(problem.expected),
        )
    return RowError(sheet.title, 1, problem.column, message)


def _data_rows(source: Source, sheet: SheetFormat, columns) -> Iterator[tuple[int, dict]]:
    rows = source.rows(sheet.title)
    next(rows, None)  # the header
    for number, values in rows:
        if not blank_row(values):
            yield number, cells(columns, values)


def _households(source: Source, sheet_columns, writer, report: ImportReport) -> None:
    sheet, columns = sheet_columns
    if MEMBERS in source.sheets() and writer.unit_has_households():  # heads' birth dates
        writer.read_heads(_data_rows(source, MEMBER_SHEET, _member_columns(source)))
    for chunk in batched(_data_rows(source, sheet, columns), CHUNK):
        parsed = []
        for number, given in chunk:
            report.rows += 1
            try:
                parsed.append((number, household_row(sheet, number, given)))
            except RowRefused as refused:
                report.errors.extend(refused.errors)
                writer.refused.add(str(given.get(CODE)))
        writer.households(parsed)


def _member_columns(source: Source) -> dict:
    header = next(iter(source.rows(MEMBERS)), (1, ()))[1]
    return match_headers(MEMBER_SHEET, header)[0]


def _members(source: Source, sheet_columns, writer, report: ImportReport) -> None:
    sheet, columns = sheet_columns
    for chunk in batched(_data_rows(source, sheet, columns), CHUNK):
        parsed = []
        for number, given in chunk:
            try:
                parsed.append((number, *member_row(sheet, number, given)))
            except RowRefused as refused:
                report.errors.extend(refused.errors)
        writer.members(parsed)


def _surveys(source: Source, sheet_columns, writer, report: ImportReport) -> None:
    sheet, columns = sheet_columns
    present = {column.field for column in columns.values()}
    for chunk in batched(_data_rows(source, sheet, columns), CHUNK):
        parsed = []
        for number, given in chunk:
            try:
                parsed.append((number, *survey_row(sheet, number, given, standard_on, present)))
            except RowRefused as refused:
                report.errors.extend(refused.errors)
        writer.surveys(parsed)


def in_unit(unit: Unit, other: Unit, actor: User) -> bool:
    """Tell whether a row's unit lies under the import's unit and within the actor's units."""
    return other.path.startswith(unit.path) and in_scope(actor, other)


def refused_message(error: DomainError) -> Msg:
    """Return a domain error's message as a Msg, to report it on a row."""
    return Msg(error.template, **error.params)
