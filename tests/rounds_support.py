"""A commune's households walked to where a round test needs them, each step on a chosen day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from caseflow import clock
from caseflow.services import approvals, assessments, cases, households, round_members, rounds
from tests.factories import POOR_SURVEY, World, at, deprived

#: the periodic round these tests walk: 2026 (standard 07/2021), its window 1/9 to 14/12
YEAR = 2026
NEAR_POOR_SURVEY = {"income_per_capita_month": 1_300_000, "deprivations": deprived("water")}
ABOVE_SURVEY = {"income_per_capita_month": 2_600_000, "deprivations": deprived()}


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    """Run the block as if it were `day` (09:00 in Vietnam)."""
    with clock.frozen_at(at(day, hour)):
        yield


#: who works each commune of the test world: (case worker, chair)
STAFF = {"C2": ("outsider", "chair2")}


def register(world: World, name: str, village: str = "Đông Hải", unit: str = "C1-V1") -> int:
    worker, _ = STAFF.get(unit, ("worker", "chair"))
    with on(date(YEAR, 1, 5)):
        return households.register(
            world.user(worker), {"head_name": name, "unit_code": unit, "village": village}
        ).id


def recognised(world: World, name: str, survey: dict = POOR_SURVEY, **where) -> int:
    """A household recognised by last spring's regular review (decided 20/03)."""
    household = register(world, name, **where)
    worker, chair = (world.user(n) for n in STAFF.get(where.get("unit"), ("worker", "chair")))
    with on(date(YEAR, 3, 2)):
        cases.fire(worker, household, "start_review", {"started_on": date(YEAR, 3, 2)})
        assessments.record(worker, household, {"surveyed_on": date(YEAR, 3, 2), **survey})
    with on(date(YEAR, 3, 5)):
        cases.fire(
            worker,
            household,
            "agree",
            {"meeting_on": date(YEAR, 3, 5), "agreement_pct": 90, "posted_on": date(YEAR, 3, 5)},
        )
    with on(date(YEAR, 3, 20)):
        asked = cases.fire(worker, household, "recognise", {"decided_on": date(YEAR, 3, 20)})
        approvals.approve(chair, asked.approval.id)
    return household


def periodic(world: World, who: str = "worker", unit: str = "C1", **fields) -> int:
    with on(date(YEAR, 9, 3)):
        made = rounds.create(
            world.user(who), {"unit_code": unit, "kind": "periodic", "year": YEAR, **fields}
        )
    return made.round.id


class Commune:
    """The test commune's households, put where a test needs them through the JSON API."""

    def __init__(self, api):
        self.api = api

    def register(self, name: str, village: str = "Đông Hải", unit: str = "C1-V1", **fields):
        with on(date(YEAR, 1, 5)):
            return self.api.register(head_name=name, village=village, unit_code=unit, **fields)[
                "id"
            ]

    def recognised(self, name: str, survey: dict = POOR_SURVEY, **where) -> int:
        """Recognised by last spring's regular review (decided 20/03)."""
        household = self.register(name, **where)
        with on(date(YEAR, 3, 2)):
            self._ok(self.api.fire(household, "start_review", started_on=f"{YEAR}-03-02"))
            self._ok(self.api.survey(household, surveyed_on=f"{YEAR}-03-02", **survey))
        with on(date(YEAR, 3, 5)):
            day = f"{YEAR}-03-05"
            self._ok(
                self.api.fire(household, "agree", meeting_on=day, posted_on=day, agreement_pct=90)
            )
        with on(date(YEAR, 3, 20)):
            asked = self.api.fire(household, "recognise", decided_on=f"{YEAR}-03-20")
            self._ok(asked)
            approval = asked.json["approval"]["id"]
            self._ok(self.api.post(f"/approvals/{approval}/approve", {}, "chair"))
        return household

    def round(self, kind: str = "periodic", unit: str = "C1", day: date | None = None, **fields):
        with on(day or date(YEAR, 9, 3)):
            made = self.api.post(
                "/rounds", {"unit_code": unit, "kind": kind, "year": YEAR, **fields}
            )
        assert made.status_code == 201, made.json
        return made.json["id"]

    @staticmethod
    def _ok(response) -> None:
        assert response.status_code in (200, 201, 202), response.json


#: the days the service walks take, one step after the other
START, SURVEY, MEETING, REQUEST = (date(YEAR, 9, d) for d in (4, 7, 8, 15))


def start(world: World, round_id: int, day: date = START, **narrow):
    from caseflow.services import round_steps

    with on(day):
        return round_steps.run_step(
            world.user("worker"), round_id, "start_review", data={"started_on": day}, **narrow
        )


def surveys(world: World, round_id: int, found: dict, day: date = SURVEY):
    """Record `found` ({household: survey}) as one list."""
    from caseflow.domain.rounds import SurveyRow
    from caseflow.services import round_steps

    rows = [SurveyRow(h, {"surveyed_on": day, **s}) for h, s in found.items()]
    with on(day):
        return round_steps.record_surveys(world.user("worker"), round_id, rows)


def meeting(world: World, round_id: int, agreements: dict, village="C1-V1", day=MEETING, **more):
    from caseflow.services import round_meetings

    results = [{"household_id": h, "agreement_pct": p} for h, p in agreements.items()]
    with on(day):
        return round_meetings.hold_meeting(
            world.user("worker"),
            round_id,
            {"village": village, "meeting_on": day, "posted_on": day, "results": results, **more},
        )


def request(world: World, round_id: int, day: date = REQUEST, **narrow):
    from caseflow.services import round_steps

    with on(day):
        return round_steps.run_step(
            world.user("worker"), round_id, "request_decision", data={"decided_on": day}, **narrow
        )


def decide(world: World, round_id: int, day: date = REQUEST, who="chair", **narrow):
    from caseflow.services import round_decisions

    with on(day):
        return round_decisions.decide(world.user(who), round_id, "approve", "QĐ số 12", **narrow)


def listed(world: World, round_id: int, ids, day: date = date(YEAR, 9, 3), **fields):
    with on(day):
        return round_members.add_households(
            world.user("worker"), round_id, household_ids=ids, **fields
        )


def progress(world: World, round_id: int, who: str = "worker", day: date = REQUEST):
    with on(day):
        return rounds.show(world.user(who), round_id)
