"""POST /api/v1/households/{id}/visits: a monitoring visit satisfies the due reminder."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.services import deadlines
from tests.factories import at
from tests.timers_support import Case, exited_case

VISIT_DUE = at(date(2027, 10, 15), 0)  # 6 months after the exit decision of 15 April 2027
TODAY = at(date(2027, 10, 20))


@pytest.fixture
def followed_up(clean, world) -> int:
    """A household out of poverty since 15 April 2027, reminded of its first visit."""
    with clean.app_context():
        case = exited_case(world, date(2027, 4, 15))
        deadlines.sweep(VISIT_DUE)
        db.session.remove()
    return case.id


def visit(api, household_id: int, who: str = "worker", **body):
    body = {"visited_on": "2027-10-18", "notes": "Gia đình ổn định", **body}
    with clock.frozen_at(TODAY):
        return api.post(f"/households/{household_id}/visits", body, who=who)


def open_alerts(api, who: str = "worker") -> list[dict]:
    with clock.frozen_at(TODAY):
        return api.get("/alerts?per_page=500", who=who).json["items"]


def monitoring(api, household_id: int) -> list[tuple[str, str]]:
    with clock.frozen_at(TODAY):
        rows = api.get(f"/households/{household_id}/deadlines").json
    return [(d["status"], d["due_at"][:10]) for d in rows if d["key"] == "monitoring_visit"]


def test_visit_closes_the_due_reminder_and_schedules_the_next_from_the_visit(api, followed_up):
    reminder = next(a for a in open_alerts(api) if a["message"].startswith("Đến hạn thăm"))
    response = visit(api, followed_up)
    assert response.status_code == 201, response.json
    assert response.json["next_due_at"].startswith("2028-04-17T17:00:00")  # 18 April, local
    assert reminder["id"] not in [a["id"] for a in open_alerts(api)]
    assert monitoring(api, followed_up) == [("fired", "2027-10-14"), ("pending", "2028-04-17")]


def test_visit_before_the_reminder_marks_it_done(api, clean, world):
    with clean.app_context():
        household_id = exited_case(world, date(2027, 4, 15)).id
        db.session.remove()
    assert visit(api, household_id, visited_on="2027-08-01").status_code == 201
    assert monitoring(api, household_id) == [("done", "2027-10-14"), ("pending", "2028-01-31")]


def test_hardship_alerts_the_case_workers_to_consider_relapse(api, followed_up):
    response = visit(api, followed_up, hardship=True, notes="Chủ hộ mất việc, con ốm")
    assert response.status_code == 201, response.json
    for who in ("worker", "worker2"):
        hardship = [a for a in open_alerts(api, who) if a["kind"] == "hardship"]
        assert [a["message"] for a in hardship] == ["18/10/2027: Chủ hộ mất việc, con ốm"]
    assert [a for a in open_alerts(api, "chair") if a["kind"] == "hardship"] == []


def test_relapse_closes_the_hardship_alert(api, followed_up, clean, world):
    visit(api, followed_up, hardship=True, notes="Mất mùa")
    with clean.app_context():
        Case(world, followed_up).fire(date(2027, 10, 20), "relapse", reason="Mất mùa, thiếu ăn")
        db.session.remove()
    assert [a for a in open_alerts(api) if a["kind"] == "hardship"] == []


def test_visits_are_listed_newest_first(api, followed_up):
    visit(api, followed_up, visited_on="2027-10-16")
    visit(api, followed_up, visited_on="2027-10-18", hardship=True)
    with clock.frozen_at(TODAY):
        listed = api.get(f"/households/{followed_up}/visits").json
    assert [(v["visited_on"], v["hardship"], v["recorded_by"]) for v in listed] == [
        ("2027-10-18", True, "worker"),
        ("2027-10-16", False, "worker"),
    ]


def test_visit_outside_follow_up_is_409(api, clean, world):
    with clean.app_context():
        household_id = Case.register(world, date(2027, 3, 1)).id
        db.session.remove()
    response = visit(api, household_id)
    assert response.status_code == 409
    assert "follow" in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"visited_on": "2027-10-21"}, "visited_on"),  # tomorrow
        ({"visited_on": "18/10/2027"}, "visited_on"),
        ({"visited_on": None}, "visited_on"),
        ({"hardship": "maybe"}, "hardship"),
        ({"mood": "good"}, "mood"),
    ],
)
def test_bad_visit_is_422_naming_the_field(api, followed_up, body, field):
    response = visit(api, followed_up, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("officer", 403)])
def test_visit_by_someone_without_the_household_is_refused(api, followed_up, who, status):
    assert visit(api, followed_up, who=who).status_code == status
