"""What an import remembers of its file's households while it reads the sheets after `Hộ`:
two temporary tables of the import's one transaction, so that memory does not grow with the
file (a dict of 100,000 households' codes, ids and identities is some 40 MB; these tables are
on the database's side, and go with the transaction or at its end).

`import_entry` holds each household of the file its rows are written to: its code in the file,
its row on `Hộ`, its id, whether the import made it, and what says it is the same household as
another (national ID; hash of unit, folded head name and village). `import_head` holds each
code's head's birth date from `Thành viên`: the head's, else the first member's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.extensions import db

CHUNK = 1000

_META = MetaData()
ENTRIES = Table(
    "import_entry",
    _META,
    Column("code", String, primary_key=True),
    Column("row", Integer, nullable=False),
    Column("household_id", Integer, nullable=False, index=True),
    Column("new", Boolean, nullable=False),
    Column("key", BigInteger, nullable=False),
    Column("national_id", String, index=True),
    prefixes=["TEMPORARY"],
)
HEADS = Table(
    "import_head",
    _META,
    Column("code", String, primary_key=True),
    Column("born", Date),
    Column("by_head", Boolean, nullable=False),
    prefixes=["TEMPORARY"],
)


class ImportIndex:
    """The file's households, kept in the import's transaction (see the module)."""

    def __init__(self) -> None:
        connection = db.session.connection()
        for table in (ENTRIES, HEADS):
            table.create(connection)

    def drop(self) -> None:
        """Drop the tables before the transaction commits (a rollback drops them too)."""
        connection = db.session.connection()
        for table in (ENTRIES, HEADS):
            table.drop(connection)

    def add(self, rows: list[dict]) -> None:
        """Remember households of the file: dicts of `import_entry`'s columns."""
        if rows:
            db.session.execute(ENTRIES.insert(), rows)

    def entries(self, codes: Iterable[str]) -> dict[str, tuple[int, int, bool]]:
        """Return (row, household id, new) of each of these codes the file has had."""
        found = db.select(ENTRIES.c.code, ENTRIES.c.row, ENTRIES.c.household_id, ENTRIES.c.new)
        found = found.where(ENTRIES.c.code.in_(set(codes)))
        return {code: (row, household, new) for code, row, household, new in _all(found)}

    def national_ids(self, ids: Iterable[str]) -> dict[str, int]:
        """Return the row of `Hộ` that had each of these national ID numbers."""
        found = db.select(ENTRIES.c.national_id, ENTRIES.c.row)
        return dict(_all(found.where(ENTRIES.c.national_id.in_(set(ids)))))

    def note_heads(self, heads: dict[str, tuple[date | None, bool]]) -> None:
        """Remember each code's head's birth date (born, read from the head's row): a later
        head's row replaces a first member's, nothing else replaces what is known."""
        if not heads:
            return
        rows = [{"code": c, "born": b, "by_head": h} for c, (b, h) in heads.items()]
        dialect = db.session.get_bind().dialect.name
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(HEADS)
        statement = insert.on_conflict_do_update(
            index_elements=[HEADS.c.code],
            set_={"born": insert.excluded.born, "by_head": True},
            where=insert.excluded.by_head & ~HEADS.c.by_head,
        )
        db.session.execute(statement, rows)

    def heads(self, codes: Iterable[str]) -> dict[str, date]:
        """Return the head's birth date of each of these codes that has one."""
        found = db.select(HEADS.c.code, HEADS.c.born).where(
            HEADS.c.code.in_(set(codes)), HEADS.c.born.is_not(None)
        )
        return dict(_all(found))

    def same_heads(self) -> Iterator[tuple[int, int]]:
        """Yield (row, first row) for each new household of the file whose head (birth date,
        folded name) and village are those of a new household on an earlier row."""
        found = (
            db.select(ENTRIES.c.row, ENTRIES.c.key, HEADS.c.born)
            .join(HEADS, HEADS.c.code == ENTRIES.c.code)
            .where(ENTRIES.c.new, HEADS.c.born.is_not(None))
            .order_by(ENTRIES.c.key, HEADS.c.born, ENTRIES.c.row)
        )
        first, last = 0, None
        for row, key, born in db.session.execute(found.execution_options(yield_per=CHUNK)):
            if (key, born) == last:
                yield row, first
            else:
                first, last = row, (key, born)

    def household_ids(self) -> Iterator[list[int]]:
        """Yield the ids of the households of the file, a chunk at a time."""
        after = 0
        while True:
            found = db.select(ENTRIES.c.household_id).where(ENTRIES.c.household_id > after)
            chunk = list(db.session.scalars(found.order_by(ENTRIES.c.household_id).limit(CHUNK)))
            if not chunk:
                return
            yield chunk
            after = chunk[-1]


def _all(query) -> list:
    return db.session.execute(query).all()
