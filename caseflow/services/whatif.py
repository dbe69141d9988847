"""What-if: the latest surveys of a unit's households classified under another standard.

The classes are read from the what-if table (services/whatif_table.py) when it was built
under the standard as it is now: counted in one GROUP BY, the changes read in order. Else
the surveys are read in one query and streamed (a province holds a million households), each
reclassified by the domain and counted as it goes by, and the answer warns that it was.
Either way the answer, and the files, are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from caseflow.domain.classification import CLASSIFICATION_NAMES
from caseflow.domain.errors import N_, InvalidInput
from caseflow.domain.standards import Standard
from caseflow.domain.whatif import Reclassified, Reclassifier, Tally
from caseflow.extensions import db
from caseflow.models import Assessment, Household, Unit, User
from caseflow.services import whatif_table
from caseflow.services.access import unit_by_code
from caseflow.services.definitions import standard_by_code, standards
from caseflow.services.report_basis import in_subtree, warning
from caseflow.services.spreadsheets import Sheet

#: rows fetched at a time from the database's cursor
CHUNK = 2_000
#: changes listed in the JSON answer unless asked otherwise (the files list them all)
CHANGES_SHOWN = 1_000
CLASS_NAMES = CLASSIFICATION_NAMES["vi"]


@dataclass(frozen=True)
class Line:
    """One household whose class would change: who and where, and the domain's result."""

    household_id: int
    household_code: str | None
    head_name: str
    unit_code: str
    result: Reclassified

    def view(self) -> dict:
        result = self.result
        return {
            "household_id": self.household_id,
            "household_code": self.household_code,
            "head_name": self.head_name,
            "unit_code": self.unit_code,
            "from": result.current,
            "to": result.low,
            "to_if_unknown_deprived": result.high,
            "certain": result.certain,
            "unknown": list(result.unknown),
        }


def target_standard(code: str) -> Standard:
    """Return the standard named ``code``; refuse naming the field and the known codes."""
    found = standard_by_code(code)
    if found is None:
        raise InvalidInput.on(
            "standard",
            N_("Unknown standard '%(code)s' (known: %(known)s)."),
            code=code,
            known=", ".join(s.code for s in standards()),
        )
    return found


def what_if(
    actor: User | None, unit_code: str, standard_code: str, shown: int = CHANGES_SHOWN
) -> dict:
    """Compare the unit's latest surveys' classes with those under another standard (the
    actor's units only; None: the command line, which reads every unit)."""
    unit = unit_by_code(unit_code, actor, "unit")
    standard = target_standard(standard_code)
    tally, lines, warnings = _answer(unit, standard, shown)
    changes = []
    for line in lines:  # every line, so that a streamed tally is complete
        if len(changes) < shown:
            changes.append(line.view())
    return {**_counts(unit, standard, tally), "changes": changes, "warnings": warnings}


def what_if_sheets(actor: User | None, unit_code: str, standard_code: str) -> list[Sheet]:
    """The changes, then the counts (made once the changes have streamed by), as sheets."""
    unit = unit_by_code(unit_code, actor, "unit")
    standard = target_standard(standard_code)
    tally, lines, _ = _answer(unit, standard)
    changes = Sheet("Hộ thay đổi phân loại", CHANGE_HEADERS, _change_rows(lines))
    counts = Sheet("Tổng hợp", COUNT_HEADERS, _count_rows(unit, standard, tally))
    return [changes, counts]


def _answer(
    unit: Unit, standard: Standard, limit: int | None = None
) -> tuple[Tally, Iterator[Line], list[dict]]:
    """The counts, the changed households and the warnings: from the what-if table when it
    answers for `standard`, else by streaming the surveys (the tally fills as the lines are
    read, and the answer warns; `limit` bounds only the table's lines)."""
    tally = whatif_table.tally(unit, standard) if whatif_table.usable(standard) else None
    if tally is not None:
        return tally, (Line(*found) for found in whatif_table.changes(unit, standard, limit)), []
    tally = Tally()
    return tally, changed_lines(unit, standard, tally), [_streamed(standard)]


def _streamed(standard: Standard) -> dict:
    return warning(
        "whatif_not_built",
        N_(
            "The classes under %(standard)s are not stored for the standard as it is now: "
            "every survey was classified again, which is slow for a province. Run "
            "`caseflow report rebuild` to store them."
        ),
        standard=standard.code,
    )


def changed_lines(unit: Unit, standard: Standard, tally: Tally) -> Iterator[Line]:
    """Count every latest survey of the unit's subtree in ``tally``; yield those that change."""
    reclassify = Reclassifier(standard)
    for row in _latest_surveys(unit):
        result = reclassify(whatif_table.survey(row))
        tally.add(result)
        if result.changes:
            yield Line(row.household_id, row.code, row.head_name, row.unit_code, result)


def _latest_surveys(unit: Unit):
    """The latest surveys of the unit's subtree (whatif_table's one definition of latest),
    with who and where, in the order of the households."""
    in_unit = Assessment.household_id.in_(
        db.select(Household.id).where(in_subtree(unit, Household.unit_id))
    )
    query = (
        whatif_table.latest_surveys(in_unit)
        .add_columns(Household.code, Household.head_name, Unit.code.label("unit_code"))
        .join(Unit, Unit.id == Household.unit_id)
        .order_by(Assessment.household_id)
        .execution_options(yield_per=CHUNK)
    )
    return db.session.execute(query)


def _counts(unit: Unit, standard: Standard, tally: Tally) -> dict:
    return {
        "unit": unit.code,
        "standard": standard.code,
        "standard_name": standard.name,
        "households": tally.households,
        "current": dict(tally.current),
        "under": tally.under(),
        "uncertain": tally.uncertain,
        "unknown_indicators": dict(tally.unknown),
        "changes_total": tally.changed,
        "unconfirmed": list(standard.unconfirmed),
    }


CHANGE_HEADERS = (
    "Mã hộ",
    "Chủ hộ",
    "Đơn vị",
    "Phân loại hiện nay",
    "Theo chuẩn mới (chỉ số chưa có tính là không thiếu hụt)",
    "Theo chuẩn mới (chỉ số chưa có tính là thiếu hụt)",
    "Chắc chắn",
    "Chỉ số chưa khảo sát",
)
COUNT_HEADERS = ("Phân loại", "Hiện nay", "Theo chuẩn mới: ít nhất", "Theo chuẩn mới: nhiều nhất")


def _change_rows(lines: Iterator[Line]) -> Iterator[list]:
    for line in lines:
        result = line.result
        yield [
            line.household_code or f"#{line.household_id}",
            line.head_name,
            line.unit_code,
            CLASS_NAMES[result.current],
            CLASS_NAMES[result.low],
            CLASS_NAMES[result.high],
            "có" if result.certain else "không",
            ", ".join(result.unknown),
        ]


def _count_rows(unit: Unit, standard: Standard, tally: Tally) -> Iterator[list]:
    """Rows read only after the changes' sheet was written: the tally is complete by then."""
    under = tally.under()
    for name, label in CLASS_NAMES.items():
        yield [label, tally.current.get(name, 0), under[name]["min"], under[name]["max"]]
    yield ["Tổng số hộ có khảo sát", tally.households, tally.households, tally.households]
    yield [f"Chuẩn so sánh: {standard.name}", None, None, None]
    yield [f"Đơn vị: {unit.name} ({unit.code})", None, None, None]
