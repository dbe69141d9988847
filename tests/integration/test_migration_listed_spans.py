"""Upgrading to the listed spans derives them from the history already there (the same spans
as `caseflow report rebuild`); downgrading drops them. SQLite, and PostgreSQL when
CASEFLOW_TEST_DATABASE_URL names a server (database caseflow_spans_migration)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from caseflow.extensions import db
from caseflow.services import listed_spans
from tests.migration_support import database_at

BEFORE = "c7e2a9d4f1b8"
UNIT = "INSERT INTO unit (id, code, name, level, path) VALUES (1, 'C1', 'Xã', 'commune', '/1/')"
HOUSEHOLD = (
    "INSERT INTO household (id, code, head_name, search_name, unit_id, area, state, workflow, "
    "workflow_version, version, created_at, updated_at) VALUES (:id, :code, 'Hộ', 'ho', 1, "
    "'rural', 'registered', 'household_lifecycle', 1, 1, :at, :at)"
)
EVENT = (
    "INSERT INTO event (household_id, at, trigger, to_state, classification, unit_id, actor, "
    "data, workflow, workflow_version) VALUES (:household, :at, :trigger, 'x', :cls, 1, "
    "'test', '{}', 'household_lifecycle', 1)"
)
#: household 1: listed poor, off the list, back as near-poor; household 2: poor, still
HISTORY = [
    (1, 1, "register", None),
    (1, 2, "recognise", "poor"),
    (1, 3, "start_review", "poor"),
    (1, 4, "exit", None),
    (1, 5, "relapse", None),
    (1, 6, "recognise", "near_poor"),
    (2, 1, "register", None),
    (2, 2, "recognise", "poor"),
]


def day(n: int) -> datetime:
    return datetime(2025, 3, n, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    with database_at(request.param, BEFORE, "caseflow_spans_migration", tmp_path) as app:
        with db.engine.begin() as connection:
            connection.execute(text(UNIT))
            for household in (1, 2):
                connection.execute(
                    text(HOUSEHOLD),
                    {"id": household, "code": f"H{household}", "at": day(1).replace(tzinfo=None)},
                )
            for household, n, trigger, cls in HISTORY:
                at = (
                    day(n)
                    if connection.dialect.name == "postgresql"
                    else day(n).replace(tzinfo=None)
                )
                connection.execute(
                    text(EVENT), {"household": household, "at": at, "trigger": trigger, "cls": cls}
                )
        yield app


def spans() -> list[tuple]:
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT household_id, classification, since, until FROM report_listed_span "
                "ORDER BY household_id, since"
            )
        )
        return [(h, c, _day(s), _day(u)) for h, c, s, u in rows]


def _day(value) -> int | None:
    if value is None:
        return None
    return (value if isinstance(value, datetime) else datetime.fromisoformat(value)).day


def test_the_upgrade_derives_the_spans_from_the_history(old_database) -> None:
    upgrade()

    assert spans() == [(1, "poor", 2, 4), (1, "near_poor", 6, None), (2, "poor", 2, None)]


def test_the_upgrade_gives_the_spans_the_rebuild_gives(old_database) -> None:
    upgrade()
    migrated = spans()
    listed_spans.rebuild()
    db.session.commit()

    assert spans() == migrated


def test_the_downgrade_drops_the_spans(old_database) -> None:
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        assert "report_listed_span" not in db.inspect(connection).get_table_names()
