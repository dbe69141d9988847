"""Household list, search and household page with many households: p95 of the API answers.

Target (DESIGN.md): list and household pages under 50 ms (p95) with 1,000,000 households on
PostgreSQL.

    python bench/list_pages.py --rows 1000000 --db postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import insert, text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.text import fold  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Household, Unit  # noqa: E402
from caseflow.services import units, users  # noqa: E402

COMMUNES = 100
NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Văn Bình",
    "Lê Thị Lan",
    "Phạm Văn An",
    "Đặng Thị Mai",
    "Hoàng Văn Hùng",
    "Vũ Thị Hạnh",
    "Bùi Văn Sơn",
    "Đỗ Thị Yến",
    "Ngô Văn Dũng",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/pages.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        tokens = prepare(url, args.rows)
    client = app.test_client()
    print(f"database: {url.split(':', 1)[0]}  households: {args.rows:,} in {COMMUNES} communes")
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        for label, path in paths(app):
            times = [timed(client, path, headers) for _ in range(args.requests)]
            p95 = statistics.quantiles(times, n=20)[-1]
            print(
                f"{who:26} {label:28} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
            )


def prepare(url: str, rows: int) -> dict[str, str]:
    empty_database()
    units.load(
        [{"code": "P", "name": "Tỉnh", "level": "province"}]
        + [
            {
                "code": f"C{i}",
                "name": f"Xã {i}",
                "level": "commune",
                "parent_code": "P",
                "area": "rural",
            }
            for i in range(COMMUNES)
        ]
    )
    tokens = {
        "case worker (one commune)": users.create("worker", "case_worker", "C7")[1],
        "officer (the province)": users.create("officer", "officer", "P")[1],
    }
    unit_ids = db.session.scalars(
        db.select(Unit.id).where(Unit.level == "commune").order_by(Unit.id)
    ).all()
    now = clock.now()
    for start in range(0, rows, 20_000):
        db.session.execute(
            insert(Household.__table__),
            [
                {
                    "code": f"B{i}",
                    "head_name": NAMES[i % 10],
                    "search_name": fold(NAMES[i % 10]),
                    "unit_id": unit_ids[i % COMMUNES],
                    "area": "rural",
                    "state": "registered",
                    "workflow": "household_lifecycle",
                    "workflow_version": 1,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(start + 20_000, rows))
            ],
        )
        db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return tokens


def paths(app) -> list[tuple[str, str]]:
    with app.app_context():
        one = db.session.scalar(
            db.select(Household.id)
            .join(Unit)
            .where(Unit.code == "C7")
            .order_by(Household.id.desc())
            .limit(1)
        )
    return [
        ("list, page 1 (with total)", "/api/v1/households?per_page=50"),
        ("list, page 100", "/api/v1/households?per_page=50&page=100"),
        ("search q=nguyen thi", "/api/v1/households?q=nguyen%20thi"),
        ("filter state=registered", "/api/v1/households?state=registered"),
        ("one household", f"/api/v1/households/{one}"),
        ("its history", f"/api/v1/households/{one}/history"),
    ]


def timed(client, path: str, headers: dict) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.json
    return elapsed


if __name__ == "__main__":
    main()
