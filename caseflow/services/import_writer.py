"""The writes of an import, a chunk of rows at a time, inside the import's one transaction.

New households are inserted in the workflow's initial state and brought to the standing the
file gives by the planner's entry plan, written by the one writer (caseflow.services.moves).
A row that is a household already registered (by its code, else its head's national ID, else
its head's folded name, birth date and village) updates that household's facts instead, as a
change of facts with its history event (the same rules as PATCH). The file's households are
remembered in the transaction's temporary tables (caseflow.services.import_index), not in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseflow import clock
from caseflow.domain.batches import batched
from caseflow.domain.duplicates import HEAD, identity
from caseflow.domain.errors import N_, Msg
from caseflow.domain.inputs import Refused, read_typed_date
from caseflow.domain.planner import Actor, CaseView, plan_entry
from caseflow.domain.sheet_format import (
    CODE,
    HOUSEHOLD_SHEET,
    HOUSEHOLDS,
    MEMBER_SHEET,
    MEMBERS,
)
from caseflow.domain.text import fold
from caseflow.extensions import db
from caseflow.models import Household, Member, Unit, User
from caseflow.services import moves, search_index
from caseflow.services.definitions import business_calendar
from caseflow.services.import_index import CHUNK, ImportIndex, Statistics
from caseflow.services.import_rows import RowError
from caseflow.services.import_surveys import ImportedSurveys
from caseflow.services.import_updates import MatchedUpdates
from caseflow.services.inserts import insert_ids, insert_rows

#: how many households a report links to
LINKS = 200


@dataclass(slots=True)
class Entry:
    """A household of the file: its row on `Hộ`, its id, and whether the import made it."""

    row: int
    household_id: int
    new: bool


class Writer(ImportedSurveys, MatchedUpdates):
    """The import's writes, sheet by sheet; the updates and surveys are its mixins'."""

    def __init__(self, actor: User, unit: Unit, definition, filename: str, report):
        self.actor, self.unit, self.definition = actor, unit, definition
        self.filename, self.report = filename, report
        self.who = Actor(actor.id, actor.username)
        self.now, self.calendar = clock.now(), business_calendar()
        self.index, self.statistics = ImportIndex(), Statistics()
        #: the codes of rows refused (as many as the errors reported)
        self.refused: set[str] = set()
        #: what this chunk of `Hộ` holds, and what the file had before it
        self._codes: dict[str, int] = {}
        self._national_ids: dict[str, int] = {}
        self._heads: dict[str, date] = {}
        self.heads_read = False
        self.units: dict[str, Unit | None] = {}

    def error(self, sheet: str, row: int, column: str, message: Msg) -> None:
        self.report.errors.append(RowError(sheet, row, column, message))

    def unit_has_households(self) -> bool:
        """Tell whether a household of the file could already be registered in the unit."""
        found = db.select(Household.id).join(Unit, Unit.id == Household.unit_id)
        found = found.where(Unit.path.startswith(self.unit.path, autoescape=True)).limit(1)
        return db.session.scalar(found) is not None

    # -- the members sheet, first read: each household's head and birth date
    def read_heads(self, rows: Iterable[tuple[int, dict]]) -> None:
        self.heads_read = True
        relation = MEMBER_SHEET.column("relation")
        for chunk in batched(rows, CHUNK):
            heads: dict[str, tuple[date | None, bool]] = {}
            for _, given in chunk:
                code, word = given.get(CODE), given.get("relation")
                is_head = word is not None and relation.code(str(word)) == HEAD
                if code is not None:
                    _note_head(heads, str(code), _birth(given.get("birth_date")), is_head)
            self.index.note_heads(heads)

    def check_heads(self) -> None:
        """Two new households of the file with the same head and village are one household."""
        column = HOUSEHOLD_SHEET.column("head_name").title
        for row, first in self.index.same_heads():
            self._twice(HOUSEHOLDS, row, column, first)

    # -- the households sheet
    def households(self, rows: list) -> None:
        codes = [row.code for _, row in rows]
        earlier = {c: row for c, (row, _, _) in self.index.entries(codes).items()}
        self._codes = dict(earlier)
        given_ids = [row.fields["national_id"] for _, row in rows if row.fields.get("national_id")]
        self._national_ids = self.index.national_ids(given_ids)
        self._heads = self.index.heads(codes)
        checked = [(number, row) for number, row in rows if self._check(number, row)]
        found = self._existing(checked)
        new, entries, updates = [], [], []
        claimed = self.index.claimed(found.values())
        for number, row in checked:
            household_id = found.get(row.code)
            if household_id is None:
                new.append((number, row))
            elif self._claim(number, household_id, claimed):
                updates.append((household_id, number, row.fields))
                entries.append(_entry_row(number, row, household_id, False))
        entries += self._create(new)
        self.index.add(entries)
        self.index.hold_updates(updates)
        written = {entry["code"] for entry in entries}
        for _, row in rows:
            if row.code not in written and row.code not in earlier:
                self.refused.add(row.code)

    def _check(self, number: int, row) -> bool:
        ok = True
        if row.code in self._codes or row.code in self.refused:
            first = self._codes.get(row.code, "?")
            self._twice(HOUSEHOLDS, number, HOUSEHOLD_SHEET.column(CODE).title, first)
            return False
        self._codes[row.code] = number
        unit = self._unit(row.fields["unit_code"])
        if unit is None:
            self.error(
                HOUSEHOLDS,
                number,
                HOUSEHOLD_SHEET.column("unit_code").title,
                Msg(
                    N_("The unit '%(code)s' is not a commune, ward or village of %(unit)s."),
                    code=row.fields["unit_code"],
                    unit=self.unit.code,
                ),
            )
            return False
        row.unit = unit
        row.area = row.fields.get("area") or unit.area
        if row.area is None:
            self.error(
                HOUSEHOLDS,
                number,
                HOUSEHOLD_SHEET.column("area").title,
                Msg(N_("The unit has no area; give one.")),
            )
            ok = False
        national_id = row.fields.get("national_id")
        if national_id is not None and national_id in self._national_ids:
            column = HOUSEHOLD_SHEET.column("national_id").title
            self._twice(HOUSEHOLDS, number, column, self._national_ids[national_id])
            ok = False
        elif national_id is not None:
            self._national_ids[national_id] = number
        mine = identity(unit.id, row.fields["head_name"], row.fields.get("village"), [])
        row.key = hash((mine.unit_id, mine.head_name, mine.village))
        born = self._heads.get(row.code)
        row.identity = (mine.unit_id, mine.head_name, born, mine.village) if born else None
        return ok

    def _twice(self, sheet: str, number: int, column: str, first: object) -> None:
        self.error(
            sheet,
            number,
            column,
            Msg(N_("Rows %(first)s and %(row)s are the same household."), first=first, row=number),
        )

    def _unit(self, code: str) -> Unit | None:
        if code not in self.units:
            unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
            fits = (
                unit is not None
                and unit.level in Unit.COMMUNE_LEVELS
                and unit.path.startswith(self.unit.path)
            )
            self.units[code] = unit if fits else None
        return self.units[code]

    def _create(self, rows: list) -> list[dict]:
        if not rows:
            return []
        initial, now = self.definition.initial, self.now
        values = [
            {
                "code": row.code,
                "head_name": row.fields["head_name"],
                "search_name": fold(row.fields["head_name"]),
                "unit_id": row.unit.id,
                "village": row.fields.get("village"),
                "address": row.fields.get("address"),
                "phone": row.fields.get("phone"),
                "national_id": row.fields.get("national_id"),
                "area": row.area,
                "state": initial,
                "workflow": self.definition.name,
                "workflow_version": self.definition.version,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for _, row in rows
        ]
        table = Household.__table__
        ids = insert_ids(table, values)
        planned, entries = [], []
        for (number, row), household_id in zip(rows, ids, strict=True):
            case = CaseView(
                household_id,
                row.unit.id,
                row.area,
                initial,
                None,
                None,
                1,
                self.definition.name,
                self.definition.version,
            )
            dest, klass = row.standing or (initial, None)
            payload = {"file": self.filename, "row": number}
            if row.decided_on is not None:
                payload["decided_on"] = row.decided_on
            planned.append(
                plan_entry(
                    case,
                    self.definition,
                    dest,
                    klass,
                    payload,
                    actor=self.who,
                    now=now,
                    calendar=self.calendar,
                )
            )
            entries.append(_entry_row(number, row, household_id, True))
            self._link(household_id, row.code, row.fields["head_name"])
        moves.write(planned)
        self.report.created += len(rows)
        self.statistics.grew(HOUSEHOLDS, self.report.created)
        return entries

    def _link(self, household_id: int, code: str, name: str) -> None:
        if len(self.report.households) < LINKS:
            self.report.households.append({"id": household_id, "code": code, "head_name": name})

    # -- the members sheet
    def members(self, rows: list) -> None:
        """Write the members of new households; keep those of matched ones to compare; note
        each new household's head's birth date, unless `read_heads` has."""
        entries = self.entries(MEMBERS, rows)
        new, heads, held = [], {}, []
        for number, code, member in rows:
            entry = entries.get(code)
            if entry is None:
                continue
            if entry.new and member.get("birth_date") is None:
                column = MEMBER_SHEET.column("birth_date").title
                self.error(MEMBERS, number, column, Msg(N_("Missing data for required field.")))
            elif entry.new:
                new.append({**member, "household_id": entry.household_id})
                self.report.members += 1
                born, is_head = member.get("birth_date"), member.get("relation") == HEAD
                _note_head(heads, code, born, is_head)
            else:
                held.append((entry.household_id, member))
        if new:
            insert_rows(Member.__table__, new)
        self.index.hold_members(held)
        self.statistics.grew(MEMBERS, self.report.members)
        if not self.heads_read:
            self.index.note_heads(heads)

    def entries(self, sheet: str, rows: list) -> dict[str, Entry]:
        """Return the household of the file each row's code names; say which name none."""
        found = {c: Entry(*e) for c, e in self.index.entries(row[1] for row in rows).items()}
        for number, code, *_ in rows:
            if code not in found:
                self._unknown(sheet, number, code)
        return found

    def _unknown(self, sheet: str, number: int, code: str) -> None:
        if code not in self.refused:
            self.error(
                sheet,
                number,
                MEMBER_SHEET.column(CODE).title,
                Msg(
                    N_("No household with the code %(code)s on the sheet %(sheet)s."),
                    code=code,
                    sheet=HOUSEHOLDS,
                ),
            )

    def index_search(self) -> None:
        """Index the households written, found by every name, code, phone and ID as those
        registered one by one: once their members are in, before the surveys (which index
        nothing), so that it runs while the reader checks them."""
        db.session.flush()
        if not self.report.dry_run and not self.report.errors:
            for chunk in self.index.household_ids():
                search_index.index_households(chunk)

    def finish(self) -> None:
        db.session.flush()
        if not self.report.dry_run and not self.report.errors:
            self.index.drop()


def _entry_row(number: int, row, household_id: int, new: bool) -> dict:
    return {
        "code": row.code,
        "row": number,
        "household_id": household_id,
        "new": new,
        "key": row.key,
        "national_id": row.fields.get("national_id"),
    }


def _note_head(heads: dict, code: str, born: date | None, is_head: bool) -> None:
    """Keep the head's birth date of a household: the head's row's, else the first member's."""
    if code not in heads or (is_head and not heads[code][1]):
        heads[code] = (born, is_head)


def _birth(value: object) -> date | None:
    if isinstance(value, str) and len(value) == 4 and value.isdigit():
        return date(int(value), 1, 1)
    try:
        return read_typed_date(value) if value is not None else None
    except Refused:
        return None
