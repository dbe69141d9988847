"""A commune's periodic round, village by village, against the bulk path's floor.

A commune of N households (default 10,000) in 20 villages, a third of them on the poor list, is
taken through a round's steps as the pages and the API take it: the list, then for each village
start_review, its surveys, its meeting, request_decision and the chair's batch decision. Each
step is timed per village call (the target: a village of 500 households answers in under 5 s on
PostgreSQL), per 1,000 households, and against the same moves made straight through the bulk
path (services.bulk, services.approvals) on a twin commune that is in no round: the round's
own cost is the ratio.

    python bench/round_bench.py [--households 10000] [--villages 20]
                                [--db postgresql://postgres@127.0.0.1/bench]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as dtime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from sqlalchemy import JSON, insert, literal, select, text  # noqa: E402

from bench.common import empty_database  # noqa: E402
from caseflow import clock, create_app  # noqa: E402
from caseflow.domain.rounds import SurveyRow  # noqa: E402
from caseflow.extensions import db  # noqa: E402
from caseflow.models import Approval, Event, Household, Unit, User  # noqa: E402
from caseflow.models.base import UTCDateTime  # noqa: E402
from caseflow.services import (
    approvals,
    bulk,
    round_decisions,
    round_meetings,
    round_members,
    round_steps,
    rounds,
    units,
    users,
)  # noqa: E402
from caseflow.services.definitions import current_workflow  # noqa: E402

#: the step a village call makes, in order
STEPS = ("start_review", "surveys", "meeting", "request_decision", "decide")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CASEFLOW_PASSWORD_HASH": "pbkdf2:sha256:1",
            "SECRET_KEY": "bench",
        }
    )
    year = clock.today().year - 1  # last year's round: every date is in the past
    with app.app_context():
        empty_database()
        worker, chair = prepare(args.villages)
        in_round = seed("C", args.households, args.villages, year)
        twin = seed("T", args.households, args.villages, year)
        bench = Bench(worker, chair, year, args.villages)
        listed = bench.time(lambda: bench.make_round(in_round))
        round_times = {step: [] for step in STEPS}
        floor_times = {step: [] for step in STEPS}
        for village in range(1, args.villages + 1):
            for step in STEPS:
                mine, theirs = in_round[village], twin[village]
                round_times[step].append(
                    bench.time(lambda s=step, v=village, i=mine: bench.round_step(s, v, i))
                )
                floor_times[step].append(bench.time(lambda s=step, i=theirs: bench.bulk_step(s, i)))
            fresh_statistics()  # as autovacuum keeps them: a commune's villages take days
        read = bench.time(lambda: rounds.show(worker, bench.round_id))
        bench.check(args.households)
    report(url, args, listed, round_times, floor_times, read)


def prepare(villages: int) -> tuple[User, User]:
    """A province with two communes of `villages` villages: the round's, and its twin."""
    rows = [{"code": "P", "name": "Tỉnh", "level": "province"}]
    for commune, name in (("C", "Xã Bình An"), ("T", "Xã Song Sinh")):
        rows.append(
            {"code": commune, "name": name, "level": "commune", "parent_code": "P", "area": "rural"}
        )
        rows += [
            {
                "code": f"{commune}-V{v:02d}",
                "name": f"Thôn {v}",
                "level": "village",
                "parent_code": commune,
                "area": "rural",
            }
            for v in range(1, villages + 1)
        ]
    units.load(rows)
    # at the province, so that one pair works both communes
    worker, _ = users.create("worker", "case_worker", "P", "mật-khẩu-bench-1")
    chair, _ = users.create("chair", "supervisor", "P", "mật-khẩu-bench-2")
    return worker, chair


