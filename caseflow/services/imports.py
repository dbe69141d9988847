"""Importing a commune's lists: households, members and surveys from a workbook or CSV file.

The file is read sheet by sheet, a chunk of rows at a time, and written in the same
transaction as it is read: households enter through the planner (`plan_entry`, in the standing
the file gives) and the one writer (caseflow.services.moves); surveys through the planner's
`plan_survey`, classified under the standard of their date. A dry run, or any error in any row,
rolls the whole transaction back: nothing is written unless every row is right.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

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
from caseflow.services import import_writer, lost_race
from caseflow.services.access import WRITERS, in_scope, require_role, unit_by_code
from caseflow.services.bulk import standard_on
from caseflow.services.definitions import current_workflow, standards
from caseflow.services.import_reading import read_aside
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
#: two imports of one file at once (two users, two tabs): the second finds the first's
#: households written when it writes its own, and is refused whole
WRITTEN_MEANWHILE = N_(
    "Households of this file were written meanwhile (another import of it?); nothing was "
    "imported: import it again, and they will be updated."
)
LIFECYCLE = "household_lifecycle"
#: the members' sheet read for its heads' birth dates, before the households
HEADS = "heads"


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
    heads = MEMBERS in source.sheets() and writer.unit_has_households()
    # the objects made before the import are left out of its collections: each full one
    # walked them all (some 170,000, 0.5 s of the writer's 4 s at 10,000 households), and
    # a forked reader's copied their pages
    gc.freeze()
    try:
        with (
            read_aside(lambda: _checked(source, columns, heads)) as people,
            read_aside(lambda: _checked_surveys(source, columns)) as surveys,
        ):
            _write(_Sheets(chain(people, surveys)), writer, report, heads=heads)
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
    except (IntegrityError, OperationalError) as error:  # another import, committed first
        db.session.rollback()
        refusal = lost_race(error, WRITTEN_MEANWHILE)
        if refusal is None:
            raise
        raise refusal from error
    except BaseException:
        db.session.rollback()
        raise
    finally:
        gc.unfreeze()


def _write(sheets: _Sheets, writer: import_writer.Writer, report: ImportReport, *, heads: bool):
    """Write the checked chunks, sheet by sheet, in the order the writer needs them."""
    if heads:
        writer.read_heads(row for chunk in sheets.each(HEADS) for row in chunk)
    for chunk in sheets.each(HOUSEHOLDS):
        report.rows += len(chunk)
        writer.households(_kept(chunk, report, writer.refused))
    for chunk in sheets.each(MEMBERS):
        writer.members(_kept(chunk, report))
    writer.check_heads()
    writer.update_matched()
    writer.index_search()
    by_code = {standard.code: standard for standard in standards()}
    for chunk in sheets.each(SURVEYS):
        kept = _kept(chunk, report)
        writer.surveys([(n, code, s, by_code.get(st)) for n, code, s, st in kept])
    writer.finish()


def _kept(chunk: list, report: ImportReport, codes: set[str] | None = None) -> list:
    """The rows of a checked chunk that were not refused; the refusals go to the report (and
    their household codes to `codes`)."""
    kept = []
    for row in chunk:
        if isinstance(row, RowRefused):
            report.errors.extend(row.errors)
            if codes is not None:
                codes.add(row.code)
        else:
            kept.append(row)
    return kept


class _Sheets:
    """The checked chunks as they come, taken a sheet at a time."""

    def __init__(self, chunks: Iterator[tuple[str, list]]):
        self._chunks = chunks
        self._next = next(chunks, None)

    def each(self, sheet: str) -> Iterator[list]:
        while self._next is not None and self._next[0] == sheet:
            chunk = self._next[1]
            self._next = next(self._chunks, None)
            yield chunk


def _checked(source: Source, columns: dict, heads: bool) -> Iterator[tuple[str, list]]:
    """Read and check the households and members, yielding (sheet, chunk) in the order the
    writer takes them: the members' heads (raw cells, when the unit has households to match),
    then each sheet's rows checked by the API's rules. Pure of the database: it may run in a
    child process (and the surveys in another: `_checked_surveys`)."""
    if heads:
        member_columns = _member_columns(source)
        for chunk in batched(_data_rows(source, MEMBER_SHEET, member_columns), CHUNK):
            yield HEADS, chunk
    sheet, cells_of = columns[HOUSEHOLDS]
    for chunk in batched(_data_rows(source, sheet, cells_of), CHUNK):
        yield HOUSEHOLDS, [_refused_or(_household, sheet, n, given) for n, given in chunk]
    if MEMBERS in columns:
        sheet, cells_of = columns[MEMBERS]
        for chunk in batched(_data_rows(source, sheet, cells_of), CHUNK):
            yield MEMBERS, [_refused_or(member_row, sheet, n, given) for n, given in chunk]


def _checked_surveys(source: Source, columns: dict) -> Iterator[tuple[str, list]]:
    """Read and check the surveys sheet, yielding (sheet, chunk), from a Source of its own:
    read in a second child beside the first (which shares the import's file and its offset),
    the reading of a large file is shared between two cores while the import writes."""
    if SURVEYS not in columns:
        return
    sheet, cells_of = columns[SURVEYS]
    present = {column.field for column in cells_of.values()}

    def survey(sheet, number, given):
        code, checked, standard = survey_row(sheet, number, given, standard_on, present)
        return code, checked, standard.code if standard else None

    with Source(source.path, source.name) as own:
        for chunk in batched(_data_rows(own, sheet, cells_of), CHUNK):
            yield SURVEYS, [_refused_or(survey, sheet, n, given) for n, given in chunk]


def _household(sheet: SheetFormat, number: int, given: dict) -> tuple:
    return (household_row(sheet, number, given),)


def _refused_or(check, sheet: SheetFormat, number: int, given: dict):
    """(number, *what `check` read), or its refusal, sent as it is with the row's code."""
    try:
        return (number, *check(sheet, number, given))
    except RowRefused as refused:
        refused.code = str(given.get(CODE))
        return refused


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


def _member_columns(source: Source) -> dict:
    header = next(iter(source.rows(MEMBERS)), (1, ()))[1]
    return match_headers(MEMBER_SHEET, header)[0]


def in_unit(unit: Unit, other: Unit, actor: User) -> bool:
    """Tell whether a row's unit lies under the import's unit and within the actor's units."""
    return other.path.startswith(unit.path) and in_scope(actor, other)


def refused_message(error: DomainError) -> Msg:
    """Return a domain error's message as a Msg, to report it on a row."""
    return Msg(error.template, **error.params)
