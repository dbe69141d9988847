"""Bulk review through the engine against the same rows written with plain SQL.

Target (DESIGN.md): reviewing N households (start_review + survey + classify + history +
timers) costs at most 3x the fastest plain load of the same rows: COPY on PostgreSQL (the rows
copied in, the households updated from a copied table), one executemany transaction on SQLite.
On PostgreSQL the executemany load is timed too, for comparison.

    python bench/bulk_review.py --rows 100000 [--db postgresql://postgres@127.0.0.1/bench]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import bindparam, insert, text, update  # noqa: E402

from bench.common import empty_database  # noqa: E402
from bench.sweep_bench import deployed_version  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.standards import INDICATOR_KEYS  # noqa: E402
from caseflow.domain.whatif import Reclassifier, Survey, fingerprint  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Assessment, Deadline, Event, Household, WhatIfClass  # noqa: E402
from caseflow.services import bulk, units, users  # noqa: E402
from caseflow.services.definitions import standards  # noqa: E402

SURVEY = {
    "income_per_capita_month": 1_200_000,
    "deprivations": {k: k in ("water", "telecom", "employment") for k in INDICATOR_KEYS},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = args.db or f"sqlite:///{folder}/bench.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        prepare(url)
        worker = db.session.get(users.User, 1)
        postgres = db.engine.dialect.name == "postgresql"
        engine_ids, plain_ids, *copied = seed(args.rows, 3 if postgres else 2)
        engine_s = timed(lambda: through_engine(worker, engine_ids))
        plain_s = timed(lambda: plain_sql(plain_ids))
        copy_s = timed(lambda: plain_copy(copied[0])) if copied else None
        check(engine_ids, plain_ids, *copied)
    print(f"database: {db_name(url)}  households: {args.rows:,}")
    print(
        f"engine (fire_many + record_surveys): {engine_s:8.2f} s "
        f"({args.rows / engine_s:,.0f} households/s)"
    )
    print(
        f"plain SQL, executemany, same rows:   {plain_s:8.2f} s  (ratio {engine_s / plain_s:.2f})"
    )
    if copy_s is not None:
        print(
            f"plain SQL, COPY, same rows:          {copy_s:8.2f} s  (ratio {engine_s / copy_s:.2f})"
        )
    fastest = min(plain_s, copy_s or plain_s)
    print(f"ratio engine / fastest plain load:   {engine_s / fastest:8.2f}  (target <= 3)")


def db_name(url: str) -> str:
    return url.split(":", 1)[0]


def prepare(url: str) -> None:
    empty_database()
    units.load(
        [
            {"code": "P", "name": "Tỉnh", "level": "province"},
            {"code": "C", "name": "Xã", "level": "commune", "parent_code": "P", "area": "rural"},
        ]
    )
    users.create("worker", "case_worker", "C")


def seed(rows: int, sides: int) -> list[list[int]]:
    """Insert `sides` x rows registered households (not timed)."""
    now = clock.now()
    unit_id = db.session.scalar(text("SELECT id FROM unit WHERE code = 'C'"))
    version = deployed_version()
    batch = [
        {
            "code": f"B{i}",
            "head_name": f"Hộ {i}",
            "search_name": f"ho {i}",
            "unit_id": unit_id,
            "area": "rural",
            "state": "registered",
            "workflow": "household_lifecycle",
            "workflow_version": version,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(sides * rows)
    ]
    for start in range(0, len(batch), 10_000):
        db.session.execute(insert(Household.__table__), batch[start : start + 10_000])
    db.session.commit()
    # fresh statistics, as autovacuum keeps them in production; both sides profit alike
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    ids = db.session.scalars(db.select(Household.id).order_by(Household.id)).all()
    return [list(ids[n * rows : (n + 1) * rows]) for n in range(sides)]


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def through_engine(worker, ids: list[int]) -> None:
    bulk.fire_many(worker, ids, "start_review", {"review_kind": "regular"})
    today = clock.today()
    bulk.record_surveys(worker, ({"household_id": h, "surveyed_on": today, **SURVEY} for h in ids))


def plain_sql(ids: list[int]) -> None:
    """The same rows, values precomputed: 2 events, 2 deadlines, 1 assessment, 2 updates and
    a what-if row under each known standard each (the surveys' ids chosen first)."""
    now, today = clock.now(), clock.today()
    whatif = whatif_values()
    due = now + timedelta(days=15)
    table = Household.__table__
    move = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(
            state=bindparam("b_state"),
            proposed_classification=bindparam("b_class"),
            version=table.c.version + 1,
            updated_at=now,
        )
    )
    for start in range(0, len(ids), bulk.CHUNK):
        chunk = ids[start : start + bulk.CHUNK]
        db.session.connection().execute(
            move,
            [
                {"b_id": h, "b_version": 1, "b_state": "under_review", "b_class": None}
                for h in chunk
            ],
        )
        db.session.execute(insert(Event.__table__), [event(h, "start_review", now) for h in chunk])
        db.session.execute(
            insert(Deadline.__table__),
            [
                deadline(h, key, at, now)
                for h in chunk
                for key, at in (("review_decision", due), ("review_decision:remind", due))
            ],
        )
    for start in range(0, len(ids), bulk.CHUNK):
        chunk = ids[start : start + bulk.CHUNK]
        numbered = list(zip(chunk, survey_ids(len(chunk)), strict=True))
        db.session.execute(
            insert(Assessment.__table__), [assessment(h, today, now, a) for h, a in numbered]
        )
        db.session.execute(
            insert(WhatIfClass.__table__),
            [row for h, a in numbered for row in whatif_rows(h, a, whatif)],
        )
        db.session.connection().execute(
            move,
            [
                {"b_id": h, "b_version": 2, "b_state": "classified", "b_class": "poor"}
                for h in chunk
            ],
        )
        db.session.execute(insert(Event.__table__), [event(h, "classify", now) for h in chunk])
    db.session.commit()


