"""What an import remembers of its file's households while it reads the sheets after `Hộ`:
two temporary tables of the import's one transaction, so that memory does not grow with the
file (a dict of 100,000 households' codes, ids and identities is some 40 MB; these tables are
on the database's side, and go with the transaction or at its end).

`import_entry` holds each household of the file its rows are written to: its code in the file,
its row on `Hộ`, its id, whether the import made it, and what says it is the same household as
another (national ID; hash of unit, folded head name and village). `import_head` holds each
code's head's birth date from `Thành viên`: the head's, else the first member's. A household
registered before that a row updates waits in `import_update` with that row's facts, and its
members' rows in `import_update_member`, to be compared once `Thành viên` is read: pickled,
since these are values this process wrote a moment before in its own transaction (dates and
all), never anything read from outside.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    text,
)
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
UPDATES = Table(
    "import_update",
    _META,
    Column("household_id", Integer, primary_key=True),
    Column("row", Integer, nullable=False),
    Column("fields", LargeBinary, nullable=False),
    prefixes=["TEMPORARY"],
)
UPDATE_MEMBERS = Table(
    "import_update_member",
    _META,
    Column("id", Integer, primary_key=True),
    Column("household_id", Integer, nullable=False, index=True),
    Column("member", LargeBinary, nullable=False),
    prefixes=["TEMPORARY"],
)
TABLES = (ENTRIES, HEADS, UPDATES, UPDATE_MEMBERS)


class ImportIndex:
    """The file's households, kept in the import's transaction (see the module)."""

    def __init__(self) -> None:
        connection = db.session.connection()
        for table in TABLES:
            table.create(connection)

    def drop(self) -> None:
        """Drop the tables before the transaction commits (a rollback drops them too)."""
        connection = db.session.connection()
        for table in TABLES:
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

    def claimed(self, household_ids: Iterable[int]) -> dict[int, int]:
        """Return the row of `Hộ` that each of these registered households was found on."""
        found = db.select(UPDATES.c.household_id, UPDATES.c.row)
        return dict(_all(found.where(UPDATES.c.household_id.in_(set(household_ids)))))

    def hold_updates(self, updates: list[tuple[int, int, dict]]) -> None:
        """Keep (household id, row, facts) of registered households rows update."""
        if updates:
            rows = [{"household_id": h, "row": r, "fields": pickle.dumps(f)} for h, r, f in updates]
            db.session.execute(UPDATES.insert(), rows)

    def hold_members(self, members: list[tuple[int, dict]]) -> None:
        """Keep (household id, member) of the members' rows of those households, in order."""
        if members:
            rows = [{"household_id": h, "member": pickle.dumps(m)} for h, m in members]
            db.session.execute(UPDATE_MEMBERS.insert(), rows)

    def updates(self) -> Iterator[list[tuple[int, int, dict, list[dict]]]]:
        """Yield the held updates a chunk at a time: (household id, row, facts, members)."""
        after = 0
        while True:
            found = db.select(UPDATES).where(UPDATES.c.household_id > after)
            chunk = _all(found.order_by(UPDATES.c.household_id).limit(CHUNK))
            if not chunk:
                return
            members: dict[int, list[dict]] = {row.household_id: [] for row in chunk}
            held = db.select(UPDATE_MEMBERS.c.household_id, UPDATE_MEMBERS.c.member)
            held = held.where(UPDATE_MEMBERS.c.household_id.in_(members))
            for household_id, member in _all(held.order_by(UPDATE_MEMBERS.c.id)):
                members[household_id].append(pickle.loads(member))
            yield [
                (r.household_id, r.row, pickle.loads(r.fields), members[r.household_id])
                for r in chunk
            ]
            after = chunk[-1].household_id

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


#: the tables an import writes and reads back while it writes
WRITTEN = ("household", "member", "assessment", "event", "deadline")


class Statistics:
    """PostgreSQL plans each statement by the statistics of the tables as last analysed, and
    no autovacuum sees the rows of a transaction not yet committed: an import into a commune
    with few households, 1,000 rows at a time, had its look-ups planned as if the tables were
    as small as they were before it, and each chunk read whole indexes (100,000 households:
    338 s). The import analyses the tables it writes itself (ANALYZE counts the rows of its
    own transaction) each time what it has written of a sheet doubles: 7 times for 100,000
    households, 9 for their 350,000 members, 7 for their surveys.
    A role that does not own the tables gets PostgreSQL's warning, and the old plans."""

    def __init__(self) -> None:
        self.postgresql = db.session.get_bind().dialect.name == "postgresql"
        self.analysed: dict[str, int] = {}

    def grew(self, sheet: str, written: int) -> None:
        """Say how many rows of `sheet` the import has written so far."""
        if self.postgresql and written >= 2 * self.analysed.get(sheet, CHUNK // 2):
            for table in WRITTEN:
                db.session.execute(text(f"ANALYZE {table}"))
            self.analysed[sheet] = written


def _all(query) -> list:
    return db.session.execute(query).all()
