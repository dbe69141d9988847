"""Triggers that keep the history and the decisions, whoever sends the SQL.

A history event refuses UPDATE, DELETE and TRUNCATE. An approval request changes once: from
pending to its decision (approved, rejected or stale), with who decided and when in that same
UPDATE and what was asked left as it was; then it is frozen. No request is deleted or truncated.
The migration that installs the triggers uses this module, and so does `empty_all_tables`, the
test suite's way around them, which the application never calls.
"""

from __future__ import annotations

from sqlalchemy import Connection

from caseflow.extensions import db

EVENT_MESSAGE = "history events are append-only"
DECIDED_MESSAGE = "a decided approval cannot be changed"
DECIDING_MESSAGE = (
    "an approval request changes only by being decided, with who decided and "
    "when, and what was asked left as it was"
)
DELETE_MESSAGE = "approval requests cannot be deleted"

DECISIONS = ("approved", "rejected", "stale")
#: what the requester asked for, fixed when the request is made
REQUEST_COLUMNS = (
    "id",
    "household_id",
    "unit_id",
    "trigger",
    "data",
    "reason",
    "case_version",
    "approver_role",
    "requested_by_id",
    "requested_by",
    "requested_at",
)
_DECISIONS_SQL = ", ".join(f"'{status}'" for status in DECISIONS)


def _not_a_decision(differs: str, data: str) -> str:
    """The SQL condition an UPDATE of a pending request meets when it is not a plain decision."""
    changed = [
        differs.format(column=data if column == "data" else column) for column in REQUEST_COLUMNS
    ]
    return " OR ".join(
        [
            f"NEW.status NOT IN ({_DECISIONS_SQL})",
            "NEW.decided_by IS NULL",
            "NEW.decided_at IS NULL",
            *changed,
        ]
    )


def _abort(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


_SQLITE_NOT_A_DECISION = _not_a_decision("NEW.{column} IS NOT OLD.{column}", "data")
#: SQLite: name -> the trigger's definition after CREATE TRIGGER <name>
SQLITE_TRIGGERS = {
    "event_no_update": f"BEFORE UPDATE ON event {_abort(EVENT_MESSAGE)}",
    "event_no_delete": f"BEFORE DELETE ON event {_abort(EVENT_MESSAGE)}",
    "approval_decided_is_final": (
        f"BEFORE UPDATE ON approval WHEN OLD.status <> 'pending' {_abort(DECIDED_MESSAGE)}"
    ),
    "approval_decided_once": (
        f"BEFORE UPDATE ON approval WHEN OLD.status = 'pending' AND ({_SQLITE_NOT_A_DECISION}) "
        f"{_abort(DECIDING_MESSAGE)}"
    ),
    "approval_no_delete": f"BEFORE DELETE ON approval {_abort(DELETE_MESSAGE)}",
}


def _raise(message: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'"


#: PostgreSQL: the functions the triggers run
POSTGRESQL_FUNCTIONS = {
    "caseflow_event_append_only": f"BEGIN {_raise(EVENT_MESSAGE)}; END;",
    "caseflow_approval_decided_once": f"""BEGIN
        IF TG_OP <> 'UPDATE' THEN {_raise(DELETE_MESSAGE)}; END IF;
        IF OLD.status <> 'pending' THEN {_raise(DECIDED_MESSAGE)}; END IF;
        IF {_not_a_decision("NEW.{column} IS DISTINCT FROM OLD.{column}", "data::text")} THEN
            {_raise(DECIDING_MESSAGE)};
        END IF;
        RETURN NEW;
    END;""",
}
#: PostgreSQL: name -> (table, the trigger's definition after CREATE TRIGGER <name>)
POSTGRESQL_TRIGGERS = {
    "event_no_update": (
        "event",
        "BEFORE UPDATE ON event FOR EACH ROW EXECUTE FUNCTION caseflow_event_append_only()",
    ),
    "event_no_delete": (
        "event",
        "BEFORE DELETE ON event FOR EACH ROW EXECUTE FUNCTION caseflow_event_append_only()",
    ),
    "event_no_truncate": (
        "event",
        "BEFORE TRUNCATE ON event FOR EACH STATEMENT EXECUTE FUNCTION caseflow_event_append_only()",
    ),
    "approval_decided_once": (
        "approval",
        "BEFORE UPDATE OR DELETE ON approval FOR EACH ROW "
        "EXECUTE FUNCTION caseflow_approval_decided_once()",
    ),
    "approval_no_truncate": (
        "approval",
        "BEFORE TRUNCATE ON approval FOR EACH STATEMENT "
        "EXECUTE FUNCTION caseflow_approval_decided_once()",
    ),
}


def install(connection: Connection) -> None:
    """Create the guard triggers (and on PostgreSQL the functions they run)."""
    if connection.dialect.name == "postgresql":
        for name, body in POSTGRESQL_FUNCTIONS.items():
            connection.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
                f"AS $$ {body} $$ LANGUAGE plpgsql"
            )
        for name, (_, definition) in POSTGRESQL_TRIGGERS.items():
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {definition}")
    else:
        _create_sqlite_triggers(connection)


def uninstall(connection: Connection) -> None:
    """Drop the guard triggers and functions."""
    if connection.dialect.name == "postgresql":
        for name, (table, _) in POSTGRESQL_TRIGGERS.items():
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in POSTGRESQL_FUNCTIONS:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        _drop_sqlite_triggers(connection)


def empty_all_tables(connection: Connection) -> None:
    """Delete every row of every table, history included: for tests only, never the app.

    PostgreSQL: as a replica for this transaction, so that no user trigger fires (this needs a
    superuser, as the test database's is). SQLite: the guards are dropped and made again in
    the same transaction as the deletes.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        _delete_all_rows(connection)
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")  # pysqlite would run the DDL outside one
    _drop_sqlite_triggers(connection)
    _delete_all_rows(connection)
    _create_sqlite_triggers(connection)


def _delete_all_rows(connection: Connection) -> None:
    connection.exec_driver_sql("DELETE FROM household_search")  # the index: not a model
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(table.delete())


def _create_sqlite_triggers(connection: Connection) -> None:
    for name, definition in SQLITE_TRIGGERS.items():
        connection.exec_driver_sql(f"CREATE TRIGGER {name} {definition}")


def _drop_sqlite_triggers(connection: Connection) -> None:
    for name in SQLITE_TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
