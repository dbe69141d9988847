"""What-if of a province under the 2027-2030 standard: time and memory, against the bare scan.

A province of N households (default 10,000; the issue's scale is 1,000,000) in 100 communes,
each household with one survey under 07/2021 (incomes spread from 700,000 to 3,500,000, 0 to 5
deprivations), is classified under 2027-2030 for the province and for one commune: as JSON
(the first 1,000 changes listed), and as the xlsx of every change. Each is timed against the
floor: reading the same rows from the same query without classifying them. The process's peak
memory (max RSS) is printed before and after each, to show that it stays flat.

    python bench/whatif_bench.py [--households 10000] [--communes 100]
                                 [--db postgresql://postgres@127.0.0.1/caseflow_bench_whatif]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import insert, text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.standards import INDICATOR_KEYS  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Assessment, Household, Unit  # noqa: E402
from caseflow.services import units, whatif  # noqa: E402
from caseflow.services.definitions import current_workflow  # noqa: E402
from caseflow.services.spreadsheets import xlsx  # noqa: E402

STANDARD = "2027-2030"
BATCH = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        empty_database()
        started = time.perf_counter()
        seed(args.households, args.communes)
        print(f"seeded {args.households:,} households in {time.perf_counter() - started:.1f} s")
        print(f"database: {db.engine.dialect.name}; max RSS after seeding: {rss_mb():.0f} MB")
        for code in ("P", "C001"):
            measure(code)


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


def measure(code: str) -> None:
    unit = db.session.scalar(db.select(Unit).filter_by(code=code))
    floor, scanned = timed(lambda: sum(1 for _ in whatif._latest_surveys(unit)))
    json_s, report = timed(lambda: whatif.what_if(None, code, STANDARD))
    before = rss_mb()
    xlsx_s, size = timed(lambda: _xlsx_size(code))
    print(
        f"{code}: {scanned:,} surveys; scan alone {floor:.2f} s; what-if JSON {json_s:.2f} s "
        f"({json_s / floor:.1f}x the scan); xlsx of {report['changes_total']:,} changes "
        f"{xlsx_s:.2f} s ({size / 1e6:.1f} MB); max RSS {before:.0f} -> {rss_mb():.0f} MB"
    )
    print(f"   current {report['current']}; under {STANDARD} {report['under']}")


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
