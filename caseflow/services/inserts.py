"""Many rows inserted at once: by COPY on PostgreSQL, with their ids back where asked."""

from __future__ import annotations

from sqlalchemy import Table, func, insert, select, text

from caseflow.extensions import db

#: psycopg keeps the parsing of a statement of at most 50 parameters (its
#: MAX_CACHED_STATEMENT_PARAMS): so many are inserted with RETURNING, in one round trip
PARSED_ONCE = 50
#: from so many rows on, PostgreSQL takes them by COPY
COPIED = 100
_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"
)


def insert_rows(table: Table, rows: list[dict]) -> None:
    """Insert `rows` into `table` (every row with the same keys), as fast as the database takes
    them: by COPY on PostgreSQL from COPIED rows on, else by one executemany."""
    if not rows:
        return
    if not (_postgres() and len(rows) >= COPIED and _copy(table, rows)):
        db.session.execute(insert(table), rows)


def insert_ids(table: Table, rows: list[dict]) -> list[int]:
    """Insert `rows` into `table` (its key `id`) and return their ids, in the rows' order.

    On PostgreSQL the ids are drawn from the table's sequence first, in one statement, and the
    rows inserted with them by insert_rows. SQLAlchemy's RETURNING way sends pages of
    `INSERT ... VALUES (...), (...) ... RETURNING` of some 11,000 parameters each, which
    psycopg parses again for every page (it keeps the parsing of statements of at most 50
    parameters): 340 µs of CPU for each history event of a bulk review, against about 45 µs
    inserted by executemany. On SQLite the ids follow the table's greatest (its rowids, as
    SQLite gives them to a table without AUTOINCREMENT), and the rows go by one executemany:
    the RETURNING pages made and bound each statement anew (2.0 s of a 10,000-household
    import). That is safe as SQLite writes one transaction at a time: one begun IMMEDIATE
    holds the write lock before it reads the greatest id, and a deferred one that read it
    before another's commit cannot write after it (SQLITE_BUSY_SNAPSHOT), so no two take the
    same ids. Rows of at most PARSED_ONCE values in all (one move's, which psycopg parses
    once) go by one RETURNING statement, in one round trip.
    """
    if not rows:
        return []
    if len(rows) * len(rows[0]) <= PARSED_ONCE:  # one move's rows: one round trip
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(db.session.scalars(returning, rows))
    if _postgres():
        drawn = db.session.scalars(_NEXT_IDS, {"table": table.name, "count": len(rows)})
        ids = sorted(drawn)  # ascending, as the rows come: the history is read in id order
    else:
        first = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
    insert_rows(table, [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)])
    return ids


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _copy(table: Table, rows: list[dict]) -> bool:
    """COPY the rows into the table, as SQLAlchemy's insert would write them: each value
    through its column type's bind processing, a column the rows leave out given its default
    (False, nothing written, where a default is not a plain value or function of none).

    For the 1,000 events of a bulk review's chunk, COPY took about half the executemany's
    time (bench/bulk_review.py: 1.97 s against 3.09 s for the same plain rows)."""
    given = list(rows[0])
    defaults = {}
    for column in table.columns:
        if column.name in given or column.default is None:
            continue
        if column.default.is_scalar:
            defaults[column.name] = column.default.arg
        elif column.default.is_callable:
            defaults[column.name] = column.default.arg(None)  # SQLAlchemy's wrapper takes a context
        else:
            return False
    names = given + list(defaults)
    filled = list(defaults.values())
    dialect = db.session.get_bind().dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    processed = [(i, p) for i, p in enumerate(processors) if p is not None]
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {dialect.identifier_preparer.format_table(table)} ({quoted}) FROM STDIN"
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[name] for name in given] + filled
            for i, process in processed:
                values[i] = process(values[i])
            copy.write_row(values)
    return True
