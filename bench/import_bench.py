"""Import and export of a commune's workbook against plain inserts of the same rows, and the
import's peak memory at two sizes.

Target (DESIGN.md): importing N households (3.5 members each, one survey each) costs at most
3x inserting the same rows with plain executemany SQL (every row the import writes: households,
members, surveys, their events, search texts and what-if rows), and the peak RSS of an import of
10,000 and of 100,000 households differ by at most 10%.

    python bench/import_bench.py --households 2000 [--db postgresql://postgres@127.0.0.1/bench]
    python bench/import_bench.py --sizes 10000,100000 [--db ...]   # peak RSS, fresh processes

Each measured size runs in a fresh subprocess (`--one`), so that ru_maxrss is that import's
peak: the workbook is written first by another subprocess, with openpyxl's write-only mode.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import insert, text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.sheet_format import HOUSEHOLD_SHEET, MEMBER_SHEET  # noqa: E402
from caseflow.domain.standards import INDICATOR_KEYS  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Assessment, Event, Household, Member, WhatIfClass  # noqa: E402

INDICATORS = INDICATOR_KEYS
DEPRIVED = ("employment", "health_insurance", "water")
SURVEYED_ON = date(2026, 10, 1)
CHUNK = 1000


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
            "SECRET_KEY": "bench",
            "CASEFLOW_UPLOAD_MAX_BYTES": 1 << 34,
        }
    )


def members_of(i: int) -> int:
    return 3 if i % 2 else 4  # 3.5 on average


def write_workbook(path: Path, households: int) -> None:
    """Write the commune's workbook, streaming (openpyxl write-only)."""
    from caseflow.services.definitions import standards
    from caseflow.services.import_rows import surveys_format
    from caseflow.services.spreadsheets import Sheet, xlsx

    survey_format, _ = surveys_format(standards())
    keys = [c.field.split(":", 1)[1] for c in survey_format.columns if ":" in c.field]

    def homes():
        for i in range(households):
            yield [
                f"HN-{i}",
                f"Nguyễn Văn {i}",
                "C",
                f"Thôn {i % 20}",
                None,
                None,
                f"{36_000_000_000 + i:012d}",
                "Nông thôn",
                None,
                None,
            ]

    def people():
        for i in range(households):
            for k in range(members_of(i)):
                yield [
                    f"HN-{i}",
                    f"Nguyễn Văn {i}" if k == 0 else f"Người {i}-{k}",
                    date(1970 + k * 10, 1 + i % 12, 1 + i % 28),
                    "Nam" if k % 2 == 0 else "Nữ",
                    "Chủ hộ" if k == 0 else "Con",
                    "Kinh",
                    None,
                    None,
                ]

    def surveys():
        for i in range(households):
            yield [
                f"HN-{i}",
                SURVEYED_ON,
                1_200_000,
                None,
                *("x" if key in DEPRIVED else None for key in keys),
            ]

    sheets = [
        Sheet(HOUSEHOLD_SHEET.title, HOUSEHOLD_SHEET.headers, homes()),
        Sheet(MEMBER_SHEET.title, MEMBER_SHEET.headers, people()),
        Sheet(survey_format.title, survey_format.headers, surveys()),
    ]
    with xlsx(sheets) as made, path.open("wb") as file:
        while chunk := made.read(1 << 20):
            file.write(chunk)


def prepare() -> None:
    from caseflow.services import units, users

    empty_database()
    units.load(
        [
            {"code": "P", "name": "Tỉnh", "level": "province"},
            {"code": "C", "name": "Xã", "level": "commune", "parent_code": "P", "area": "rural"},
            {"code": "D", "name": "Xã 2", "level": "commune", "parent_code": "P", "area": "rural"},
        ]
    )
    users.create("worker", "case_worker", "C")
    db.session.commit()


def timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def plain_inserts(households: int) -> None:
    """The same rows as the import writes, values precomputed: households, members, surveys,
    one event each, each household's search text and its what-if row under each standard."""
    from caseflow.services.search_index import insert_texts

    now = clock.now()
    unit_id = db.session.scalar(text("SELECT id FROM unit WHERE code = 'D'"))
    deprivations = {k: k in DEPRIVED for k in INDICATORS}
    standards = [
        row[0] for row in db.session.execute(text("SELECT DISTINCT standard FROM report_whatif"))
    ]
    for start in range(0, households, CHUNK):
        numbers = range(start, min(start + CHUNK, households))
        rows = [_household(i, unit_id, now) for i in numbers]
        table = Household.__table__
        ids = db.session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
        ).all()
        db.session.execute(
            insert(Member.__table__),
            [
                _member(hid, i, k)
                for hid, i in zip(ids, numbers, strict=True)
                for k in range(members_of(i))
            ],
        )
        db.session.execute(
            insert(Event.__table__),
            [_event(hid, unit_id, i, now) for hid, i in zip(ids, numbers, strict=True)],
        )
        table = Assessment.__table__
        surveys = db.session.scalars(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [_assessment(hid, deprivations, now) for hid in ids],
        ).all()
        insert_texts((hid, unit_id, _search_text(i)) for hid, i in zip(ids, numbers, strict=True))
        db.session.execute(
            insert(WhatIfClass.__table__),
            [
                _whatif(standard, hid, unit_id, survey)
                for hid, survey in zip(ids, surveys, strict=True)
                for standard in standards
            ],
        )
    db.session.commit()


def _search_text(i: int) -> str:
    names = " ".join(f"nguoi {i}-{k}" for k in range(members_of(i)))
    return f"nguyen van {i} pl-{i} {37_000_000_000 + i:012d} {names}"


def _whatif(standard: str, hid: int, unit_id: int, survey: int) -> dict:
    return {
        "standard": standard,
        "household_id": hid,
        "unit_id": unit_id,
        "fingerprint": "0123456789abcdef",
        "assessment_id": survey,
        "current": "poor",
        "low": "poor",
        "high": "poor",
        "unknown": "",
    }


def _household(i, unit_id, now):
    return {
        "code": f"PL-{i}",
        "head_name": f"Nguyễn Văn {i}",
        "search_name": f"nguyen van {i}",
        "unit_id": unit_id,
        "village": f"Thôn {i % 20}",
        "national_id": f"{37_000_000_000 + i:012d}",
        "area": "rural",
        "state": "registered",
        "workflow": "household_lifecycle",
        "workflow_version": 2,
        "version": 2,
        "proposed_classification": "poor",
        "recorded_on": SURVEYED_ON,
        "recorded_field": "surveyed_on",
        "created_at": now,
        "updated_at": now,
    }


def _member(hid, i, k):
    return {
        "household_id": hid,
        "full_name": f"Người {i}-{k}",
        "birth_date": date(1970 + k * 10, 1 + i % 12, 1 + i % 28),
        "sex": "male" if k % 2 == 0 else "female",
        "relation": "head" if k == 0 else "child",
        "ethnicity": "Kinh",
        "disability": False,
    }


def _event(hid, unit_id, i, now):
    return {
        "household_id": hid,
        "at": now,
        "trigger": "import",
        "from_state": None,
        "to_state": "registered",
        "unit_id": unit_id,
        "actor_id": 1,
        "actor": "worker",
        "data": {"file": "bench.xlsx", "row": i + 2},
        "workflow": "household_lifecycle",
        "workflow_version": 2,
    }


def _assessment(hid, deprivations, now):
    return {
        "household_id": hid,
        "surveyed_on": SURVEYED_ON,
        "standard": "07/2021",
        "income_per_capita_month": 1_200_000,
        "deprivations": deprivations,
        "deprivation_count": 3,
        "classification": "poor",
        "income_line": 1_500_000,
        "middle_line": 2_250_000,
        "area": "rural",
        "recorded_by_id": 1,
        "created_at": now,
    }


