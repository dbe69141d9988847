"""One row of an import file read into the values of the API's bodies, by the API's rules.

Each cell is read as people type it (caseflow.schemas.common.typed_input: 05/09/2026,
1.500.000, x) and checked by the same schemas as a JSON body: the one input path. A refused
row gives every refusal, each named by its sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput, Msg
from caseflow.domain.inputs import Refused, check_date, read_typed_date
from caseflow.domain.sheet_format import (
    CODE,
    STANDINGS,
    Column,
    SheetFormat,
    cell_value,
    is_yes,
    survey_sheet,
)
from caseflow.domain.standards import Standard
from caseflow.schemas.common import load_typed
from caseflow.schemas.households import AssessmentArgs, HouseholdArgs, MemberArgs

#: the API's schemas, made once (a schema is not cheap to make, and holds no state)
HOUSEHOLD_ARGS, MEMBER_ARGS, ASSESSMENT_ARGS = HouseholdArgs(), MemberArgs(), AssessmentArgs()
#: the longest household code (caseflow.models.Household.code)
CODE_LENGTH = 32


@dataclass
class RowError:
    """A refusal of one cell (or of the row, column ""), as the report shows it."""

    sheet: str
    row: int
    column: str
    message: Msg


class RowRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors
        #: the household code the refused row gives (set by the import as it reads)
        self.code: str | None = None


def cells(columns: Mapping[int, Column], values: Sequence[object]) -> dict[str, object]:
    """Return the row's cells by field, read as text or dates; blank cells left out."""
    found = {}
    count = len(values)
    for index, column in columns.items():
        if index < count:
            value = cell_value(values[index])
            if value is not None:
                found[column.field] = value
    return found


class RowReader:
    """Reads the rows of one sheet, refusing with every error of a row at once."""

    def __init__(self, sheet: SheetFormat, row: int, given: dict[str, object]):
        self.sheet, self.row, self.given = sheet, row, given
        self.errors: list[RowError] = []

    def refuse(self, field: str, message: Msg) -> None:
        title = self.sheet.column(field).title if field else ""
        self.errors.append(RowError(self.sheet.title, self.row, title, message))

    def code(self) -> str | None:
        code = self.given.get(CODE)
        if code is None:
            self.refuse(CODE, Msg(N_("Must not be blank.")))
        elif len(str(code)) > CODE_LENGTH:
            self.refuse(
                CODE, Msg(N_("Must be at most %(longest)s characters."), longest=CODE_LENGTH)
            )
        return None if code is None else str(code)

    def choice(self, field: str) -> str | None:
        word = self.given.get(field)
        if word is None:
            return None
        column = self.sheet.column(field)
        code = column.code(str(word))
        if code is None:
            words = ", ".join(w for w, _ in column.choices)
            self.refuse(field, Msg(N_("Must be one of: %(choices)s."), choices=words))
        return code

    def day(self, field: str, *, required: bool = False) -> date | None:
        value = self.given.get(field)
        if value is None:
            if required:
                self.refuse(field, Msg(N_("Missing data for required field.")))
            return None
        try:
            return check_date(read_typed_date(value), clock.today())
        except Refused as refusal:
            self.refuse(field, refusal.message)
            return None

    def load(self, schema, body: dict, fields: Mapping[str, str] | None = None) -> dict | None:
        """Load `body` with an API schema (typed input); name refused fields by column."""
        try:
            return load_typed(schema, body)
        except InvalidInput as error:
            for name, messages in error.fields.items():
                field = (fields or {}).get(name, name)
                column = field if field in {c.field for c in self.sheet.columns} else ""
                for message in _flat(messages):
                    self.refuse(column, message)
            return None

    def done(self) -> None:
        if self.errors:
            raise RowRefused(self.errors)


def _flat(messages: object) -> list[Msg]:
    if isinstance(messages, Mapping):
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list | tuple):
        return [m for value in messages for m in _flat(value)]
    return [messages if isinstance(messages, Msg) else Msg(str(messages))]


@dataclass
class HouseholdRow:
    code: str
    fields: dict
    standing: tuple[str, str | None] | None
    decided_on: date | None