def seed(commune: str, households: int, villages: int, year: int) -> dict[int, list[int]]:
    """Insert a commune's households (not timed): a third recognised poor last spring."""
    prefix = commune
    definition = current_workflow("household_lifecycle")
    unit_ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    now, rows = clock.now(), []
    for n in range(households):
        listed = n % 3 == 0
        rows.append(
            {
                "code": f"{prefix}{n:06d}",
                "head_name": f"Hộ {prefix} {n}",
                "search_name": f"ho {prefix.lower()} {n}",
                "unit_id": unit_ids[f"{commune}-V{n % villages + 1:02d}"],
                "area": "rural",
                "state": "recognised" if listed else "registered",
                "classification": "poor" if listed else None,
                "proposed_classification": "poor" if listed else None,
                "recorded_on": date(year, 3, 20) if listed else None,
                "recorded_field": "decided_on" if listed else None,
                "workflow": definition.name,
                "workflow_version": definition.version,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), 5_000):
        db.session.execute(insert(Household.__table__), rows[start : start + 5_000])
    db.session.commit()
    _registered(prefix, definition, now)
    fresh_statistics()
    village_of = {unit_ids[f"{commune}-V{v:02d}"]: v for v in range(1, villages + 1)}
    found: dict[int, list[int]] = {}
    for household_id, unit_id in db.session.execute(
        db.select(Household.id, Household.unit_id)
        .where(Household.code.startswith(prefix))
        .order_by(Household.id)
    ):
        found.setdefault(village_of[unit_id], []).append(household_id)
    return found


def _registered(prefix: str, definition, now) -> None:
    """Each household's history starts with its registration, as a real one's does."""
    columns = (
        "household_id",
        "at",
        "trigger",
        "to_state",
        "classification",
        "unit_id",
        "actor",
        "data",
        "workflow",
        "workflow_version",
    )
    values = select(
        Household.id,
        literal(now, UTCDateTime()),
        literal("register"),
        Household.state,
        Household.classification,
        Household.unit_id,
        literal("bench"),
        literal({}, JSON()),
        literal(definition.name),
        literal(definition.version),
    ).where(Household.code.startswith(prefix))
    db.session.execute(insert(Event).from_select(columns, values))
    db.session.commit()


def fresh_statistics() -> None:
    db.session.execute(text("ANALYZE"))
    db.session.commit()


