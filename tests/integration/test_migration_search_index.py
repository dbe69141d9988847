"""Upgrading to the search index fills it for the households already there; downgrading
drops it. SQLite here; PostgreSQL too when CASEFLOW_TEST_DATABASE_URL names a server (on a
database of its own, caseflow_lists_migration, made and dropped by the test)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from caseflow.extensions import db
from tests.migration_support import database_at

BEFORE = "7c3f1a9e2b64"
UNIT = "INSERT INTO unit (id, code, name, level, path) VALUES (1, 'C1', 'Xã', 'commune', '/1/')"
HOUSEHOLD = (
    "INSERT INTO household (id, code, head_name, search_name, unit_id, phone, national_id, "
    "area, state, workflow, workflow_version, version, created_at, updated_at) VALUES "
    "(:id, :code, :name, 'x', 1, :phone, :national_id, 'rural', 'registered', "
    "'household_lifecycle', 1, 1, :now, :now)"
)
MEMBER = "INSERT INTO member (household_id, full_name, disability) VALUES (:id, :name, false)"


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    """A database of its own, at the revision before the search index, with two households."""
    with database_at(request.param, BEFORE, "caseflow_lists_migration", tmp_path) as app:
        with db.engine.begin() as connection:
            connection.execute(text(UNIT))
            for id_, code, name, phone, national_id in (
                (1, "HH-1", "Nguyễn Thị Hoa", "0912 345 678", "001180012345"),
                (2, "HH-2", "Lê Văn Sơn", None, None),
            ):
                connection.execute(
                    text(HOUSEHOLD),
                    dict(
                        id=id_,
                        code=code,
                        name=name,
                        phone=phone,
                        national_id=national_id,
                        now="2026-01-01 00:00:00",
                    ),
                )
            connection.execute(text(MEMBER), {"id": 1, "name": "Trần Đức Bình"})
        yield app


def texts() -> dict[int, str]:
    key = "rowid" if db.engine.dialect.name == "sqlite" else "household_id"
    with db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT {key}, text FROM household_search"))
        return dict(rows.all())


def test_the_upgrade_indexes_the_households_already_there(old_database) -> None:
    upgrade()

    assert texts() == {
        1: "nguyen thi hoa | tran duc binh | hh-1 | 0912 345 678 | 001180012345 | 0912345678",
        2: "le van son | hh-2",
    }


def test_the_downgrade_drops_the_index_and_the_upgrade_makes_it_again(old_database) -> None:
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        names = db.inspect(connection).get_table_names()
    assert "household_search" not in names

    upgrade()

    assert set(texts()) == {1, 2}


def test_the_upgrade_gives_each_text_its_households_unit(old_database) -> None:
    upgrade()

    key = "rowid" if db.engine.dialect.name == "sqlite" else "household_id"
    with db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT {key}, unit_id FROM household_search"))
        assert dict(rows.all()) == {1: 1, 2: 1}
