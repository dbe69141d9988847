"""A database of its own for a migration's test, at the revision before the migration: SQLite
in a temporary directory, or PostgreSQL when CASEFLOW_TEST_DATABASE_URL names a server (a
database made and dropped by the test, never the suite's own)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from caseflow import create_app
from caseflow.config import normalise_db_url
from caseflow.extensions import db


def _server() -> str | None:
    given = os.environ.get("CASEFLOW_TEST_DATABASE_URL")
    if not given or not given.startswith("postgresql"):
        return None
    return normalise_db_url(given).rsplit("/", 1)[0]


def _fresh(server: str, name: str, make: bool) -> None:
    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        if make:
            connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()


@contextmanager
def database_at(kind: str, revision: str, name: str, tmp_path) -> Iterator[Flask]:
    """An app on a database of its own (`kind` "sqlite" or "postgresql", named `name`),
    migrated up to `revision`, inside its app context."""
    server = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path}/{name}.sqlite"
    elif (server := _server()) is not None:
        _fresh(server, name, make=True)
        url = f"{server}/{name}"
    else:
        pytest.skip("needs PostgreSQL (run with CASEFLOW_TEST_DATABASE_URL=postgresql://...)")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade(revision=revision)
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if server is not None:
            _fresh(server, name, make=False)
