"""What every benchmark starts from: an empty, migrated database with the workflows deployed."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from caseflow.extensions import db
from caseflow.services.definitions import deploy


def empty_database() -> None:
    """Drop what is there (PostgreSQL: the public schema), migrate, deploy; in an app context."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade()
    deploy()
