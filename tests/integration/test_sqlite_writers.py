"""Two writers on one SQLite file: a transaction that reads and then writes waits its turn
instead of being refused because another connection committed meanwhile.

Each writer reads the counter, lets the other start, then writes. Deferred transactions (what
GET requests begin) lose that race at once with "database is locked" (SQLite's busy snapshot,
which busy_timeout does not wait for); writing ones (any other method, the clock's firing)
begin IMMEDIATE and both land.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest

from caseflow import create_app
from caseflow.extensions import db
from caseflow.services import writing

WAIT = 0.5  # how long the first writer lets the second go ahead before writing itself


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/writers.sqlite", "SECRET_KEY": "t"}
    )
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (n INTEGER NOT NULL)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (0)")
    return app


def race(app, context) -> tuple[list[BaseException], int]:
    """Run the two writers, each in `context()`; return their errors and the final count."""
    first_read, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def add_one(first: bool) -> None:
        try:
            with context(), db.engine.connect() as connection, connection.begin():
                if not first:
                    first_read.wait(5)
                n = connection.exec_driver_sql("SELECT n FROM counter").scalar()
                if first:
                    first_read.set()
                    second_done.wait(WAIT)  # the second writes now, unless it must wait for us
                connection.exec_driver_sql(f"UPDATE counter SET n = {n + 1}")
            if not first:
                second_done.set()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            first_read.set()

    threads = [threading.Thread(target=add_one, args=(k == 0,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    with app.app_context(), db.engine.connect() as connection:
        return errors, connection.exec_driver_sql("SELECT n FROM counter").scalar()


def test_writing_requests_wait_for_each_other(sqlite_app):
    errors, count = race(sqlite_app, lambda: sqlite_app.test_request_context(method="POST"))
    assert errors == []
    assert count == 2  # each read the other's write: no update lost


@contextmanager
def background(app):
    """The clock's firing: no request, the transactions marked as writing ones."""
    with app.app_context(), writing():
        yield


def test_the_clocks_writing_waits_too(sqlite_app):
    errors, count = race(sqlite_app, lambda: background(sqlite_app))
    assert errors == []
    assert count == 2


def test_reads_stay_deferred_and_would_lose_that_race(sqlite_app):
    """The control: the same two writers as GET requests; the first is refused (and rolled
    back, so nothing is half written), which is why writing work does not begin deferred."""
    errors, count = race(sqlite_app, lambda: sqlite_app.test_request_context(method="GET"))
    assert len(errors) == 1
    assert "locked" in str(errors[0]).lower()
    assert count == 1
