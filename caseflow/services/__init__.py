"""Use cases: the only code that commits. One public function is one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from caseflow.domain.errors import N_, Conflict, StaleVersion
from caseflow.extensions import db

#: set while background work that writes runs (the clock's firing), outside any request
_WRITING: ContextVar[bool] = ContextVar("caseflow_writing", default=False)
#: set while a read outside any transaction begins (read_outside_transaction)
_READING: ContextVar[bool] = ContextVar("caseflow_reading", default=False)
#: the session's info key of the transaction read_outside_transaction began
_READ_OUTSIDE = "caseflow.read_outside_transaction"
#: the methods that only read
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def will_write() -> bool:
    """Tell whether the transaction about to begin belongs to work that writes: a request
    other than GET/HEAD/OPTIONS, or a block under `writing()` (SQLite begins it IMMEDIATE)."""
    if _READING.get():
        return False
    if _WRITING.get():
        return True
    return has_request_context() and request.method not in SAFE_METHODS


@contextmanager
def writing() -> Iterator[None]:
    """Mark the transactions begun in the block as writing ones (see `will_write`)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def read_outside_transaction() -> None:
    """Let what the session reads next run outside a transaction: on PostgreSQL each statement
    on its own, in autocommit (no BEGIN and ROLLBACK, two round trips; and psycopg's ROLLBACK
    drops every statement it had prepared on the connection), on SQLite in a deferred
    transaction that does not take the write lock.

    For a request that only reads, and for what a writing one shows after its commit. Under
    READ COMMITTED each statement sees its own snapshot either way. A `transaction()` begun
    afterwards ends these reads first. Nothing outside a request (commands and background
    work keep their transactions), nor when the session is in a transaction already (a
    test's held connection).
    """
    if not has_request_context():
        return
    session = db.session()
    if session.in_transaction() or not isinstance(session.get_bind(), Engine):
        return
    token = _READING.set(True)
    try:
        if db.engine.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:
            session.connection()
    finally:
        _READING.reset(token)
    session.info[_READ_OUTSIDE] = session.get_transaction()


def _end_reads_outside_transaction() -> None:
    """End the reads of read_outside_transaction, so that the block that follows is one
    transaction (in autocommit each of its statements would commit on its own)."""
    session = db.session()
    began = session.info.pop(_READ_OUTSIDE, None)
    if began is not None and began is session.get_transaction():
        session.rollback()  # sends nothing in autocommit; what was read is read again


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll all of it back; lost races become 409s."""
    _end_reads_outside_transaction()
    try:
        yield
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise StaleVersion(
            N_("The household was changed by someone else meanwhile; reload it and try again.")
        ) from error
    except (IntegrityError, OperationalError) as error:
        db.session.rollback()
        refusal = lost_race(error)
        if refusal is None:
            raise
        raise refusal from error
    except BaseException:
        db.session.rollback()
        raise


def raced(error: Conflict) -> bool:
    """Tell whether a conflict came from the database (a unique key, a lost race), so that
    the caller may look for what the other transaction wrote."""
    return isinstance(error.__cause__, IntegrityError | OperationalError)


#: PostgreSQL's serialization failure and deadlock: the other transaction won
RACE_SQLSTATES = ("40001", "40P01")


#: what a transaction that lost a race to a unique key is told, unless its caller says better
MEANWHILE = N_(
    "This conflicts with a change made meanwhile (for example a request already pending); "
    "reload and try again."
)


def lost_race(error: Exception, meanwhile: str = MEANWHILE) -> Conflict | None:
    """The 409 for a database error that a concurrent change caused (a unique key taken
    meanwhile: `meanwhile`; a serialization failure, a deadlock, SQLite locked), or None."""
    if isinstance(error, IntegrityError):
        return Conflict(meanwhile)
    if isinstance(error, OperationalError) and _lost_race(error):
        return Conflict(N_("The database was busy with another change to this record; try again."))
    return None


def _lost_race(error: OperationalError) -> bool:
    """Tell whether the database refused because a concurrent change won (SQLite: locked)."""
    return (
        getattr(error.orig, "sqlstate", None) in RACE_SQLSTATES
        or "locked" in str(error.orig).lower()
    )
