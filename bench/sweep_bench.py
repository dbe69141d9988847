"""The sweep with many pending deadlines, on PostgreSQL and SQLite in one run: a sweep that finds
nothing due (median and p95; the statements it runs and their plans), and firing due reminders
(per second, and peak memory at 10,000 and at the end). Not a test; it prints figures.

    python bench/sweep_bench.py                      # both: PostgreSQL 1,000,000, SQLite 100,000
    python bench/sweep_bench.py --households 20000 --fire 5000        # small, while developing
    python bench/sweep_bench.py --db postgresql://postgres@127.0.0.1/caseflow_bench_sweep

Each database is emptied and rebuilt (PostgreSQL: the database must exist; its public schema is
dropped). Each household is posted and has one pending `posting_end` reminder, so the rows are
what a province with that many households on a list would hold. Seeding more than ~50,000 rows
is a heavy bench: run it under `flock /tmp/bench.lock`.
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
from caseflow import clock, create_app  # noqa: E402
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
        version = deployed_version()
        started = time.perf_counter()
        for statement in insert_statements(db.engine.dialect.name, rows, unit_id, version):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(
            f"built {rows:,} households and pending deadlines in "
            f"{time.perf_counter() - started:.1f} s"
        )


def deployed_version(name: str = "household_lifecycle") -> int:
    """The version of the workflow that deploying workflows/ made current."""
    return db.session.scalar(
        text("SELECT max(version) FROM workflow_definition WHERE name = :name"), {"name": name}
    )


def insert_statements(dialect: str, rows: int, unit_id: int, version: int) -> list[str]:
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
        f"'household_lifecycle', {version}, 1, {stamp}, {stamp} FROM {series}",
        f"INSERT INTO deadline (household_id, key, timer, kind, due_at, state, until_states, "
        f"status, attempts, created_at) "
        f"SELECT n, 'posting_end', 'posting_end', 'remind', {due}, 'posted', '', 'pending', 0, "
        f"{stamp} FROM {series}",
    ] + (
        ["SELECT setval('household_id_seq', (SELECT max(id) FROM household))"]
        if dialect == "postgresql"
        else []
    )


def nothing_due(app, runs: int = 50, when: str = "") -> None:
    """Time sweeps that find nothing due; print the statements one runs and their plans."""
    with app.app_context():
        deadlines.sweep(NOW)  # warm: definitions, calendar, connection pool
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = deadlines.sweep(NOW)
            timings.append((time.perf_counter() - started) * 1000)
            assert result.fired == 0, result
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        pending = db.session.scalar(text("SELECT count(*) FROM deadline WHERE status = 'pending'"))
        db.session.rollback()
        print(
            f"sweep finding nothing due{when}, {pending:,} pending: median "
            f"{statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {max(timings):.2f} ms "
            f"({runs} sweeps; target < 10 ms)"
        )
        ran = statements_of(lambda: deadlines.sweep(NOW))
        print(f"  statements of one idle sweep: {len(ran)}")
        for statement, parameters in ran:
            print_plan(statement, parameters)
        with clock.frozen_at(NOW):  # the claims a sweep makes when something is due
            for statement, parameters in statements_of(lambda: deadlines.claim_due(500)):
                print_plan(statement, parameters)


def statements_of(work) -> list[tuple[str, object]]:
    """Return the statements `work` ran (not the transactions' BEGIN / COMMIT / ROLLBACK)."""
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "WITH", "INSERT")):
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
        print(f"firing {count:,} due reminders in sets of {deadlines.BATCH}:")
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
                f"  fired {fired:,} in {elapsed:.1f} s: {fired / elapsed:,.0f}/s (target >= 3,000);"
                f" "
                f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
                f"{peak}"
            )
        alerts = db.session.scalar(text("SELECT count(DISTINCT deadline_id) FROM alert"))
        print(f"  alerts raised: {alerts:,}, one per deadline: {alerts == fired}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db",
        action="append",
        help="a database URL (repeatable; default: both databases below)",
    )
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1/caseflow_bench_sweep"
    )
    parser.add_argument("--sqlite", default="sqlite:////tmp/sweep_bench.sqlite")
    parser.add_argument(
        "--households",
        type=int,
        default=1_000_000,
        help="households, each with a pending deadline, on PostgreSQL (default 1,000,000)",
    )
    parser.add_argument(
        "--sqlite-households",
        type=int,
        default=None,
        help="the same on SQLite (default: a tenth of --households)",
    )
    parser.add_argument("--fire", type=int, default=100_000, help="due reminders to fire")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="also measure the Python heap's peak with tracemalloc (slower)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the rows of a previous run")
    parser.add_argument(
        "--idle-only", action="store_true", help="only time the idle sweep (with --reuse)"
    )
    args = parser.parse_args()
    os.environ.pop("CASEFLOW_SCHEDULER", None)
    for url in args.db or [args.postgres, args.sqlite]:
        sqlite = url.startswith("sqlite")
        households = args.households
        if sqlite:
            households = args.sqlite_households or households // 10
        run(url, households, min(args.fire, households), args)


def run(url: str, households: int, count: int, args) -> None:
    if url.startswith("sqlite:///") and not args.reuse:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CASEFLOW_SMTP_URL": None,
            "CASEFLOW_WEBHOOK_URL": None,
            "SECRET_KEY": "bench",
        }
    )
    print(f"\n== database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    if not args.reuse:
        build(app, households)
    nothing_due(app)
    if args.idle_only:
        return
    fire(app, count, sorted({min(10_000, count), count}), args.trace)
    nothing_due(app, runs=20, when=" right after firing")
    with app.app_context():
        vacuum()
    nothing_due(app, runs=20, when=" after a vacuum (as autovacuum does)")
    with app.app_context():
        db.engine.dispose()


def vacuum() -> None:
    """Clear the fired rows' dead index entries, as autovacuum does after a big firing."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE deadline"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


if __name__ == "__main__":
    main()
    sys.exit(0)
