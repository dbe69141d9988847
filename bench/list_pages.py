"""Household list, search and household page with many households: p95 of the API answers.

Target (DESIGN.md): list and search under 50 ms (p95) with 1,000,000 households on
PostgreSQL; SQLite searches by its FTS5 trigram index too.

    python bench/list_pages.py --households 10000
    flock /tmp/bench.lock python bench/list_pages.py --households 1000000 \\
        --db postgresql://postgres@127.0.0.1/caseflow_bench_lists

Households, their members and their search texts are seeded by set-based SQL (INSERT ...
SELECT over generate_series on PostgreSQL, a recursive CTE on SQLite), not the ORM; the texts
are those caseflow.domain.search.document makes (checked on a sample before timing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.domain.search import document  # noqa: E402
from caseflow.domain.text import fold  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Household, Member, Unit  # noqa: E402
from caseflow.services import units, users  # noqa: E402
from caseflow.services.definitions import current_workflow  # noqa: E402

COMMUNES = 100
FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLES = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Quang"]
GIVENS = [
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng",
    "Khánh", "Lan", "Long", "Mai", "Nam", "Phúc", "Quyên", "Sơn", "Tâm", "Yến",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", "--rows", type=int, default=1_000_000, dest="households")
    parser.add_argument("--db", default=None)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="keep a previous run's rows")
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
        started = time.perf_counter()
        tokens = tokens_of_reused() if args.reuse else prepare(args.households)
        seeded = time.perf_counter() - started
        check_texts()
    client = app.test_client()
    print(
        f"database: {url.split(':', 1)[0]}  households: {args.households:,} in {COMMUNES} "
        f"communes (seeded in {seeded:.0f} s)"
    )
    worst = 0.0
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        for label, path in paths(app, args.households):
            times, body = timed_all(client, path, headers, args.requests)
            p95 = statistics.quantiles(times, n=20)[-1]
            worst = max(worst, p95) if label.startswith(("list", "search")) else worst
            total = f"{body['total']:>9,}{'' if body['total_exact'] else '~'}" if body else ""
            print(
                f"{who:26} {label:34} median {statistics.median(times):6.1f} ms   "
                f"p95 {p95:6.1f} ms   {total}"
            )
    print(f"worst list/search p95: {worst:.1f} ms (target < 50 ms at 1,000,000 on PostgreSQL)")


def prepare(households: int) -> dict[str, str]:
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
    tokens = make_users()
    seed(households)
    return tokens


def make_users(suffix: str = "") -> dict[str, str]:
    return {
        "case worker (one commune)": users.create(f"worker{suffix}", "case_worker", "C7")[1],
        "officer (the province)": users.create(f"officer{suffix}", "officer", "P")[1],
    }


def tokens_of_reused() -> dict[str, str]:
    """New users on the rows of a previous run, its statistics and visibility map fresh."""
    vacuum()
    return make_users(f"-{int(time.time())}")


def vacuum() -> None:
    """What autovacuum does to a table loaded once: statistics, and (PostgreSQL) the
    visibility map that lets a bounded count read the index alone."""
    statement = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def names_table() -> None:
    """Small tables of names (as written and folded) that the seeding joins by position."""
    db.session.execute(
        text("CREATE TABLE bench_name (kind TEXT, k INTEGER, name TEXT, folded TEXT)")
    )
    db.session.execute(
        text("INSERT INTO bench_name VALUES (:kind, :k, :name, :folded)"),
        [
            {"kind": kind, "k": k, "name": name, "folded": fold(name)}
            for kind, names in (("f", FAMILIES), ("m", MIDDLES), ("g", GIVENS))
            for k, name in enumerate(names)
        ],
    )


def seed(households: int) -> None:
    dialect = db.engine.dialect.name
    names_table()
    first_unit = db.session.scalar(db.select(db.func.min(Unit.id)).where(Unit.level == "commune"))
    if dialect == "postgresql":
        series = f"generate_series(1, {households}) AS s(n)"
        stamp, digits = "now()", "lpad(n::text, {0}, '0')"
        db.session.execute(text("DROP INDEX ix_household_search_text_trgm"))
    else:
        series = (
            f"(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
            f"WHERE n < {households}) SELECT n FROM r) AS s"
        )
        stamp = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"
        digits = "substr('000000000000' || n, -{0})"
    phone, national_id = "'09' || " + digits.format(8), digits.format(12)
    # household n: commune n / 7 % 100, family n % 10, middle n / 10 % 6, given n / 60 % 20;
    # its member is of the same family, given name n / 7 % 20
    joined = (
        f"FROM {series} JOIN bench_name f ON f.kind = 'f' AND f.k = n % 10 "
        f"JOIN bench_name m ON m.kind = 'm' AND m.k = (n / 10) % 6 "
        f"JOIN bench_name g ON g.kind = 'g' AND g.k = (n / 60) % 20 "
        f"JOIN bench_name h ON h.kind = 'g' AND h.k = (n / 7) % 20"
    )
    head = "f.name || ' ' || m.name || ' ' || g.name"
    head_folded = "f.folded || ' ' || m.folded || ' ' || g.folded"
    member = "f.name || ' ' || m.name || ' ' || h.name"
    member_folded = "f.folded || ' ' || m.folded || ' ' || h.folded"
    key = "rowid" if dialect == "sqlite" else "household_id"
    unit = f"{first_unit} + (n / 7) % {COMMUNES}"
    version = current_workflow("household_lifecycle").version
    statements = [
        f"INSERT INTO household (id, code, head_name, search_name, unit_id, phone, national_id, "
        f"area, state, workflow, workflow_version, version, created_at, updated_at) "
        f"SELECT n, 'B' || n, {head}, {head_folded}, {unit}, "
        f"{phone}, {national_id}, 'rural', 'registered', 'household_lifecycle', {version}, 1, "
        f"{stamp}, {stamp} {joined}",
        f"INSERT INTO member (household_id, full_name, disability) "
        f"SELECT n, {member}, false {joined}",
        f"INSERT INTO household_search ({key}, unit_id, text) "
        f"SELECT n, {unit}, {head_folded} || ' | ' || {member_folded} || ' | b' || n || "
        f"' | ' || {phone} || ' | ' || {national_id} {joined}",
        "DROP TABLE bench_name",
    ]
    if dialect == "postgresql":
        statements += [
            "SELECT setval('household_id_seq', (SELECT max(id) FROM household))",
            "CREATE INDEX ix_household_search_text_trgm ON household_search "
            "USING gin (text gin_trgm_ops)",
        ]
    for statement in statements:
        started = time.perf_counter()
        db.session.execute(text(statement))
        db.session.commit()
        print(f"  {time.perf_counter() - started:6.1f} s  {statement[:70]}...", flush=True)
    started = time.perf_counter()
    vacuum()
    print(f"  {time.perf_counter() - started:6.1f} s  VACUUM ANALYZE", flush=True)


def check_texts() -> None:
    """The seeded texts and units must be what the application writes: compare a sample."""
    key = "rowid" if db.engine.dialect.name == "sqlite" else "household_id"
    for household in db.session.scalars(db.select(Household).order_by(Household.id).limit(20)):
        names = db.session.scalars(
            db.select(Member.full_name).where(Member.household_id == household.id)
        )
        wanted = document(
            household.head_name, household.code, household.phone, household.national_id, names
        )
        seeded = db.session.execute(
            text(f"SELECT text, unit_id FROM household_search WHERE {key} = :id"),
            {"id": household.id},
        ).one()
        assert tuple(seeded) == (wanted, household.unit_id), (seeded, wanted)


def paths(app, households: int) -> list[tuple[str, str]]:
    with app.app_context():
        one = db.session.scalar(
            db.select(Household.id)
            .join(Unit)
            .where(Unit.code == "C7")
            .order_by(Household.id.desc())
            .limit(1)
        )
    middle = 49 + 700 * (households // 1400)  # halfway, and in C7 (commune n / 7 % 100)
    cursor = _cursor_after(middle)
    return [
        ("list, page 1 (with total)", "/api/v1/households?per_page=50"),
        ("list, page 100 (offset)", "/api/v1/households?per_page=50&page=100"),
        ("list, after a cursor halfway", f"/api/v1/households?per_page=50&after={cursor}"),
        ("filter state=registered", "/api/v1/households?state=registered"),
        ("search q=nguyen (10%)", "/api/v1/households?q=nguyen"),
        ("search q=tran van binh", "/api/v1/households?q=tran%20van%20binh"),
        ("search member q=le duc yen", "/api/v1/households?q=le%20duc%20yen"),
        ("search phone", f"/api/v1/households?q=09{middle:08}"),
        ("search CCCD", f"/api/v1/households?q={middle:012}"),
        ("search code", f"/api/v1/households?q=B{middle}"),
        ("search q=an (two letters)", "/api/v1/households?q=an"),
        ("one household", f"/api/v1/households/{one}"),
        ("its history", f"/api/v1/households/{one}/history"),
    ]


def _cursor_after(household_id: int) -> str:
    from caseflow.domain.cursors import encode

    return encode([household_id])


def timed_all(client, path: str, headers: dict, requests: int) -> tuple[list[float], dict]:
    times, body = [], None
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.json
        body = response.json
    return times, body if isinstance(body, dict) and "total" in body else None


if __name__ == "__main__":
    main()