class Bench:
    """The steps, through a round and straight through the bulk path, on their own days."""

    DAYS = {
        "add": 3,
        "start_review": 4,
        "surveys": 7,
        "meeting": 8,
        "request_decision": 21,
        "decide": 21,
    }

    def __init__(self, worker: User, chair: User, year: int, villages: int):
        self.worker, self.chair, self.year, self.villages = worker, chair, year, villages
        self.round_id = None

    def day(self, step: str) -> date:
        return date(self.year, 9, self.DAYS[step])

    def time(self, function: Callable[[], object]) -> float:
        started = time.perf_counter()
        function()
        return time.perf_counter() - started

    def make_round(self, households: dict[int, list[int]]) -> None:
        with clock.frozen_at(_at(self.day("add"))):
            made = rounds.create(
                self.worker, {"unit_code": "C", "kind": "periodic", "year": self.year}
            )
            self.round_id = made.round.id
            round_members.add_households(self.worker, self.round_id, listed=True)
            others = [h for ids in households.values() for h in ids]
            round_members.add_households(self.worker, self.round_id, household_ids=others)

    def survey(self, household_id: int, day: date) -> dict:
        standard = bulk.standard_on(day)
        deprived = ("employment", "health_insurance", "water")
        return {
            "surveyed_on": day,
            "income_per_capita_month": 1_200_000 if household_id % 2 else 2_600_000,
            "deprivations": {i.key: i.key in deprived for i in standard.indicators},
        }

    def round_step(self, step: str, village: int, ids: list[int]) -> None:
        key, day = f"C-V{village:02d}", self.day(step)
        with clock.frozen_at(_at(day)):
            if step == "start_review":
                done = round_steps.run_step(
                    self.worker, self.round_id, step, village=key, data={"started_on": day}
                )
            elif step == "surveys":
                done = round_steps.record_surveys(
                    self.worker, self.round_id, [SurveyRow(h, self.survey(h, day)) for h in ids]
                )
            elif step == "meeting":
                held = round_meetings.hold_meeting(
                    self.worker,
                    self.round_id,
                    {
                        "village": key,
                        "meeting_on": day,
                        "posted_on": day,
                        "results": [{"household_id": h, "agreement_pct": 80} for h in ids],
                    },
                )
                done = held.results
            elif step == "request_decision":
                done = round_steps.run_step(
                    self.worker, self.round_id, step, village=key, data={"decided_on": day}
                )
            else:
                done = round_decisions.decide(
                    self.chair, self.round_id, "approve", "QĐ", village=key
                )
        _all_moved(step, done, len(ids))

    def bulk_step(self, step: str, ids: list[int]) -> None:
        """The same moves with no round: the floor the round's steps are measured against."""
        day = self.day(step)
        with clock.frozen_at(_at(day)):
            if step == "start_review":
                done = bulk.fire_many(
                    self.worker,
                    ids,
                    step,
                    {"review_kind": "periodic", "started_on": day},
                    each=True,
                )
            elif step == "surveys":
                done = bulk.record_surveys(
                    self.worker,
                    [{"household_id": h, **self.survey(h, day)} for h in ids],
                    each=True,
                )
            elif step == "meeting":
                done = bulk.fire_many(
                    self.worker,
                    ids,
                    "agree",
                    {"meeting_on": day, "agreement_pct": 80, "posted_on": day},
                    each=True,
                )
            elif step == "request_decision":
                views = bulk.moves.views(ids)
                from caseflow.domain.rounds import decision_for

                done = bulk.fire_all(
                    self.worker,
                    [bulk.Order(h, decision_for(views[h].facts), {"decided_on": day}) for h in ids],
                    each=True,
                )
            else:
                pending = db.session.scalars(
                    db.select(Approval.id).where(
                        Approval.household_id.in_(ids), Approval.status == "pending"
                    )
                ).all()
                done = approvals.approve_many(self.chair, pending, "QĐ")
        _all_moved(step, done, len(ids))

    def check(self, households: int) -> None:
        found = rounds.show(self.worker, self.round_id)
        assert found.progress.steps["decided"] == households, found.progress.steps
        assert found.round.status == "closed"


def _all_moved(step: str, done, expected: int) -> None:
    moved = [
        d for d in done if _status(d) not in ("refused", "not_found", None) and _error(d) is None
    ]
    assert len(moved) == expected, (step, len(moved), expected, [_error(d) for d in done][:3])


def _status(item):
    if isinstance(item, dict):  # a meeting's outcome, or a decision's
        return item.get("status") or item.get("outcome")
    return item.status


def _error(item):
    return item.get("error") if isinstance(item, dict) else item.error


def _at(day: date) -> datetime:
    """09:00 in Vietnam on `day`, the moment each step is made at."""
    return datetime.combine(day, dtime(9), clock.BUSINESS_TZ)


def report(url, args, listed, round_times, floor_times, read) -> None:
    per_village = args.households / args.villages
    print(
        f"database: {url.split(':', 1)[0]}  households: {args.households:,} in "
        f"{args.villages} villages ({per_village:,.0f} a village)"
    )
    print(f"make the round and list every household: {listed:6.2f} s")
    print(f"{'step':<18}{'slowest village':>16}{'per 1,000':>11}{'bulk floor':>12}{'ratio':>8}")
    for step in STEPS:
        total, floor = sum(round_times[step]), sum(floor_times[step])
        print(
            f"{step:<18}{max(round_times[step]):>14.2f} s{total / args.households * 1000:>9.2f} s"
            f"{floor / args.households * 1000:>10.2f} s{total / floor:>8.2f}"
        )
    slowest = max(max(times) for times in round_times.values())
    print(f"slowest village call: {slowest:.2f} s (target < 5 s for 500 households on PostgreSQL)")
    print(f"read the round's progress ({args.households:,} households): {read * 1000:.0f} ms")


if __name__ == "__main__":
    main()
