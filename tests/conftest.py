"""Fixtures: an app on a real database (SQLite by default, PostgreSQL with
CASEFLOW_TEST_DATABASE_URL), the test world built once per session, and each test rolled back.

A test that asks for `world`, `api`, `ctx`, `client` or `clean` runs inside one outer
transaction on one connection: the services' commits release SAVEPOINTs within it, and the
whole test is rolled back at its end. A test whose writes other connections must see (threads,
a live server, another process) asks for `committed` instead: its writes are real, and the
tables are emptied and the world rebuilt after it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_sqlalchemy.session import Session
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
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _psycopg(database_url),
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1000",
            "CASEFLOW_SMTP_URL": None,
            "CASEFLOW_WEBHOOK_URL": None,
            # tests move the clock years ahead with the world's tokens in hand
            "CASEFLOW_TOKEN_DAYS": 36500,
        }
    )
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


@pytest.fixture(scope="session")
def built_world(app) -> World:
    """Units P (province) > C1, C2 (rural communes) > villages, W1 (urban ward); users.

    Built once, committed; `committed` tests rebuild it in place after they emptied the tables.
    """
    found = World()
    _rebuild(app, found)
    return found


def _rebuild(app, world: World) -> None:
    with app.app_context():
        _empty_tables()
        _forget_caches(app)
        built = build_world()
        db.session.remove()
    world.ids.clear(), world.tokens.clear()
    world.ids.update(built.ids), world.tokens.update(built.tokens)


def _forget_caches(app) -> None:
    app.extensions["caseflow.definitions"].deployed = False
    app.extensions["caseflow.definitions"].calendar = None


def _empty_tables():
    db.session.remove()
    with db.engine.begin() as connection:
        empty_all_tables(connection)  # history included: around the guard triggers


class _OnConnection(Session):
    """Flask-SQLAlchemy's session picks the app's engine by itself; this one keeps its bind."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind


@contextmanager
def rolled_back(app) -> Iterator[None]:
    """Run the block on one connection in one transaction, rolled back at the end.

    Every session of the block is bound to that connection and turns commit into the release
    of a SAVEPOINT, so services behave as on their own and leave nothing behind.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
    shared = db.session
    db.session = db._make_scoped_session(
        {"class_": _OnConnection, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = shared
        outer.rollback()
        connection.close()
        _forget_caches(app)


@pytest.fixture
def committed(app, built_world):
    """Writes really committed: for tests whose data another connection, thread or process
    must see (sweepers racing, a live server, kill -9). The world is rebuilt afterwards."""
    _forget_caches(app)
    yield app
    _rebuild(app, built_world)


@pytest.fixture
def clean(request, app, built_world):
    """The app, with the test's writes rolled back at its end (unless it asked for committed)."""
    if "committed" in request.fixturenames:
        yield app
        return
    _forget_caches(app)
    with rolled_back(app):
        yield app


@pytest.fixture
def ctx(clean):
    """An app context for tests that call services directly (not during HTTP requests)."""
    with clean.app_context():
        yield clean
        db.session.remove()


@pytest.fixture
def world(clean, built_world) -> World:
    """The ids and tokens of the test world's users."""
    return built_world


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
