"""A small province for trying caseflow: units, users of each role, households in every state.

Its map is today's two-level layout (since 1 July 2025): province, then commune (xã, rural) or
ward (phường, urban), then village or residential group; no district, no township. The names are
the demo's own, not a claim about the real map: the province's name is invented and says so, and
the communes keep the names the demo has always had (Xã Hải Đông, Xã Hải Tây; the former
township of Yên Định is now a ward), which the guides and the rounds demo use.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from caseflow import clock
from caseflow.domain.standards import INDICATOR_KEYS
from caseflow.extensions import db
from caseflow.models import Unit, User
from caseflow.services import (
    approvals,
    assessments,
    cases,
    households,
    round_members,
    rounds,
    supports,
    units,
    users,
)
from caseflow.services.definitions import deploy

PASSWORD = "caseflow-demo"
#: an invented name, marked as such: the real province of the demo's communes is not confirmed
PROVINCE_NAME = "Tỉnh Thử Nghiệm (tên mô phỏng)"
UNITS = [
    {"code": "NDH", "name": PROVINCE_NAME, "level": "province"},
    {
        "code": "HD",
        "name": "Xã Hải Đông",
        "level": "commune",
        "parent_code": "NDH",
        "area": "rural",
    },
    {"code": "HT", "name": "Xã Hải Tây", "level": "commune", "parent_code": "NDH", "area": "rural"},
    {
        "code": "YD",
        "name": "Phường Yên Định",
        "level": "ward",
        "parent_code": "NDH",
        "area": "urban",
    },
]
VILLAGES = {
    "HD": ["Đông Hải", "Đông Lý", "Tân Đông"],
    "HT": ["Tây Sơn", "Tây Lạc"],
    "YD": ["Tổ dân phố 1", "Tổ dân phố 2"],
}
USERS = [
    ("admin", "admin", None, "Quản trị hệ thống"),
    ("canbo.tinh", "officer", "NDH", "Trần Văn Minh (Sở Nông nghiệp và Môi trường)"),
    ("chutich.haidong", "supervisor", "HD", "Phạm Văn Thành (Chủ tịch UBND xã)"),
    ("canbo.haidong", "case_worker", "HD", "Nguyễn Thị Lan (cán bộ giảm nghèo)"),
    ("chutich.haitay", "supervisor", "HT", "Vũ Đức Hùng (Chủ tịch UBND xã)"),
    ("canbo.haitay", "case_worker", "HT", "Đỗ Thị Mai (cán bộ giảm nghèo)"),
    ("chutich.yendinh", "supervisor", "YD", "Hoàng Văn Nam (Chủ tịch UBND phường)"),
    ("canbo.yendinh", "case_worker", "YD", "Lê Thị Hương (cán bộ giảm nghèo)"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc"]
GIVEN = ["Hoa", "Lan", "Bình", "An", "Hùng", "Mai", "Tuấn", "Hạnh", "Sơn", "Yến", "Dũng", "Thảo"]
#: how far along each demo household goes, and how many of each per commune
PLAN = [
    ("registered", 2),
    ("under_review", 2),
    ("classified", 2),
    ("posted", 2),
    ("awaiting_recognition", 2),
    ("recognised", 2),
    ("supported", 2),
    ("follow_up", 2),
    ("graduated", 1),
]
DECISIONS = ("request", "decide", "decide_exit")
KEYS = INDICATOR_KEYS  # the 07/2021 standard's, under which the demo's surveys are


def load() -> Iterator[str]:
    """Create the demo province once; yield lines to print (users and passwords)."""
    deploy()
    supports.sync_programs()
    if db.session.scalar(db.select(Unit.id).filter_by(code="NDH")) is None:
        _create()
        yield f"demo province created: {PROVINCE_NAME}, 2 communes and a ward, their households"
        yield "and Xã Hải Đông's periodic review round, its listed households on its list"
    else:
        yield "demo province already loaded"
    yield f"users (password for all: {PASSWORD}):"
    for name, role, unit, full_name in USERS:
        yield f"  {name:18} {role:12} {unit or '-':4} {full_name}"


def _create() -> None:
    units.load(
        UNITS
        + [
            {
                "code": f"{code}-{i + 1}",
                "name": f"Thôn {name}" if code != "YD" else name,
                "level": "village",
                "parent_code": code,
                "area": "urban" if code == "YD" else "rural",
            }
            for code, names in VILLAGES.items()
            for i, name in enumerate(names)
        ]
    )
    for name, role, unit, full_name in USERS:
        users.create(name, role, unit, PASSWORD, full_name=full_name, email=f"{name}@example.org")
    rng = random.Random(2026)
    for commune in VILLAGES:
        worker, chair = _user(f"canbo.{_slug(commune)}"), _user(f"chutich.{_slug(commune)}")
        for goal, count in PLAN:
            for _ in range(count):
                _walk(rng, commune, worker, chair, goal)
    _round(_user("canbo.haidong"))


def _round(worker: User) -> None:
    """Xã Hải Đông's latest periodic round, its listed households on its list, to try it."""
    today = clock.today()
    year = today.year if today >= date(today.year, 9, 1) else today.year - 1
    made = rounds.create(worker, {"unit_code": "HD", "kind": "periodic", "year": year})
    round_members.add_households(worker, made.round.id, listed=True)


