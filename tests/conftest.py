"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with
CASEFLOW_TEST_DATABASE_URL), clean tables for every test, users of each role."""

from __future__ import annotations

import os
import tempfile

import pytest
from sqlalchemy import text

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models.append_only import empty_all_tables
from tests.factories import Api, World, build_world

DATABASE_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")


def pytest_report_header(config):
    return f"caseflow test database: {DATABASE_URL or 'SQLite file (default)'}"


@pytest.fixture(scope="session")
def database_url():
    if DATABASE_URL:
        yield DATABASE_URL
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/test.sqlite"


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _psycopg(database_url),
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True,
                      "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1000",
                      "CASEFLOW_SMTP_URL": None, "CASEFLOW_WEBHOOK_URL": None})
    with app.app_context():
        _fresh_schema()
        from flask_migrate import upgrade

        upgrade()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


def _psycopg(url: str) -> str:
    from caseflow.config import normalise_db_url

    return normalise_db_url(url)


def _fresh_schema():
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def clean(app):
    """Empty tables (history included) before and after each test."""
    with app.app_context():
        _empty_tables()
    app.extensions["caseflow.definitions"].deployed = False
    app.extensions["caseflow.definitions"].calendar = None
    yield app
    with app.app_context():
        _empty_tables()


@pytest.fixture
def committed(clean):
    """Tables emptied around the test, and every write really committed: for tests whose data
    another connection, thread or process must see (sweepers racing, a live server, kill -9)."""
    return clean


@pytest.fixture
def ctx(clean):
    """An app context for tests that call services directly (not during HTTP requests)."""
    with clean.app_context():
        yield clean
        db.session.remove()


def _empty_tables():
    db.session.remove()
    with db.engine.begin() as connection:
        empty_all_tables(connection)  # history included: around the guard triggers


@pytest.fixture
def world(clean) -> World:
    """Units P (province) > C1, C2 (rural communes) > villages, W1 (urban ward); users."""
    with clean.app_context():
        built = build_world()
        db.session.remove()
    return built


@pytest.fixture
def client(clean):
    return clean.test_client()


@pytest.fixture
def api(client, world) -> Api:
    return Api(client, world)


@pytest.fixture
def on_postgres(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        pytest.skip("needs PostgreSQL (run with CASEFLOW_TEST_DATABASE_URL=postgresql://...)")


@pytest.fixture
def machines_built(monkeypatch) -> list:
    """The transitions.Machine objects built during the test, from an empty cache."""
    import transitions

    from caseflow.domain.engine import machine_for

    built: list = []
    original = transitions.Machine.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    machine_for.cache_clear()
    monkeypatch.setattr(transitions.Machine, "__init__", counting)
    return built
