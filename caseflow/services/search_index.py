"""The households' search index: one folded text per household, searched by trigrams.

Each household's text holds, folded (caseflow.domain.text.fold), its head's name, its
members' names, its code, its phone and its national ID number. PostgreSQL keeps it in the
table `household_search` with a pg_trgm GIN index; SQLite in an FTS5 table of the same name
with the trigram tokenizer (the household's id is its rowid). Both answer `LIKE '%word%'` from
the index for words of three characters or more, and by scanning the index's table, not the
households, for shorter ones. Every write that changes these facts (registration, an edit, an
import) calls `index_households` in its own transaction, so the index never lags.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, column, select, table

from caseflow.domain.search import document, indexed
from caseflow.extensions import db
from caseflow.models import Household, Member

TABLE = "household_search"
#: households written per statement when indexing many at once
CHUNK = 1000


def _index_table():
    key = "rowid" if db.session.get_bind().dialect.name == "sqlite" else "household_id"
    found = table(TABLE, column(key), column("text"))
    return found, found.c[key]


def matching(words: Sequence[str]) -> Select:
    """Return the ids of the households whose text holds every word."""
    found, key = _index_table()
    query = select(key)
    for word in words:
        if indexed(word):
            query = query.where(found.c.text.like(f"%{word}%"))
        else:
            # LIKE ... ESCAPE is filtered row by row, never handed to FTS5: SQLite 3.40's
            # trigram index crashes on a pattern under three characters beside a longer one
            query = query.where(found.c.text.contains(word, autoescape=True))
    return query


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
    db.session.execute(
        found.insert(),
        [
            {
                key.name: h.id,
                "text": document(
                    h.head_name, h.code, h.phone, h.national_id, [m.full_name for m in h.members]
                ),
            }
            for h in households
        ],
    )


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
            Household.head_name,
            Household.code,
            Household.phone,
            Household.national_id,
        ).where(Household.id.in_(ids))
    ).all()
    found, key = _index_table()
    db.session.execute(found.delete().where(key.in_(ids)))
    if rows:
        db.session.execute(
            found.insert(),
            [{key.name: row.id, "text": document(*row[1:], names[row.id])} for row in rows],
        )