def plain_copy(ids: list[int]) -> None:
    """The same rows as plain_sql, loaded with COPY (PostgreSQL's fastest load); the two
    household updates each from a copied table of the new values."""
    now, today = clock.now(), clock.today()
    whatif = whatif_values()
    due = now + timedelta(days=15)
    version = deployed_version()
    connection = db.session.connection().connection.driver_connection
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE moved (id integer, state text, class text) ON COMMIT DROP"
        )
        _move_by_copy(cursor, [(h, "under_review", None) for h in ids], now)
        _copy(cursor, "event", [event(h, "start_review", now, version) for h in ids])
        _copy(
            cursor,
            "deadline",
            [
                deadline(h, key, due, now)
                for h in ids
                for key in ("review_decision", "review_decision:remind")
            ],
        )
        numbered = list(zip(ids, survey_ids(len(ids)), strict=True))
        _copy(cursor, "assessment", [assessment(h, today, now, a) for h, a in numbered])
        _copy(
            cursor,
            "report_whatif",
            [row for h, a in numbered for row in whatif_rows(h, a, whatif)],
        )
        _move_by_copy(cursor, [(h, "classified", "poor") for h in ids], now)
        _copy(cursor, "event", [event(h, "classify", now, version) for h in ids])
    db.session.commit()


def _move_by_copy(cursor, rows: list[tuple], now) -> None:
    cursor.execute("TRUNCATE moved")
    with cursor.copy("COPY moved (id, state, class) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(
        "UPDATE household h SET state = m.state, proposed_classification = m.class, "
        "version = h.version + 1, updated_at = %s FROM moved m WHERE h.id = m.id",
        (now,),
    )


def _copy(cursor, table: str, rows: list[dict]) -> None:
    """COPY the rows' values of the table's columns (as the executemany insert takes them)."""
    known = db.metadata.tables[table].c
    columns = [c for c in rows[0] if c in known]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_text(row[c]) for c in columns])


def _text(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def event(hid, trigger, now, version=None):
    return {
        "household_id": hid,
        "at": now,
        "trigger": trigger,
        "from_state": "registered",
        "to_state": "under_review",
        "classification": None,
        "unit_id": 2,
        "actor_id": 1,
        "actor": "worker",
        "data": {"review_kind": "regular"},
        "workflow": "household_lifecycle",
        "workflow_version": version or 1,
    }


def deadline(hid, key, due, now):
    return {
        "household_id": hid,
        "key": key,
        "timer": "review_decision",
        "kind": "overdue",
        "due_at": due,
        "state": "under_review",
        "until_states": "recognised,registered",
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


def assessment(hid, today, now, id_):
    return {
        "id": id_,
        "household_id": hid,
        "surveyed_on": today,
        "standard": "07/2021",
        "income_per_capita_month": 1_200_000,
        "deprivations": SURVEY["deprivations"],
        "deprivation_count": 3,
        "classification": "poor",
        "income_line": 1_500_000,
        "explanation": "Thu nhập 1.200.000 đ ...",
        "recorded_by_id": 1,
        "created_at": now,
    }


def survey_ids(count: int) -> list[int]:
    """The ids of the next `count` surveys: from the sequence on PostgreSQL (in one statement,
    as the engine draws them), after the highest on SQLite (one writer)."""
    if db.engine.dialect.name == "postgresql":
        drawn = db.session.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('assessment', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return sorted(drawn)
    highest = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM assessment"))
    return list(range(highest + 1, highest + 1 + count))


def whatif_values() -> list[dict]:
    """The what-if row's values of SURVEY under each known standard (all surveys alike)."""
    read = Survey(
        0, "poor", "rural", SURVEY["deprivations"], SURVEY["income_per_capita_month"], None
    )
    values = []
    for standard in standards():
        result = Reclassifier(standard)(read)
        values.append(
            {
                "standard": standard.code,
                "fingerprint": fingerprint(standard),
                "current": result.current,
                "low": result.low,
                "high": result.high,
                "unknown": ",".join(result.unknown),
            }
        )
    return values


def whatif_rows(hid: int, assessment_id: int, values: list[dict]) -> list[dict]:
    return [
        {**value, "household_id": hid, "unit_id": 2, "assessment_id": assessment_id}
        for value in values
    ]


def check(*sides: list[int]) -> None:
    """Every side moved its households alike and wrote as many rows of each table, and the
    same what-if rows."""
    counts, whatif = [], []
    for ids in sides:
        states = db.session.execute(
            db.select(Household.state, db.func.count())
            .where(Household.id.in_(ids[:1000]))
            .group_by(Household.state)
        ).all()
        assert [tuple(s) for s in states] == [("classified", min(1000, len(ids)))], states
        low, high = min(ids), max(ids)
        counts.append(
            [
                db.session.scalar(
                    db.select(db.func.count()).where(model.household_id.between(low, high))
                )
                for model in (Event, Deadline, Assessment, WhatIfClass)
            ]
        )
        row = WhatIfClass
        whatif.append(
            db.session.execute(
                db.select(row.standard, row.fingerprint, row.current, row.low, row.high)
                .where(row.household_id == low)
                .order_by(row.standard)
            ).all()
        )
    assert all(c == counts[0] for c in counts), counts
    assert all(w == whatif[0] for w in whatif), whatif


if __name__ == "__main__":
    main()
