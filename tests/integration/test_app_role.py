"""`caseflow init-db --app-role NAME`: on PostgreSQL the application logs in as a role that
reads and writes rows but owns no table, so it cannot disable, drop or go around the triggers
that keep the history and the decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from caseflow import create_app
from caseflow.extensions import db
from tests.factories import Api, days_ago, posted

ROLE = "caseflow_store_app"
PASSWORD = "mật-khẩu-ứng-dụng"


def init_db(app, *args: str):
    return app.test_cli_runner().invoke(args=["init-db", *args])


def as_role(app, password: str = PASSWORD) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return url.set(username=ROLE, password=password).render_as_string(hide_password=False)


@pytest.fixture
def app_role(on_postgres, committed):
    """The application role, made by init-db; dropped again after the test."""
    result = init_db(committed, "--app-role", ROLE, "--app-password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert f"application role {ROLE} created" in result.output
    engine = create_engine(as_role(committed))
    yield engine
    engine.dispose()
    with committed.app_context(), db.engine.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {ROLE}"))
        connection.execute(text(f"DROP ROLE {ROLE}"))


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("statement", "because"),
    [
        ("ALTER TABLE event DISABLE TRIGGER ALL", "must be owner"),
        ("ALTER TABLE event DISABLE TRIGGER event_no_delete", "must be owner"),
        ("DROP TRIGGER event_no_delete ON event", "must be owner"),
        ("DROP TABLE event CASCADE", "must be owner"),
        ("ALTER TABLE approval DISABLE TRIGGER approval_decided_once", "must be owner"),
        ("SET session_replication_role = replica", "permission denied"),
        ("DELETE FROM event", "permission denied"),
        ("TRUNCATE event", "permission denied"),
        ("UPDATE event SET actor = 'someone else'", "permission denied"),
        ("DELETE FROM approval", "permission denied"),
        ("TRUNCATE approval CASCADE", "permission denied"),
        ("UPDATE alembic_version SET version_num = 'none'", "permission denied"),
    ],
)
def test_the_application_role_cannot_get_round_the_guards(app_role, statement, because):
    with app_role.connect() as connection, pytest.raises(DatabaseError, match=because):
        connection.execute(text(statement))


@pytest.mark.postgres_only
def test_the_application_works_as_the_application_role(app_role, committed, world):
    app = create_app({**committed.config, "SQLALCHEMY_DATABASE_URI": as_role(committed)})
    try:
        api = Api(app.test_client(), world)
        household = posted(api)
        requested = api.fire(household, "recognise", decided_on=days_ago(0))
        assert requested.status_code == 202, requested.json
        approval = requested.json["approval"]["id"]
        decided = api.post(f"/approvals/{approval}/approve", {"comment": "đồng ý"}, who="chair")
        assert decided.status_code == 200, decided.json
        assert api.get(f"/households/{household}").json["state"] == "recognised"
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.postgres_only
def test_init_db_again_updates_the_role_and_its_password(app_role, committed):
    result = init_db(committed, "--app-role", ROLE, "--app-password", "mật-khẩu-mới")
    assert result.exit_code == 0, result.output
    assert f"application role {ROLE} updated" in result.output
    engine = create_engine(as_role(committed, "mật-khẩu-mới"))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM event")).scalar() == 0
    finally:
        engine.dispose()


@pytest.mark.postgres_only
def test_the_owner_cannot_be_the_application_role(on_postgres, committed):
    with committed.app_context():
        owner = db.session.scalar(text("SELECT current_user"))
    result = init_db(committed, "--app-role", owner)
    assert result.exit_code == 1
    assert "must not own the tables" in result.output


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("attributes", "because"),
    [("SUPERUSER", "is a superuser"), ("IN ROLE {owner}", "nor act as their owner")],
)
def test_a_role_that_could_act_as_owner_is_refused(on_postgres, committed, attributes, because):
    with committed.app_context(), db.engine.begin() as connection:
        owner = connection.scalar(text("SELECT current_user"))
        connection.execute(text(f"CREATE ROLE {ROLE} LOGIN {attributes.format(owner=owner)}"))
    try:
        result = init_db(committed, "--app-role", ROLE)
        assert result.exit_code == 1
        assert because in result.output
    finally:
        with committed.app_context(), db.engine.begin() as connection:
            connection.execute(text(f"DROP ROLE {ROLE}"))


def test_an_application_role_needs_postgresql(app, committed):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            pytest.skip("SQLite has no roles; on PostgreSQL the role is made (tests above)")
    result = init_db(committed, "--app-role", ROLE)
    assert result.exit_code == 1
    assert "needs PostgreSQL" in result.output
