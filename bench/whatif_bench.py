"""What-if of a province under the 2027-2030 standard: the stored classes against streaming.

A province of N households (default 10,000; the issue's scale is 1,000,000) in 100 communes,
each household with one survey under 07/2021 (incomes spread from 700,000 to 3,500,000, 0 to 5
deprivations). The what-if table is rebuilt (timed) as `caseflow report rebuild` does it; then
the province and one commune are classified under 2027-2030 as JSON (the first 1,000 changes
listed) from the table, and again by streaming every survey through the domain (the path the
what-if takes until the table is built), with their ratio and a check that both answer the
same; then the xlsx of every change, from the table (`--no-xlsx` skips it). The floor of the
streaming path is printed too: reading the same rows without classifying them. The process's
peak memory (max RSS) is printed before and after each, to show that it stays flat.

    python bench/whatif_bench.py [--households 10000] [--communes 100] [--no-xlsx] [--reuse]
                                 [--db postgresql://postgres@127.0.0.1/caseflow_bench_whatif]

`--reuse` keeps the households of a previous run of the same size (the table is rebuilt).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.exc import OperationalError, ProgrammingError  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.standards import INDICATOR_KEYS  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Assessment, Household, Unit  # noqa: E402
from caseflow.services import units, whatif, whatif_table  # noqa: E402
from caseflow.services.definitions import current_workflow  # noqa: E402
from caseflow.services.spreadsheets import xlsx  # noqa: E402

STANDARD = "2027-2030"
BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--no-xlsx", dest="xlsx", action="store_false", help="skip the xlsx")
    parser.add_argument("--reuse", action="store_true", help="keep a previous run's households")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if not (args.reuse and _seeded() == args.households):
            empty_database()
            started = time.perf_counter()
            seed(args.households, args.communes)
            print(f"seeded {args.households:,} households in {time.perf_counter() - started:.1f} s")
        print(f"database: {db.engine.dialect.name}; max RSS after seeding: {rss_mb():.0f} MB")
        rebuild_s, rows = timed(whatif_table.rebuild)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"what-if table: {rows:,} rows rebuilt in {rebuild_s:.1f} s; RSS {rss_mb():.0f} MB")
        for code in ("P", "C001"):
            measure(code, args.xlsx)


def _seeded() -> int | None:
    """The households a previous run left, None when there is no such database."""
    try:
        return db.session.scalar(db.select(db.func.count(Household.id)))
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        return None


def seed(households: int, communes: int) -> None:
    """Units, households and one 07/2021 survey each, inserted in batches (not timed)."""
    rows = [{"code": "P", "name": "Tỉnh", "level": "province"}]
    rows += [
        {
            "code": f"C{c:03d}",
            "name": f"Xã {c}",
            "level": "commune",
            "parent_code": "P",
            "area": "rural",
        }
        for c in range(1, communes + 1)
    ]
    units.load(rows)
    unit_ids = [
        unit_id
        for (unit_id,) in db.session.execute(
            db.select(Unit.id).where(Unit.level == "commune").order_by(Unit.code)
        )
    ]
    definition = current_workflow("household_lifecycle")
    rng, now = random.Random(2026), clock.now()
    for start in range(0, households, BATCH):
        numbers = range(start, min(start + BATCH, households))
        db.session.execute(
            insert(Household.__table__),
            [_household(n, unit_ids[n % len(unit_ids)], definition, now) for n in numbers],
        )
        db.session.execute(insert(Assessment.__table__), [_survey(n, rng, now) for n in numbers])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('household_id_seq', :n)"), {"n": households})
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _household(n: int, unit_id: int, definition, now) -> dict:
    return {
        "id": n + 1,
        "code": f"H{n:07d}",
        "head_name": f"Hộ {n}",
        "search_name": f"ho {n}",
        "unit_id": unit_id,
        "area": "rural",
        "state": "classified",
        "workflow": definition.name,
        "workflow_version": definition.version,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _survey(n: int, rng: random.Random, now) -> dict:
    income = rng.randrange(700_000, 3_500_000, 50_000)
    deprived = set(rng.sample(INDICATOR_KEYS, rng.randint(0, 5)))
    count = len(deprived)
    line, middle = 1_500_000, 2_250_000
    classification = (
        ("poor" if count >= 3 else "near_poor")
        if income <= line
        else ("middle" if income <= middle else "better_off")
    )
    return {
        "household_id": n + 1,
        "surveyed_on": date(2026, 10, 1),
        "standard": "07/2021",
        "income_per_capita_month": income,
        "deprivations": {key: key in deprived for key in INDICATOR_KEYS},
        "deprivation_count": count,
        "classification": classification,
        "income_line": line,
        "middle_line": middle,
        "area": "rural",
        "created_at": now,
    }


def measure(code: str, with_xlsx: bool) -> None:
    unit = db.session.scalar(db.select(Unit).filter_by(code=code))
    first_s, stored = timed(lambda: whatif.what_if(None, code, STANDARD))
    table_s = statistics.median(
        timed(lambda: whatif.what_if(None, code, STANDARD))[0] for _ in range(3)
    )
    floor, scanned = timed(lambda: sum(1 for _ in whatif._latest_surveys(unit)))
    before = rss_mb()
    streamed_s, streamed = timed(lambda: _streamed(code))
    assert stored.pop("warnings") == [] and streamed.pop("warnings"), "which path answered?"
    assert stored == streamed, f"{code}: the table and the surveys answer differently"
    print(
        f"{code}: {scanned:,} surveys; what-if JSON from the table {table_s:.3f} s (median of "
        f"3; the first time after the rebuild {first_s:.3f} s), by streaming "
        f"{streamed_s:.2f} s ({streamed_s / table_s:.1f}x the table; the scan alone "
        f"{floor:.2f} s); max RSS {before:.0f} -> {rss_mb():.0f} MB"
    )
    print(f"   current {stored['current']}; under {STANDARD} {stored['under']}")
    if with_xlsx:
        before = rss_mb()
        xlsx_s, size = timed(lambda: _xlsx_size(code))
        print(
            f"   xlsx of {stored['changes_total']:,} changes from the table {xlsx_s:.2f} s "
            f"({size / 1e6:.1f} MB); max RSS {before:.0f} -> {rss_mb():.0f} MB"
        )


def _streamed(code: str) -> dict:
    """The what-if as it answers while the table is not built: every survey streamed."""
    usable = whatif_table.usable
    whatif_table.usable = lambda standard: False
    try:
        return whatif.what_if(None, code, STANDARD)
    finally:
        whatif_table.usable = usable


def _xlsx_size(code: str) -> int:
    with xlsx(whatif.what_if_sheets(None, code, STANDARD)) as file:
        return file.seek(0, os.SEEK_END)


def timed(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
