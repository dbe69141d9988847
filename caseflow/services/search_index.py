"""The households' search index: one folded text per household, searched by trigrams.

Each household's text holds, folded (caseflow.domain.text.fold), its head's name, its
members' names, its code, its phone and its national ID number, beside the household's unit
(a household never changes unit), so that a caller's units are applied to the search without
reading households. PostgreSQL keeps it in the table `household_search` with a pg_trgm GIN
index and a btree index on (unit, household); SQLite in an FTS5 table of the same name with the
trigram tokenizer (the household's id is its rowid, the unit an UNINDEXED column). Both answer
`LIKE '%word%'` from the index for words of three characters or more, and by scanning the
index's table, not the households, for shorter ones. Every write that changes these facts
(registration, an edit, an import) calls `index_households` or `index_loaded` in its own
transaction, so the index never lags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, column, func, select, table

from caseflow.domain.search import document, indexed
from caseflow.extensions import db
from caseflow.models import Household, Member, Unit

TABLE = "household_search"
#: households written per statement when indexing many at once
CHUNK = 1000


def _index_table():
    key = "household_id" if _postgres() else "rowid"
    found = table(TABLE, column(key), column("unit_id"), column("text"))
    return found, found.c[key]


def matching(words: Sequence[str], units: Select | None = None) -> Select:
    """Return the ids of the households whose text holds every word, in the `units` (a
    query of unit ids and levels, read here) when given."""
    found, key = _index_table()
    query = select(key)
    walked = False
    if units is not None:
        rows = db.session.execute(units).all()
        query = query.where(found.c.unit_id.in_([row[0] for row in rows]))
        walked = _postgres() and all(row[1] in Unit.COMMUNE_LEVELS for row in rows)
    for word in words:
        if walked:
            # one commune's rows (thousands) are read faster than the trigram index finds a
            # common word among a province's; strpos keeps the planner off that index
            query = query.where(func.strpos(found.c.text, word) > 0)
        elif indexed(word):
            query = query.where(found.c.text.like(f"%{word}%"))
        else:
            # LIKE ... ESCAPE is filtered row by row, never handed to FTS5: SQLite 3.40's
            # trigram index crashes on a pattern under three characters beside a longer one
            query = query.where(found.c.text.contains(word, autoescape=True))
    return query


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def index_households(ids: Iterable[int]) -> None:
    """Write the search text of these households again, in the caller's transaction."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        _index_chunk(ids[start : start + CHUNK])


def index_loaded(households: Sequence[Household], *, new: bool = False) -> None:
    """Write the search text of households whose members are loaded, from what the session
    holds (no reading back); `new` households have no text to replace yet."""
    if not households:
        return
    found, key = _index_table()
    if not new:
        db.session.execute(found.delete().where(key.in_([h.id for h in households])))
    insert_texts(
        (
            h.id,
            h.unit_id,
            document(h.head_name, h.code, h.phone, h.national_id, [m.full_name for m in h.members]),
        )
        for h in households
    )


def insert_texts(entries: Iterable[tuple[int, int, str]]) -> None:
    """Insert the (household id, unit id, text) of households not in the index yet: the one
    way rows go into it."""
    found, key = _index_table()
    rows = [{key.name: id_, "unit_id": unit_id, "text": text} for id_, unit_id, text in entries]
    if rows:
        db.session.execute(found.insert(), rows)


def _index_chunk(ids: list[int]) -> None:
    names: dict[int, list[str]] = {i: [] for i in ids}
    for household_id, name in db.session.execute(
        select(Member.household_id, Member.full_name)
        .where(Member.household_id.in_(ids))
        .order_by(Member.id)
    ):
        names[household_id].append(name)
    rows = db.session.execute(
        select(
            Household.id,
            Household.unit_id,
            Household.head_name,
            Household.code,
            Household.phone,
            Household.national_id,
        ).where(Household.id.in_(ids))
    ).all()
    found, key = _index_table()
    db.session.execute(found.delete().where(key.in_(ids)))
    insert_texts((row.id, row.unit_id, document(*row[2:], names[row.id])) for row in rows)