def one(households: int, url: str, workbook: Path, compare: bool) -> dict:
    """Import the workbook, then (with `compare`) export it and insert the same rows plainly."""
    from caseflow.models import User
    from caseflow.services import exports, imports

    app = app_for(url)
    with app.app_context():
        prepare()
        worker = db.session.scalar(db.select(User).where(User.username == "worker"))
        before, cpu_before = rss_mb(), cpu_s()
        import_s, report = timed(
            lambda: imports.run(worker, workbook, workbook.name, "C", dry_run=False)
        )
        assert not report.errors, report.errors[:5]
        assert report.created == households, report.created
        peak = rss_mb()
        # the file is read in a child process beside the writing (services/import_reading.py)
        reader_rss, reader_cpu = rss_mb(resource.RUSAGE_CHILDREN), cpu_s(resource.RUSAGE_CHILDREN)
        writer_cpu = cpu_s() - cpu_before
        figures = {
            "households": households,
            "import_s": import_s,
            "rss_mb": peak,
            "rss_before_mb": before,
            "reader_rss_mb": reader_rss,
            "reader_cpu_s": reader_cpu,
            "writer_cpu_s": writer_cpu,
            "members": report.members,
            "assessments": report.assessments,
        }
        if compare:
            worker = db.session.scalar(db.select(User).where(User.username == "worker"))
            out = Path(tempfile.mkdtemp()) / "export.xlsx"
            figures["export_s"], _ = timed(
                lambda: exports.write_file(worker, "households", "xlsx", out, unit="C")
            )
            figures["plain_s"], _ = timed(lambda: plain_inserts(households))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--sizes", default=None, help="comma-separated sizes for peak RSS")
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--file", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        app = app_for("sqlite://")
        with app.app_context():
            write_workbook(Path(args.write), args.households)
        return
    if args.one:
        url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
        print(json.dumps(one(args.households, url, Path(args.file), args.compare)))
        return
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.households]
    results = [
        _child(size, args.db, compare=len(sizes) == 1 or size == sizes[-1]) for size in sizes
    ]
    print(f"database: {(args.db or 'sqlite').split(':', 1)[0]}")
    for r in results:
        line = (
            f"{r['households']:>8,} households ({r['members']:,} members, "
            f"{r['assessments']:,} surveys): import {r['import_s']:7.2f} s "
            f"({r['households'] / r['import_s']:,.0f}/s), peak RSS {r['rss_mb']:6.1f} MB"
        )
        print(line)
        print(
            f"{'':>10}CPU: import's process {r['writer_cpu_s']:.1f} s, its reader "
            f"{r['reader_cpu_s']:.1f} s (peak RSS {r['reader_rss_mb']:.1f} MB)"
        )
        if "plain_s" in r:
            print(
                f"{'':>10}plain inserts of the same rows {r['plain_s']:7.2f} s; "
                f"ratio import / plain {r['import_s'] / r['plain_s']:5.2f} (target <= 3); "
                f"export {r['export_s']:6.2f} s"
            )
    if len(results) > 1:
        low, high = results[0]["rss_mb"], results[-1]["rss_mb"]
        low_reader, high_reader = results[0]["reader_rss_mb"], results[-1]["reader_rss_mb"]
        print(
            f"peak RSS {high:.1f} MB against {low:.1f} MB: {100 * (high - low) / low:+.1f}% "
            "(target within 10%)"
        )
        if low_reader:
            change = 100 * (high_reader - low_reader) / low_reader
            print(f"its reader's {high_reader:.1f} MB against {low_reader:.1f} MB: {change:+.1f}%")


def _child(size: int, url: str | None, *, compare: bool) -> dict:
    here = Path(__file__).resolve()
    folder = Path(tempfile.mkdtemp())
    workbook = folder / f"ho-{size}.xlsx"
    subprocess.run(
        [sys.executable, str(here), "--write", str(workbook), "--households", str(size)], check=True
    )
    command = [
        sys.executable,
        str(here),
        "--one",
        "--households",
        str(size),
        "--file",
        str(workbook),
    ]
    if url:
        command += ["--db", url]
    if compare:
        command.append("--compare")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    workbook.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
