"""Requests that only read (GET, HEAD, OPTIONS) write nothing, so PostgreSQL runs them in
autocommit, without BEGIN and ROLLBACK; writing requests keep their one transaction, and read
what they show after its commit in autocommit too."""

from __future__ import annotations

import re

import pytest
from flask import has_request_context, request
from sqlalchemy import select, text

from caseflow.extensions import db
from caseflow.models import User
from caseflow.services import households, read_outside_transaction, transaction
from tests.sql_support import sent
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


def in_requests(app, what):
    """Collect (method, what(connection, statement)) of the statements requests send."""
    return sent(
        app,
        lambda connection, statement: (
            (request.method, what(connection, statement)) if has_request_context() else None
        ),
    )


def a_household_with_a_past(api) -> int:
    household = api.register(head_name="Lò Văn Đọc")["id"]
    api.fire(household, "start_review", form="01")
    api.survey(household)
    return household


def test_requests_that_read_write_nothing(app, api, client):
    household = a_household_with_a_past(api)
    pages = Pages(client)
    pages.login("worker")
    with in_requests(app, lambda connection, statement: statement) as seen:
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

    def autocommit(connection, statement) -> tuple[bool, bool]:
        writes = WRITE.match(statement) is not None
        return writes, connection.connection.dbapi_connection.autocommit

    with in_requests(app, autocommit) as seen:  # (method, (writes, autocommit)) of each
        shown = api.get(f"/households/{household}")
        listed = api.get("/households?per_page=5")
        page = pages.get(f"/households/{household}")
        changed = api.patch(
            f"/households/{household}",
            {"phone": "0912 345 678", "version": shown.json["version"]},
        )
    statuses = (shown.status_code, listed.status_code, page.status_code, changed.status_code)
    assert statuses == (200, 200, 200, 200)
    assert {sent for method, sent in seen if method == "GET"} == {(False, True)}
    patched = [sent for method, sent in seen if method == "PATCH"]
    last_write = max(index for index, (writes, _) in enumerate(patched) if writes)
    # the caller, the household and its changes in one transaction; what is shown after it
    assert {autocommit for _, autocommit in patched[: last_write + 1]} == {False}
    assert {autocommit for _, autocommit in patched[last_write + 1 :]} == {True}
    assert household in [row["id"] for row in listed.json["items"]]
    assert api.get(f"/households/{household}").json["phone"] == "0912 345 678"


@pytest.mark.usefixtures("on_postgres", "committed")
def test_postgresql_connections_plan_without_jit(app):
    """Reports and rosters compile slower than they run with JIT; reads outside a transaction
    could not set it for themselves, so every connection has it."""
    with app.app_context():
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
        db.session.remove()


@pytest.mark.usefixtures("on_postgres", "committed")
def test_a_search_is_planned_for_its_words_and_a_household_by_id_from_its_prepared_plan(app, api):
    """psycopg prepares a statement after its fifth run on a connection, and PostgreSQL may
    then plan it once for all parameters: a phone searched after a common word read a
    million households. A list's statements are never prepared; a household by its id is,
    and its plan is not made again on every request."""
    household = api.register(head_name="Lò Văn Đọc", phone="0912 345 678")["id"]
    with app.app_context():
        worker = db.session.scalar(select(User).where(User.username == "worker"))
        for words in ("van", "doc", "0912345678", "van", "doc", "van", "doc", "0912345678"):
            assert household in [h.id for h in households.search(worker, q=words).items]
        for _ in range(7):
            assert households.shown(worker, household).id == household
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements"))
        prepared = list(prepared)
        db.session.remove()
    assert any("household.id =" in statement for statement in prepared), prepared
    assert [statement for statement in prepared if "household_search" in statement] == []


@pytest.mark.usefixtures("on_postgres", "committed")
def test_a_transaction_after_reads_outside_one_is_still_one_transaction(app):
    def autocommit(connection, statement) -> tuple[bool, bool]:
        return WRITE.match(statement) is not None, connection.connection.dbapi_connection.autocommit

    with app.test_request_context("/api/v1/households", method="POST"):
        with in_requests(app, autocommit) as seen:
            read_outside_transaction()
            db.session.execute(text("SELECT 1"))
            with transaction():
                db.session.execute(text("UPDATE unit SET name = name WHERE code = 'C1'"))
        db.session.remove()

    assert [sent for _, sent in seen] == [(False, True), (True, False)]
