"""Requests that only read (GET, HEAD, OPTIONS) write nothing, so PostgreSQL runs them in
autocommit, without BEGIN and ROLLBACK; writing requests keep their one transaction."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from flask import has_request_context, request
from sqlalchemy import event

from caseflow.extensions import db
from tests.web.conftest import Pages

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
API_PATHS = [
    "/households",
    "/households?q=lo",
    "/households/{id}",
    "/households/{id}/history",
    "/households/{id}/assessments",
    "/alerts",
    "/approvals",
    "/standards",
    "/reports/summary?unit=C1",
    "/reports/units?unit=C1",
    "/reports/flows?unit=C1",
    "/reports/what-if?unit=C1&standard=2027-2030",
    "/households/export?format=csv",
]
PAGES = ["/", "/households", "/households/{id}", "/approvals", "/alerts", "/reports/units"]


@contextmanager
def statements(app):
    """Collect (method, statement) of every statement run while serving a request."""
    seen: list[tuple[str, str]] = []
    with app.app_context():
        engine = db.engine

    def spy(conn, cursor, statement, params, context, executemany):
        if has_request_context():
            seen.append((request.method, statement))

    event.listen(engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", spy)


def a_household_with_a_past(api) -> int:
    household = api.register(head_name="Lò Văn Đọc")["id"]
    api.fire(household, "start_review", form="01")
    api.survey(household)
    return household


def test_requests_that_read_write_nothing(app, api, client):
    household = a_household_with_a_past(api)
    pages = Pages(client)
    pages.login("worker")
    with statements(app) as seen:
        for who in ("worker", "chair", "officer"):
            for path in API_PATHS:
                response = api.get(path.format(id=household), who=who)
                assert response.status_code == 200, (who, path, response.text[:300])
        for path in PAGES:
            assert pages.get(path.format(id=household)).status_code == 200, path
    reads = [statement for method, statement in seen if method == "GET"]
    assert reads, "the spy saw nothing"
    assert [s for s in reads if WRITE.match(s)] == []


@pytest.mark.usefixtures("on_postgres", "committed")
def test_postgresql_reads_without_a_transaction_and_writes_in_one(app, api, client):
    household = a_household_with_a_past(api)
    pages = Pages(client)
    pages.login("worker")
    seen: list[tuple[str, bool]] = []  # (method, autocommit) of each statement sent
    with app.app_context():
        engine = db.engine

    def spy(conn, cursor, statement, params, context, executemany):
        if has_request_context():
            seen.append((request.method, conn.connection.dbapi_connection.autocommit))

    event.listen(engine, "before_cursor_execute", spy)
    try:
        shown = api.get(f"/households/{household}")
        listed = api.get("/households?per_page=5")
        page = pages.get(f"/households/{household}")
        changed = api.patch(
            f"/households/{household}",
            {"phone": "0912 345 678", "version": shown.json["version"]},
        )
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    statuses = (shown.status_code, listed.status_code, page.status_code, changed.status_code)
    assert statuses == (200, 200, 200, 200)
    assert {autocommit for method, autocommit in seen if method == "GET"} == {True}
    assert {autocommit for method, autocommit in seen if method == "PATCH"} == {False}
    assert household in [row["id"] for row in listed.json["items"]]
    assert api.get(f"/households/{household}").json["phone"] == "0912 345 678"


@pytest.mark.usefixtures("on_postgres", "committed")
def test_postgresql_connections_plan_without_jit(app):
    """Reports and rosters compile slower than they run with JIT; reads outside a
    transaction could not turn it off for themselves, so every connection has it off."""
    with app.app_context():
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
        db.session.remove()
