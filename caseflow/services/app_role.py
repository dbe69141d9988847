"""The PostgreSQL role the application logs in as: it reads and writes rows, and owns nothing.

Only a table's owner (or a superuser) may disable or drop its triggers, so the application,
logged in as this role, cannot go around the guards that keep the history and the decisions
(models/append_only.py). `caseflow init-db --app-role NAME` runs this as the owner.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from caseflow.domain.errors import N_, InvalidInput
from caseflow.extensions import db
from caseflow.services import transaction

#: a plain PostgreSQL identifier, so that it needs no quoting
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
#: rows the application never changes or removes, beyond what the triggers refuse
REVOKED = {
    "event": "UPDATE, DELETE, TRUNCATE",
    "approval": "DELETE, TRUNCATE",
    "alembic_version": "INSERT, UPDATE, DELETE, TRUNCATE",
}


def set_up(role: str, password: str | None = None) -> str:
    """Create or update `role` as the application's login; return "created" or "updated"."""
    with transaction():
        _check(role)
        exists = _exists(role)
        _login(role, password, exists)
        _grant(role, db.session.scalar(text("SELECT current_schema()")))
    return "updated" if exists else "created"


def _check(role: str) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        raise InvalidInput(N_("An application role needs PostgreSQL; SQLite has no roles."))
    if not ROLE_NAME.fullmatch(role):
        raise InvalidInput(
            N_("'%(role)s' is not a plain role name (lower-case letters, digits and _)."),
            params={"role": role},
        )
    owner = db.session.scalar(text("SELECT current_user"))
    superuser = db.session.scalar(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}
    )
    if superuser and role != owner:
        raise InvalidInput(
            N_("%(role)s is a superuser, which no trigger stops: choose another name."),
            params={"role": role},
        )
    if role == owner or _owns_tables(role) or _is_member_of(role, owner):
        raise InvalidInput(
            N_(
                "The application role must not own the tables, nor act as "
                "their owner %(owner)s: choose another name."
            ),
            params={"owner": owner},
        )


def _exists(role: str) -> bool:
    return (
        db.session.scalar(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :role"), {"role": role}
        )
        > 0
    )


def _owns_tables(role: str) -> bool:
    return (
        db.session.scalar(
            text(
                "SELECT count(*) FROM pg_class "
                "JOIN pg_roles ON pg_roles.oid = pg_class.relowner WHERE pg_roles.rolname = :role "
                "AND pg_class.relnamespace = current_schema()::regnamespace"
            ),
            {"role": role},
        )
        > 0
    )


def _is_member_of(role: str, owner: str) -> bool:
    return _exists(role) and db.session.scalar(
        text("SELECT pg_has_role(:role, :owner, 'MEMBER')"), {"role": role, "owner": owner}
    )


def _login(role: str, password: str | None, exists: bool) -> None:
    # utility statements take no parameters: the server quotes the name and password itself
    statement = db.session.scalar(
        text(
            "SELECT format('%s ROLE %I LOGIN', CAST(:verb AS text), CAST(:role AS text)) "
            "|| coalesce(' PASSWORD ' || quote_literal(CAST(:password AS text)), '')"
        ),
        {"verb": "ALTER" if exists else "CREATE", "role": role, "password": password},
    )
    _execute(statement)


def _grant(role: str, schema: str) -> None:
    for statement in (
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
        *(
            f'REVOKE {rights} ON "{schema}"."{table}" FROM "{role}"'
            for table, rights in REVOKED.items()
        ),
    ):
        _execute(statement)


def _execute(statement: str) -> None:
    db.session.connection().exec_driver_sql(statement)
