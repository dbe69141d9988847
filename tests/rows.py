"""What generated tests check after each example: which tables gained or lost rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from caseflow.extensions import db

#: rows every request may write whatever its answer (a failed login is remembered)
BOOKKEEPING = {"login_attempt"}


def counts(app) -> dict[str, int]:
    with app.app_context():
        found = {
            table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }
        db.session.remove()
    return found


@contextmanager
def rows_written(app) -> Iterator[Callable[[], dict[str, int]]]:
    """Count every table's rows before and after the block; the difference, per table.

    The counts run in app contexts of their own, so that the requests of the block run as
    they would in production (a page request must not inherit a test's context and session).
    """
    before = counts(app)
    yield lambda: {name: n - before[name] for name, n in counts(app).items() if n != before[name]}
