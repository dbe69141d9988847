"""Rows picked by a list of ids, the list bound as one parameter on PostgreSQL.

SQLAlchemy's `column.in_(ids)` sends one parameter per id. psycopg parses such a statement
again every time (it keeps the parsing of statements of at most 50 parameters), and a bulk
move's chunk reads and updates by lists of 1,000 households. On PostgreSQL `among` binds the
list as one array (`column = ANY(:ids)`), a statement psycopg parses once and then prepares;
elsewhere (SQLite, which parses nothing again) it is the IN list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, bindparam

from caseflow.extensions import db

#: the name a statement built once (`per_database`) binds its ids under
IDS = "ids"


def among(column: ColumnElement, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column IN ids`, for a statement built now."""
    return _among(column, _postgres(), list(ids))


def per_database(build: Callable[[Callable], object]) -> Callable[[], object]:
    """Build a statement once for each database: `build(among)` picks its rows by the
    parameter IDS through the `among` it is given; the result returns the current database's."""
    built: dict[bool, object] = {}

    def statement():
        postgres = _postgres()
        if postgres not in built:
            built[postgres] = build(lambda column: _among(column, postgres, None))
        return built[postgres]

    return statement


def _among(column: ColumnElement, postgres: bool, ids: list[int] | None) -> ColumnElement[bool]:
    if postgres:
        return column == any_(bindparam(IDS if ids is None else None, ids, type_=ARRAY(Integer)))
    if ids is None:
        return column.in_(bindparam(IDS, expanding=True))
    return column.in_(ids)


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"
