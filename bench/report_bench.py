"""The reports of a province as of any date, on PostgreSQL, at a province's scale.

A province of 100 communes, N households (default 1,000,000) and E history events each (default
10: 10,000,000 events) spread over the years since 2022, seeded with set-based SQL (INSERT ...
SELECT over generate_series; not timed). Each household's last event matches its row; about 5%
end poor and 4% near-poor, each of those with a survey (the 07/2021 indicators) and a third of
them with a support. Then each report is timed for the province and for one commune, as of today
and as of a year ago (target: under 2 s for the province), and the province's `units` is written
as xlsx with the Python heap's peak (tracemalloc). The reports' summary is rebuilt after seeding
(`caseflow report rebuild`), and timed.

    flock /tmp/bench.lock .venv/bin/python bench/report_bench.py \
        --db postgresql://postgres@127.0.0.1/caseflow_bench_reports [--households 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.standards import INDICATOR_KEYS  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import User  # noqa: E402
from caseflow.services import (  # noqa: E402
    report_catalogue,
    report_summary,
    supports,
    units,
    users,
)
from caseflow.services.report_sheets import sheet  # noqa: E402
from caseflow.services.spreadsheets import xlsx  # noqa: E402

COMMUNES = 100
KINDS = ("summary", "units", "flows", "deprivations", "coverage", "overdue")
INDICATORS = list(INDICATOR_KEYS)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10, help="history events per household")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (emptied first)")
    parser.add_argument("--reuse", action="store_true", help="keep the rows of a previous run")
    args = parser.parse_args()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.db.replace("postgresql://", "postgresql+psycopg://"),
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        if not args.reuse:
            started = time.perf_counter()
            seed(args.households, args.events)
            print(f"seeded in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            built = report_summary.rebuild()
            print(
                f"summary rebuilt in {time.perf_counter() - started:.1f} s: {built['rows']:,} rows,"
                f" {built['listed_spans']:,} listed spans"
            )
        officer = db.session.scalar(db.select(User).where(User.username == "officer"))
        today = clock.today()
        print(f"{args.households:,} households, {count('event'):,} events, {COMMUNES} communes")
        for unit in ("P", "C001"):
            for day in (today, today - timedelta(days=365)):
                for kind in KINDS:
                    took = timed(officer, kind, unit, day, args.repeat)
                    print(f"{kind:13s} {unit:5s} as of {day}: median {took:.3f} s")
        export(officer, today)


def seed(households: int, events: int) -> None:
    """Units, an officer and the households with their history, surveys and supports."""
    empty_database()
    supports.sync_programs()
    rows = [{"code": "P", "name": "Tỉnh Bench", "level": "province"}]
    rows += [
        {
            "code": f"C{c:03d}",
            "name": f"Xã {c:03d}",
            "level": "commune",
            "parent_code": "P",
            "area": "rural",
        }
        for c in range(1, COMMUNES + 1)
    ]
    units.load(rows)
    users.create("officer", "officer", "P", "mật-khẩu-bench-1")
    db.session.commit()
    params = {"n": households, "e": events, "first": date(2022, 1, 1), "today": clock.today()}
    for statement in SEED:
        started = time.perf_counter()
        db.session.execute(text(statement), params)
        db.session.commit()
        print(f"  {statement.split()[2]:10s} {time.perf_counter() - started:6.1f} s")
    db.session.execute(text("ANALYZE"))
    db.session.commit()


#: the class a household ends in: 5% poor, 4% near-poor; its state follows
FINAL_CLASS = "CASE WHEN g % 100 < 5 THEN 'poor' WHEN g % 100 < 9 THEN 'near_poor' END"
DEPRIVED = ", ".join(f"'{k}', (hashint(h.id * 13 + {i}) % 3 = 0)" for i, k in enumerate(INDICATORS))
SEED = [
    "CREATE OR REPLACE FUNCTION hashint(x bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS "
    "'SELECT ((x * 2654435761) % 4294967296)'",
    f"""INSERT INTO household (code, head_name, search_name, unit_id, area, state, workflow,
        workflow_version, classification, proposed_classification, version, created_at,
        updated_at)
    SELECT 'H' || g, 'Hộ ' || g, 'ho ' || g,
        (SELECT id FROM unit WHERE code = 'C' || lpad((1 + g % {COMMUNES})::text, 3, '0')),
        'rural', CASE WHEN {FINAL_CLASS} IS NULL THEN 'registered' ELSE 'recognised' END,
        'household_lifecycle', 1, {FINAL_CLASS}, {FINAL_CLASS}, 1, now(), now()
    FROM generate_series(1, :n) AS g""",
    # history: e events a household, evenly over the years since 2022, the last one its state;
    # before it, every other event lists the household a while (poor or near-poor)
    """INSERT INTO event (household_id, at, trigger, from_state, to_state, classification,
        unit_id, actor, data, workflow, workflow_version)
    SELECT h.id,
        CAST(:first AS timestamptz) + (CAST(:today AS date) - CAST(:first AS date) - 2)
            * interval '1 day' * (j - 1 + (hashint(h.id) % 1000) / 1000.0) / :e,
        CASE WHEN j = 1 THEN 'register' WHEN j = :e THEN 'recognise' ELSE 'start_review' END,
        CASE WHEN j = 1 THEN NULL ELSE 'under_review' END,
        CASE WHEN j = :e THEN h.state WHEN j = 1 THEN 'registered' ELSE 'under_review' END,
        CASE WHEN j = :e THEN h.classification
             WHEN (hashint(h.id + j) % 10) = 0 THEN 'poor'
             WHEN (hashint(h.id + j) % 10) = 1 THEN 'near_poor' END,
        h.unit_id, 'bench', '{}', 'household_lifecycle', 1
    FROM household h CROSS JOIN generate_series(1, :e) AS j""",
    f"""INSERT INTO assessment (household_id, surveyed_on, standard, income_per_capita_month,
        deprivations, deprivation_count, classification, income_line, area, created_at)
    SELECT h.id, CAST(:today AS date) - 400, '07/2021', 1000000,
        json_build_object({DEPRIVED}), 3, h.classification, 1500000, 'rural', now()
    FROM household h WHERE h.classification IS NOT NULL""",
    """INSERT INTO support_item (household_id, program_code, state, created_by, created_at,
        updated_at, version)
    SELECT h.id, CASE WHEN h.id % 2 = 0 THEN 'preferential_credit' ELSE 'housing' END,
        'approved', 'bench', CAST(:today AS timestamptz) - interval '500 days', now(), 1
    FROM household h WHERE h.classification IS NOT NULL AND h.id % 3 = 0""",
]


def count(table: str) -> int:
    return db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - a constant


def timed(officer, kind: str, unit: str, day: date, repeat: int) -> float:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        report_catalogue.build(officer, kind, unit, as_of=day, end=day)
        found.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(found)


def export(officer, day: date) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    found = report_catalogue.build(officer, "units", "P", as_of=day)
    with xlsx([sheet("units", found)]) as book:
        size = len(book.read())
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"units xlsx of P: {size:,} bytes in {took:.2f} s, Python heap peak {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
