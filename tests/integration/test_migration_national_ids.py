"""Upgrading to one household per national ID: blank numbers cleared, shared ones named."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from caseflow import create_app
from caseflow.extensions import db

BEFORE = "813f6a26cce5"
UNIT = "INSERT INTO unit (id, code, name, level, path) VALUES (1, 'C1', 'Xã', 'commune', '/1/')"
HOUSEHOLD = (
    "INSERT INTO household (head_name, search_name, unit_id, national_id, area, state, "
    "workflow, workflow_version, version, created_at, updated_at) VALUES ('Hoa', 'hoa', 1, "
    ":national_id, 'rural', 'registered', 'household_lifecycle', 1, 1, :now, :now)"
)


@pytest.fixture
def old_database(tmp_path):
    """A SQLite file of its own, at the revision before one household per national ID."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.sqlite",
        }
    )
    with app.app_context():
        upgrade(revision=BEFORE)
        yield app
        db.session.remove()
        db.engine.dispose()


def households_with(app, *numbers: str | None) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(UNIT))
        for number in numbers:
            connection.execute(
                text(HOUSEHOLD), {"national_id": number, "now": "2026-01-01 00:00:00"}
            )


def test_a_number_two_households_share_stops_the_upgrade_naming_it(old_database, capfd) -> None:
    households_with(old_database, "036085001234", "036085001234", "036085009999")

    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
        upgrade()

    printed = capfd.readouterr().err
    assert "036085001234 (2 households)" in printed and "036085009999" not in printed
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM household")).scalar() == 3


def test_blank_numbers_become_no_numbers_and_the_upgrade_goes_on(old_database) -> None:
    households_with(old_database, "", " ", None, "036085001234")

    upgrade()

    with db.engine.connect() as connection:
        numbers = connection.execute(text("SELECT national_id FROM household ORDER BY id"))
        assert [row[0] for row in numbers] == [None, None, None, "036085001234"]
