"""Upgrading to the what-if table makes it empty and marks no standard built (filling it needs
the standards' files and the domain's rule: `caseflow report rebuild` does it, and the what-if
streams the surveys until then); downgrading drops it. SQLite, and PostgreSQL when
CASEFLOW_TEST_DATABASE_URL names a server (database caseflow_whatif_migration)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from caseflow.extensions import db
from caseflow.models import WhatIfBuilt, WhatIfClass
from caseflow.services import whatif, whatif_table
from caseflow.services.definitions import standards
from tests.migration_support import database_at

BEFORE = "d1a5f3c8b2e7"
TABLES = ("report_whatif", "report_whatif_built")
UNIT = (
    "INSERT INTO unit (id, code, name, level, path, area) "
    "VALUES (1, 'C1', 'Xã', 'commune', '/1/', 'rural')"
)
HOUSEHOLD = (
    "INSERT INTO household (id, code, head_name, search_name, unit_id, area, state, workflow, "
    "workflow_version, version, created_at, updated_at) VALUES (:id, :code, 'Hộ', 'ho', 1, "
    "'rural', 'classified', 'household_lifecycle', 1, 1, :at, :at)"
)
SURVEY = (
    "INSERT INTO assessment (household_id, surveyed_on, standard, income_per_capita_month, "
    "deprivations, deprivation_count, classification, income_line, middle_line, area, "
    "created_at) VALUES (:household, '2026-10-01', '07/2021', :income, :deprivations, 0, "
    ":cls, 1500000, 2250000, :area, :at)"
)
NO_DEPRIVATIONS = (
    '{"employment": false, "dependants": false, "nutrition": false, "health_insurance": false, '
    '"adult_education": false, "child_schooling": false, "housing_quality": false, '
    '"housing_area": false, "water": false, "sanitation": false, "telecom": false, '
    '"information_access": false}'
)
#: household 1: two surveys, the later one better off; household 2: middle, no area of its own
SURVEYS = [
    (1, 1_200_000, "near_poor", "rural"),
    (1, 2_500_000, "better_off", "rural"),
    (2, 1_800_000, "middle", None),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    with database_at(request.param, BEFORE, "caseflow_whatif_migration", tmp_path) as app:
        at = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
        with db.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                at = at.replace(tzinfo=None)
            connection.execute(text(UNIT))
            for household in (1, 2):
                connection.execute(
                    text(HOUSEHOLD), {"id": household, "code": f"H{household}", "at": at}
                )
            for household, income, cls, area in SURVEYS:
                connection.execute(
                    text(SURVEY),
                    {
                        "household": household,
                        "income": income,
                        "deprivations": NO_DEPRIVATIONS,
                        "cls": cls,
                        "area": area,
                        "at": at,
                    },
                )
        yield app


def test_the_upgrade_makes_the_tables_empty_and_nothing_built(old_database) -> None:
    upgrade()

    assert db.session.scalar(db.select(db.func.count()).select_from(WhatIfClass)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(WhatIfBuilt)) == 0
    assert not any(whatif_table.usable(standard) for standard in standards())


def test_until_the_rebuild_the_what_if_reads_the_surveys_and_says_so(old_database) -> None:
    upgrade()
    streamed = whatif.what_if(None, "C1", "2027-2030")

    assert whatif_table.rebuild() == 2 * len(standards())
    stored = whatif.what_if(None, "C1", "2027-2030")

    assert [w["code"] for w in streamed.pop("warnings")] == ["whatif_not_built"]
    assert stored.pop("warnings") == []
    assert stored == streamed
    assert stored["current"] == {"poor": 0, "near_poor": 0, "middle": 1, "better_off": 1}


def test_the_downgrade_drops_the_tables(old_database) -> None:
    upgrade()
    downgrade(revision=BEFORE)
    with db.engine.connect() as connection:
        names = db.inspect(connection).get_table_names()
    assert not set(TABLES) & set(names)
