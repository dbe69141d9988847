"""caseflow: workflow and case management for Vietnam's household poverty programme."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from caseflow import clock
from caseflow.config import API_SETTINGS, from_environment, secret_key


def create_app(config: Mapping | None = None, *, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=instance_path,
        template_folder=os.path.join(os.path.dirname(__file__), "..", "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(API_SETTINGS)
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.config["SECRET_KEY"] = secret_key(app.config, app.instance_path)
    if app.config["CASEFLOW_PROXIES"]:
        # the client's address (login throttling) from the last N X-Forwarded-For entries
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["CASEFLOW_PROXIES"])
    app.url_map.converters["int"] = RowId
    _init_extensions(app)
    _register(app)
    if app.config["CASEFLOW_SCHEDULER"]:
        from caseflow.scheduler import start_with_dev_server

        start_with_dev_server(app)
    return app


class RowId(IntegerConverter):
    """`<int:...>` in every route: a number too large for any row becomes 0, which no row has.

    The lookup then answers 404 as for any unknown id, instead of the database refusing the
    number (a 500). Refusing it in the route instead would make werkzeug answer 405 where a
    path has one rule per method.
    """

    LARGEST = 2_147_483_647

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= self.LARGEST else 0


def _init_extensions(app: Flask) -> None:
    from caseflow import models  # noqa: F401  (tables must be known to migrations)
    from caseflow.extensions import api, babel, csrf, db, login, migrate
    from caseflow.limits import init_app as limit_bodies
    from caseflow.services.definitions import Definitions

    limit_bodies(app)  # first: CSRF reads the body in its own hook
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    login.init_app(app)
    babel.init_app(
        app,
        default_locale="vi",
        locale_selector=_locale,
        default_timezone=app.config["CASEFLOW_TIMEZONE"],
    )
    clock.use_business_timezone(app.config["CASEFLOW_TIMEZONE"])
    csrf.init_app(app)
    api.init_app(app)
    app.extensions["caseflow.definitions"] = Definitions.load(app.config["CASEFLOW_WORKFLOWS"])
    _configure_sqlite(app, db)
    _configure_postgresql(app, db)


def _locale() -> str:
    """Pages speak Vietnamese until the user switches; the API speaks the language a client
    asks for with Accept-Language, else the messages' own English."""
    from flask import session

    from caseflow.api.base import is_api_request

    if is_api_request():
        return request.accept_languages.best_match(["vi", "en"]) or "en"
    return session.get("lang") or "vi"


def _configure_sqlite(app: Flask, db) -> None:
    """Wait for a busy SQLite file instead of failing, enforce foreign keys, and let SQLAlchemy
    begin transactions itself.

    Python's sqlite3 module begins a transaction only before a write, so the reads before it
    see no consistent snapshot and SAVEPOINTs misbehave; SQLAlchemy's documented recipe turns
    that off and emits BEGIN when a transaction starts.

    A transaction that will write begins IMMEDIATE, taking the write lock first: a deferred
    one that read and then writes after another connection's commit is refused at once (its
    snapshot is stale: SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait for), where an
    immediate one waits its turn. Reads (GET) stay deferred and run beside the writer (WAL).
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from caseflow.services import will_write

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(connection, record):
            connection.isolation_level = None
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.close()

        @event.listens_for(db.engine, "begin")
        def _on_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE" if will_write() else "BEGIN")


def _configure_postgresql(app: Flask, db) -> None:
    """No JIT on caseflow's connections: its queries are short or, for reports and rosters,
    estimated large by correlated look-ups, and compiling them cost several times running them
    (3.0 s against 0.4 s for a round of 10,000 households).

    And the statements of long lists and searches (marked `PLAN_FOR_VALUES`) are never
    prepared, so that PostgreSQL plans each for its own parameters: psycopg prepares a
    statement after its fifth run on a connection, and PostgreSQL then plans a prepared
    statement once for all parameters when that plan seems as cheap; one list statement
    serves a commune's worker and the province's officer, a common word and a phone number,
    and the plan made for one is not the other's (at 1,000,000 households a phone searched
    after a common word took 2.2 s instead of 20 ms). Every other statement (a household by
    its id, the caller by the token, the writes) keeps its prepared plan: planning each of
    them again for its values had cost a GET household half its rate under gunicorn (632
    against 1,219 req/s)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    from sqlalchemy import event

    from caseflow.extensions import PLAN_FOR_VALUES

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(connection, record):
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            connection.commit()

        @event.listens_for(db.engine, "do_execute")
        def _do_execute(cursor, statement, parameters, context):
            if not context.execution_options.get(PLAN_FOR_VALUES):
                return False  # the dialect executes it, prepared after its fifth run
            cursor.execute(statement, parameters, prepare=False)
            return True


def _register(app: Flask) -> None:
    from caseflow import api as api_package
    from caseflow import cli, web
    from caseflow.api.auth import require_token
    from caseflow.domain.errors import DomainError
    from caseflow.extensions import login
    from caseflow.web.errors import domain_error

    app.before_request(_read_without_transaction)  # first: before anything reads
    api_package.register(app)
    web.register(app)
    login.request_loader(_user_from_bearer)
    login.user_loader(_user_from_session)
    app.before_request(lambda: require_token() if _needs_token() else None)
    app.register_error_handler(DomainError, domain_error)
    cli.register(app)


def _read_without_transaction() -> None:
    """PostgreSQL: a request that only reads (GET, HEAD, OPTIONS) runs each statement on its
    own, in autocommit (services.read_outside_transaction): no BEGIN and ROLLBACK, two round
    trips of a household GET's four. Its reads are each consistent; none of them writes
    (tests/api/test_read_requests.py)."""
    from caseflow.extensions import db
    from caseflow.services import SAFE_METHODS, read_outside_transaction

    if request.method in SAFE_METHODS and db.engine.dialect.name == "postgresql":
        read_outside_transaction()


def _needs_token() -> bool:
    from caseflow.api.base import is_api_request

    return is_api_request() and not request.path.endswith("/openapi.json")


def _user_from_bearer(req):
    from caseflow.api.auth import bearer_token
    from caseflow.services.users import user_for_token

    token = bearer_token() if _needs_token() else None
    return user_for_token(token) if token else None


def _user_from_session(user_id: str):
    """The pages' logged-in user, while the session they logged in with is live on the server;
    the API (exempt from CSRF) knows only bearer tokens."""
    from flask import session

    from caseflow.api.base import is_api_request
    from caseflow.services.logins import user_for_session
    from caseflow.web.auth import SESSION_TOKEN

    if is_api_request() or not user_id.isdigit():
        return None
    return user_for_session(int(user_id), session.get(SESSION_TOKEN))