def household_row(sheet: SheetFormat, row: int, given: dict) -> HouseholdRow:
    """Read a row of `Hộ`: the household's fields (HouseholdArgs), its standing and date."""
    reader = RowReader(sheet, row, given)
    code = reader.code()
    area = reader.choice("area")
    word = reader.choice("standing")
    decided_on = reader.day("decided_on", required=word is not None)
    names = ("head_name", "unit_code", "village", "address", "phone", "national_id")
    body = {name: str(given[name]) for name in names if name in given}
    if area is not None:
        body["area"] = area
    fields = reader.load(HOUSEHOLD_ARGS, body)
    reader.done()
    fields.pop("members", None)
    fields.pop("confirm_duplicate", None)
    return HouseholdRow(code, fields, STANDINGS[word] if word else None, decided_on)


def member_row(sheet: SheetFormat, row: int, given: dict) -> tuple[str, dict]:
    """Read a row of `Thành viên`: the household's code and the member (MemberArgs)."""
    reader = RowReader(sheet, row, given)
    code = reader.code()
    body = {n: str(given[n]) for n in ("full_name", "ethnicity") if n in given}
    birth = given.get("birth_date")
    if isinstance(birth, str) and len(birth) == 4 and birth.isdigit():
        birth = date(int(birth), 1, 1)  # a year alone: recorded as 1 January
    if birth is not None:  # required for a new household's members (the writer checks)
        body["birth_date"] = birth
    for name in ("sex", "relation"):
        code_of = reader.choice(name) if name == "sex" else _relation(sheet, given.get(name))
        if code_of is not None:
            body[name] = code_of
    body["disability"] = is_yes(given.get("disability"))
    member = reader.load(MEMBER_ARGS, body)
    reader.done()
    return code, member


def _relation(sheet: SheetFormat, word: object) -> str | None:
    """A relation is one of the words exactly (Chủ hộ: head), or any other text kept as it is
    typed, so that a relation recorded as free text exports and imports back unchanged."""
    if word is None:
        return None
    text = str(word)
    return next((c for w, c in sheet.column("relation").choices if text in (w, c)), text)


def survey_row(
    sheet: SheetFormat, row: int, given: dict, standard_on, present: set[str]
) -> tuple[str, dict, Standard | None]:
    """Read a row of `Khảo sát`: the code, the survey (AssessmentArgs) and its standard;
    `present`: the fields whose columns the sheet has (every indicator of the standard)."""
    reader = RowReader(sheet, row, given)
    code = reader.code()
    surveyed_on = reader.day("surveyed_on", required=True)
    standard = None
    body: dict = {}
    if surveyed_on is not None:
        try:
            standard = standard_on(surveyed_on)
        except InvalidInput as error:
            reader.refuse("surveyed_on", Msg(error.template, **error.params))
    missing = (
        [k for k in standard.indicator_keys if f"deprivation:{k}" not in present]
        if (standard is not None)
        else []
    )
    if missing:
        reader.refuse(
            "",
            Msg(
                N_("The sheet has no column for the indicators %(keys)s of the standard %(code)s."),
                keys=", ".join(missing),
                code=standard.code,
            ),
        )
        standard = None
    if standard is not None:
        body["surveyed_on"] = surveyed_on
        body["deprivations"] = {
            key: is_yes(given.get(f"deprivation:{key}")) for key in standard.indicator_keys
        }
        for name in ("income_per_capita_month", "income_score"):
            if name in given:
                body[name] = given[name]
    survey = reader.load(ASSESSMENT_ARGS, body) if standard is not None else None
    reader.done()
    return code, survey, standard


def surveys_format(standards: Sequence[Standard]) -> tuple[SheetFormat, dict[str, str]]:
    """Return the survey sheet with every standard's indicators, and their keys as aliases."""
    seen: dict[str, str] = {}
    for standard in standards:
        for indicator in standard.indicators:
            seen.setdefault(indicator.key, indicator.name_vi)
    return survey_sheet(list(seen.items())), {k: f"deprivation:{k}" for k in seen}
