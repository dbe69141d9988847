"""Watching the SQL that a block of a test sends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from caseflow.extensions import db


@contextmanager
def sent(app, keep: Callable = lambda connection, statement: statement) -> Iterator[list]:
    """Collect `keep(connection, statement)` of every statement sent while the block runs
    (what it returns as None is left out)."""
    seen: list = []

    def spy(connection, cursor, statement, parameters, context, executemany):
        kept = keep(connection, statement)
        if kept is not None:
            seen.append(kept)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", spy)
