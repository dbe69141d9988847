"""The what-if's stored reclassifications (models.WhatIfClass): kept in step, rebuilt, read.

The what-if classifies each household's latest survey (the one of the highest id) under
another standard. Streaming a province's million surveys through the domain's rule took 42 s;
the rows hold the rule's answer for every household and known standard, so a report groups
them instead. The one writer (services/moves.py) calls `follow_surveys` with the moves it
writes; `rebuild` derives every row again from the surveys (`caseflow report rebuild`,
`caseflow init-db`); the what-if reads a standard's rows only while `usable` finds them built
under the fingerprint the standard has now, else it streams the surveys as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from types import SimpleNamespace

from sqlalchemy import Column, MetaData, Row, Table, insert, text

from caseflow import clock
from caseflow.domain.batches import batched
from caseflow.domain.planner import Move
from caseflow.domain.standards import Standard
from caseflow.domain.whatif import Reclassified, Reclassifier, Survey, Tally, fingerprint
from caseflow.extensions import db
from caseflow.models import Assessment, Household, Unit, WhatIfBuilt, WhatIfClass
from caseflow.services import transaction
from caseflow.services.definitions import standards
from caseflow.services.id_lists import among
from caseflow.services.inserts import insert_rows
from caseflow.services.report_basis import in_subtree

#: households read, and rows written, per statement
CHUNK = 2_000
#: the unknown indicators' keys are joined by it (a key is lower-case letters and _)
SEPARATOR = ","
_ROWS = WhatIfClass.__table__


def latest_surveys(*where):
    """Each household's latest survey (of those `where` picks), with what the what-if reads
    of it and of its household (the household's area stands in for a survey's missing one)."""
    latest = (
        db.select(db.func.max(Assessment.id).label("id"))
        .where(*where)
        .group_by(Assessment.household_id)
        .subquery("latest")
    )
    return (
        db.select(
            Assessment.id,
            Assessment.household_id,
            Assessment.classification,
            Assessment.area.label("survey_area"),
            Assessment.deprivations,
            Assessment.income_per_capita_month,
            Assessment.income_score,
            Household.area,
            Household.unit_id,
        )
        .join(latest, latest.c.id == Assessment.id)
        .join(Household, Household.id == Assessment.household_id)
    )


def survey(row) -> Survey:
    """What the domain's what-if reads of a latest survey's row."""
    return Survey(
        household_id=row.household_id,
        classification=row.classification,
        area=row.survey_area or row.area,
        deprivations=row.deprivations or {},
        income_vnd=row.income_per_capita_month,
        income_score=row.income_score,
    )


def follow_surveys(moves: Sequence[Move], assessment_ids: Sequence[int | None]) -> None:
    """Derive again the rows of the households these moves surveyed, under every known
    standard, from the surveys the moves wrote (`assessment_ids`, in the moves' order): in
    the caller's transaction, after their surveys were written; most moves record no survey
    and cost nothing here. A move's survey is its household's latest: the writer moved the
    household on its version, so no other survey of it was written meanwhile."""
    latest = {
        move.case.id: _written(move, assessment_id)
        for move, assessment_id in zip(moves, assessment_ids, strict=True)
        if move.assessment
    }
    known = standards()
    codes = [standard.code for standard in known]
    for chunk in batched(list(latest), CHUNK):
        # by the table's key (standard, household_id): by the household alone, each chunk
        # read the whole table (a bulk review of 40,000: 415 ms a chunk at its end); the rows
        # of a standard no longer known are the rebuild's to remove, as they were
        db.session.execute(
            _ROWS.delete().where(_ROWS.c.standard.in_(codes), among(_ROWS.c.household_id, chunk))
        )
        _insert(_derived((latest[h] for h in chunk), known))


def _written(move: Move, assessment_id: int | None) -> SimpleNamespace:
    """A written survey as latest_surveys reads it (not read back: the move holds it)."""
    row = move.assessment
    return SimpleNamespace(
        id=assessment_id,
        household_id=move.case.id,
        classification=row["classification"],
        survey_area=row.get("area"),
        deprivations=row["deprivations"],
        income_per_capita_month=row.get("income_per_capita_month"),
        income_score=row.get("income_score"),
        area=move.case.area,
        unit_id=move.case.unit_id,
    )


def rebuild() -> int:
    """Derive every row again from the latest surveys and mark each known standard built
    under its fingerprint; return how many rows.

    The rows are derived into a temporary table first; then only those that differ are
    replaced, so that a rebuild which changes nothing leaves no dead rows behind (after one
    that deleted and inserted all of them, PostgreSQL's first province read took 7 s)."""
    known = standards()
    with transaction():
        if db.session.get_bind().dialect.name == "postgresql":
            # a move surveying meanwhile waits, then replaces its household's rows on ours
            db.session.execute(text("LOCK TABLE report_whatif IN EXCLUSIVE MODE"))
        connection = db.session.connection()
        _REBUILT.drop(connection, checkfirst=True)
        _REBUILT.create(connection)
        found = db.session.execute(latest_surveys().execution_options(yield_per=CHUNK))
        # by COPY on PostgreSQL (inserts.insert_rows): for 2,000,000 rows 15 s instead of the
        # executemany's 48 s; one chunk at a time, the surveys' cursor read between
        rows = _insert(_derived(found, known), _REBUILT)
        _replace_the_rows_that_differ()
        _REBUILT.drop(connection)
        db.session.execute(WhatIfBuilt.__table__.delete())
        now = clock.now()
        db.session.add_all(
            WhatIfBuilt(standard=s.code, fingerprint=fingerprint(s), built_at=now) for s in known
        )
    return rows


#: the rows as the rebuild derives them, before they replace those that differ
_REBUILT = Table(
    "whatif_rebuilt",
    MetaData(),
    *(Column(c.name, c.type, primary_key=c.primary_key) for c in _ROWS.columns),
    prefixes=["TEMPORARY"],
)


def _replace_the_rows_that_differ() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        # statistics of now for both sides, so that each statement below joins by hashing:
        # no autovacuum reads a temporary table, and report_whatif may have been analysed
        # empty: an anti-join by nested loop over it, per row derived, ran 15 min unfinished
        db.session.execute(text("ANALYZE whatif_rebuilt"))
        db.session.execute(text("ANALYZE report_whatif"))
    same = db.and_(*(_REBUILT.c[c.name] == c for c in _ROWS.columns))
    # the rows that differ from the rebuild's, or that it did not derive, go; the others stay
    db.session.execute(_ROWS.delete().where(~db.select(_REBUILT).where(same).exists()))
    kept = db.select(_ROWS).where(
        _ROWS.c.standard == _REBUILT.c.standard, _ROWS.c.household_id == _REBUILT.c.household_id
    )
    db.session.execute(_REBUILT.delete().where(kept.exists()))
    names = [c.name for c in _ROWS.columns]
    db.session.execute(insert(_ROWS).from_select(names, db.select(_REBUILT)))


def rebuild_if_stale() -> int | None:
    """Rebuild unless every known standard is usable; return the rows, None when it was
    (`caseflow init-db`: a fresh database is built at once, an upgraded one once)."""
    if all(usable(standard) for standard in standards()):
        return None
    return rebuild()


def _derived(found: Iterable[Row], known: Sequence[Standard]) -> Iterator[dict]:
    """The rows of each latest survey, one per standard, as the domain reclassifies it."""
    rules = [(s.code, fingerprint(s), Reclassifier(s)) for s in known]
    for row in found:
        read = survey(row)
        for code, mark, reclassify in rules:
            result = reclassify(read)
            yield {
                "standard": code,
                "household_id": row.household_id,
                "unit_id": row.unit_id,
                "fingerprint": mark,
                "assessment_id": row.id,
                "current": result.current,
                "low": result.low,
                "high": result.high,
                "unknown": SEPARATOR.join(result.unknown),
            }


def _insert(rows: Iterable[dict], table: Table = _ROWS) -> int:
    written = 0
    for chunk in batched(rows, CHUNK):
        insert_rows(table, chunk)
        written += len(chunk)
    return written


def usable(standard: Standard) -> bool:
    """Tell whether the rows answer for `standard`: built under the fingerprint it has now."""
    built = db.session.scalar(
        db.select(WhatIfBuilt.fingerprint).where(WhatIfBuilt.standard == standard.code)
    )
    return built == fingerprint(standard)


def tally(unit: Unit, standard: Standard) -> Tally | None:
    """Count the rows of the unit's subtree by result, in one GROUP BY over the table alone
    (joining the households cost 0.8 s of 1.2 for a million), through the domain's Tally;
    None when a row was derived under another fingerprint (a process that still read an
    older standard file wrote it since the rebuild): the table does not answer then."""
    row = WhatIfClass
    results = (row.current, row.low, row.high, row.unknown)
    grouped = db.session.execute(
        db.select(row.fingerprint, *results, db.func.count())
        .where(row.standard == standard.code, in_subtree(unit, row.unit_id))
        .group_by(row.fingerprint, *results)
    )
    mark, found = fingerprint(standard), Tally()
    for derived_under, current, low, high, unknown, households in grouped:
        if derived_under != mark:
            return None
        found.add(_result(0, current, low, high, unknown), times=households)
    return found


def changes(unit: Unit, standard: Standard, limit: int | None = None) -> Iterator[tuple]:
    """The households of the unit's subtree whose class would (or might) change, in the
    order of their ids: (household id, code, head's name, unit code, the result), streamed."""
    row = WhatIfClass
    query = (
        db.select(
            row.household_id,
            Household.code,
            Household.head_name,
            Unit.code,
            row.current,
            row.low,
            row.high,
            row.unknown,
        )
        .join(Household, Household.id == row.household_id)
        .join(Unit, Unit.id == row.unit_id)
        .where(
            row.standard == standard.code,
            in_subtree(unit, row.unit_id),
            db.or_(row.low != row.current, row.high != row.current),
        )
        .order_by(row.household_id)
        .limit(limit)
        .execution_options(yield_per=CHUNK)
    )
    for household_id, code, head_name, unit_code, *result in db.session.execute(query):
        yield household_id, code, head_name, unit_code, _result(household_id, *result)


def _result(household_id: int, current: str, low: str, high: str, unknown: str) -> Reclassified:
    keys = tuple(unknown.split(SEPARATOR)) if unknown else ()
    return Reclassified(household_id, current, low, high, keys)
