"""The sweep with 1,000,000 pending deadlines: a sweep that finds nothing due, and firing 100,000
due reminders (time, and peak memory at 10,000 and at 100,000). Not a test; it prints figures.

    python bench/sweep_bench.py --db sqlite:////tmp/sweep_bench.sqlite
    python bench/sweep_bench.py --db postgresql://postgres@127.0.0.1/sweep_bench

The database is emptied and rebuilt (PostgreSQL: the database must exist; its public schema is
dropped). Each household is posted and has one pending `posting_end` reminder, so the rows are
what a province with that many households on a list would hold.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.services import deadlines  # noqa: E402

#: when the bench's sweeps run; the pending deadlines fall due from FUTURE on
NOW = datetime(2027, 6, 1, 3, tzinfo=UTC)
FUTURE = datetime(2028, 1, 1, tzinfo=UTC)
PAST = datetime(2027, 1, 1, tzinfo=UTC)


def build(app, rows: int) -> None:
    """Fresh schema, one commune, `rows` posted households each with one pending deadline."""

    from caseflow.services import units

    with app.app_context():
        empty_database()
        units.load([{"code": "B", "name": "Xã Bench", "level": "commune", "area": "rural"}])
        unit_id = db.session.scalar(text("SELECT id FROM unit WHERE code = 'B'"))
        started = time.perf_counter()
        for statement in insert_statements(db.engine.dialect.name, rows, unit_id):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(
            f"built {rows:,} households and pending deadlines in "
            f"{time.perf_counter() - started:.1f} s"
        )


def insert_statements(dialect: str, rows: int, unit_id: int) -> list[str]:
    if dialect == "postgresql":
        series = f"generate_series(1, {rows}) AS n"
        due = f"TIMESTAMPTZ '{FUTURE.isoformat()}' + n * INTERVAL '1 second'"
        stamp = "now()"
        code = "'BENCH-' || n"
    else:
        series = (
            f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s "
            f"WHERE n < {rows}) SELECT n FROM s)"
        )
        due = f"datetime('{FUTURE:%Y-%m-%d %H:%M:%S}', '+' || n || ' seconds') || '.000000'"
        stamp = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"
        code = "'BENCH-' || n"
    return [
        f"INSERT INTO household (id, code, head_name, search_name, unit_id, area, state, "
        f"workflow, workflow_version, version, created_at, updated_at) "
        f"SELECT n, {code}, 'Hộ ' || n, 'ho ' || n, {unit_id}, 'rural', 'posted', "
        f"'household_lifecycle', 1, 1, {stamp}, {stamp} FROM {series}",
        f"INSERT INTO deadline (household_id, key, timer, kind, due_at, state, until_states, "
        f"status, attempts, created_at) "
        f"SELECT n, 'posting_end', 'posting_end', 'remind', {due}, 'posted', '', 'pending', 0, "
        f"{stamp} FROM {series}",
    ] + (
        ["SELECT setval('household_id_seq', (SELECT max(id) FROM household))"]
        if dialect == "postgresql"
        else []
    )


def nothing_due(app, runs: int = 30) -> None:
    """Time sweeps that find nothing due; print the plans of the statements they ran."""
    with app.app_context():
        deadlines.sweep(NOW)  # warm: definitions, calendar, connection pool
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = deadlines.sweep(NOW)
            timings.append((time.perf_counter() - started) * 1000)
            assert result.fired == 0, result
        print(
            f"sweep finding nothing due: median {statistics.median(timings):.2f} ms, "
            f"min {min(timings):.2f} ms, max {max(timings):.2f} ms ({runs} sweeps)"
        )
        for statement, parameters in statements_of(lambda: deadlines.sweep(NOW)):
            print_plan(statement, parameters)


def statements_of(work) -> list[tuple[str, object]]:
    """Return the claim statements (UPDATE deadline ... / UPDATE outbox ...) `work` ran."""
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("UPDATE", "WITH")):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return seen


def print_plan(statement: str, parameters) -> None:
    postgres = db.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(prefix + statement, parameters)
        plan = [" | ".join(str(c) for c in row) for row in cursor.fetchall()]
        raw.rollback()
    finally:
        raw.close()
    print("\n  " + " ".join(statement.split())[:160] + " ...")
    for line in plan:
        print("    " + line)


def fire(app, count: int, checkpoints: list[int], trace: bool) -> None:
    """Make `count` deadlines due, fire them; time and peak memory at each checkpoint."""
    with app.app_context():
        db.session.execute(
            text("UPDATE deadline SET due_at = :past WHERE household_id <= :count").bindparams(
                past=PAST
                if db.engine.dialect.name == "postgresql"
                else f"{PAST:%Y-%m-%d %H:%M:%S}.000000",
                count=count,
            )
        )
        db.session.commit()
        if trace:
            tracemalloc.start()
        fired, elapsed = 0, 0.0
        for checkpoint in checkpoints:
            started = time.perf_counter()
            fired += deadlines.sweep(NOW, limit=checkpoint - fired).fired
            elapsed += time.perf_counter() - started
            peak = (
                f", tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB"
                if trace
                else ""
            )
            print(
                f"fired {fired:,} due reminders in {elapsed:.1f} s ({fired / elapsed:,.0f}/s); "
                f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
                f"{peak}"
            )
        alerts = db.session.scalar(text("SELECT count(*) FROM alert"))
        print(f"alerts raised: {alerts:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/sweep_bench.sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fire", type=int, default=100_000)
    parser.add_argument(
        "--trace",
        action="store_true",
        help="also measure the Python heap's peak with tracemalloc (slower)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the rows of a previous run")
    args = parser.parse_args()
    if args.db.startswith("sqlite:///") and not args.reuse:
        Path(args.db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ.pop("CASEFLOW_SCHEDULER", None)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.db,
            "CASEFLOW_SMTP_URL": None,
            "CASEFLOW_WEBHOOK_URL": None,
            "SECRET_KEY": "bench",
        }
    )
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if not args.reuse:
        build(app, args.rows)
    nothing_due(app)
    fire(app, args.fire, sorted({min(10_000, args.fire), args.fire}), args.trace)
    nothing_due(app, runs=10)


if __name__ == "__main__":
    main()
    sys.exit(0)
