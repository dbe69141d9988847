"""A fresh install: `caseflow init-db` builds the what-if's stored classes on its empty
database, so that they are followed from the first survey (the demo's), and says so once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.models import Assessment, Household, WhatIfClass
from caseflow.services import whatif_table
from caseflow.services.definitions import standards
from tests.migration_support import database_at


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request, tmp_path):
    with database_at(request.param, "base", "caseflow_whatif_install", tmp_path) as app:
        yield app


def invoke(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_init_db_builds_the_table_and_the_demo_is_followed_into_it(fresh) -> None:
    assert "what-if built: 0 rows" in invoke(fresh, "init-db")
    invoke(fresh, "demo")

    assert all(whatif_table.usable(standard) for standard in standards())
    surveyed = db.session.scalar(select(func.count(func.distinct(Assessment.household_id))))
    assert surveyed > 0
    stored = db.session.scalar(select(func.count()).select_from(WhatIfClass))
    assert stored == surveyed * len(standards())
    assert db.session.scalar(select(func.count(Household.id))) >= surveyed


def test_init_db_again_leaves_a_built_table_alone(fresh) -> None:
    invoke(fresh, "init-db")

    assert "what-if already built" in invoke(fresh, "init-db")