def _slug(commune: str) -> str:
    return {"HD": "haidong", "HT": "haitay", "YD": "yendinh"}[commune]


def _user(name: str) -> User:
    return db.session.scalar(db.select(User).filter_by(username=name))


def _walk(rng: random.Random, commune: str, worker: User, chair: User, goal: str) -> None:
    """Register a household and carry it, at past dates, as far as `goal`."""
    start = clock.today() - timedelta(days=rng.randint(40, 90))
    if goal == "graduated":
        start = clock.today() - timedelta(days=37 * 31)
    village = rng.randint(1, len(VILLAGES[commune]))
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    with clock.frozen_at(_moment(start)):
        household = households.register(
            worker,
            {
                "head_name": name,
                "unit_code": f"{commune}-{village}",
                "village": VILLAGES[commune][village - 1],
                "members": [
                    {
                        "full_name": name,
                        "sex": rng.choice(["male", "female"]),
                        "relation": "chủ hộ",
                        "ethnicity": "Kinh",
                    }
                ],
            },
        )
    steps = _steps(goal)
    day = start
    for step in steps:
        day += timedelta(days=7 if step in DECISIONS else rng.randint(1, 3))
        with clock.frozen_at(_moment(day)):
            _do(step, household.id, worker, chair, day, rng)


def _steps(goal: str) -> list[str]:
    review = ["start_review", "survey", "agree"]
    lifecycle = {
        "registered": [],
        "under_review": ["start_review"],
        "classified": ["start_review", "survey"],
        "posted": review,
        "awaiting_recognition": [*review, "request"],
        "recognised": [*review, "decide"],
        "supported": [*review, "decide", "support"],
        "follow_up": [*review, "decide", "start_review", "survey_exit", "agree", "decide_exit"],
        "graduated": [*review, "decide", "start_review", "survey_exit", "agree", "decide_exit"],
    }
    return lifecycle[goal]


def _do(step, hid, worker, chair, day, rng) -> None:
    if step == "start_review":
        cases.fire(worker, hid, "start_review", {"review_kind": "periodic"})
    elif step in ("survey", "survey_exit"):
        exit_ = step == "survey_exit"
        deprived = rng.sample(KEYS, 1 if exit_ else rng.randint(1, 5))
        assessments.record(
            worker,
            hid,
            {
                "surveyed_on": day,
                "income_per_capita_month": rng.randrange(1_600_000, 2_200_000, 50_000)
                if exit_
                else rng.randrange(700_000, 1_450_000, 50_000),
                "deprivations": {k: k in deprived for k in KEYS},
            },
        )
    elif step == "agree":
        cases.fire(
            worker,
            hid,
            "agree",
            {"meeting_on": day, "posted_on": day, "agreement_pct": rng.randint(60, 95)},
        )
    elif step == "request":
        cases.fire(worker, hid, "recognise", {"decided_on": day})
    elif step in ("decide", "decide_exit"):
        trigger = "exit" if step == "decide_exit" else "recognise"
        outcome = cases.fire(worker, hid, trigger, {"decided_on": day})
        approvals.approve(chair, outcome.approval.id, "Quyết định của UBND xã")
    elif step == "support":
        supports.propose(
            worker,
            hid,
            rng.choice(["livelihood_model", "health_insurance", "preferential_credit"]),
            None,
        )
        outcome = cases.fire(worker, hid, "assign_support", {"decided_on": day})
        approvals.approve(chair, outcome.approval.id, None)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(9), clock.BUSINESS_TZ).astimezone(clock.UTC_TZ)
