"""The world the HTTP benches and the profile run against: a commune, a case worker with a
token, and registered households (set-based, like bench/list_pages.py) to move one each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import text

from bench.common import empty_database
from caseflow import clock
from caseflow.extensions import db
from caseflow.services import units, users
from caseflow.services.definitions import current_workflow
from caseflow.services.search_index import index_households


@dataclass
class HttpWorld:
    token: str
    one: int
    registered: list[int] = field(default_factory=list)
    started_on: str = ""


def prepare(app, households: int) -> HttpWorld:
    """Empty the database and build the world, in an app context of `app`."""
    with app.app_context():
        empty_database()
        units.load(
            [
                {"code": "P", "name": "Tỉnh", "level": "province"},
                {"code": "C1", "name": "Xã Một", "level": "commune", "parent_code": "P",
                 "area": "rural"},
            ]
        )  # fmt: skip
        token = users.create("worker", "case_worker", "C1", "mật-khẩu-thử-1")[1]
        unit_id = db.session.scalar(text("SELECT id FROM unit WHERE code = 'C1'"))
        version = current_workflow("household_lifecycle").version
        if db.engine.dialect.name == "postgresql":
            series = f"generate_series(1, {households}) AS s(n)"
            stamp = "now()"
        else:
            series = (
                f"(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r "
                f"WHERE n < {households}) SELECT n FROM r) AS s"
            )
            stamp = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"
        db.session.execute(
            text(
                "INSERT INTO household (code, head_name, search_name, unit_id, phone, area, "
                "state, workflow, workflow_version, version, created_at, updated_at) "
                f"SELECT 'B' || n, 'Nguyễn Văn ' || n, 'nguyen van ' || n, {unit_id}, "
                f"'0912345678', 'rural', 'registered', 'household_lifecycle', {version}, 1, "
                f"{stamp}, {stamp} FROM {series}"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO member (household_id, full_name, birth_date, sex, disability) "
                "SELECT id, head_name, '1980-01-01', 'male', false FROM household"
            )
        )
        ids = list(db.session.scalars(text("SELECT id FROM household ORDER BY id")))
        index_households(ids)
        db.session.commit()
        started_on = (clock.today() - timedelta(days=3)).isoformat()
        return HttpWorld(token, ids[0], ids[1:], started_on)
