"""Test data built through the services, as a user would make it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from caseflow import clock
from caseflow.domain.standards import INDICATOR_KEYS, StandardError, standard_in_force
from caseflow.domain.standards_files import load_standards_dir
from caseflow.extensions import db
from caseflow.models import User
from caseflow.services import supports, units, users
from caseflow.services.definitions import deploy

PASSWORD = "mật-khẩu-thử-1"
#: the indicators of Decree 07/2021; of_its_standard() fits a survey to another standard's
NO_DEPRIVATIONS = dict.fromkeys(INDICATOR_KEYS, False)


def deprived(*keys: str) -> dict[str, bool]:
    return {**NO_DEPRIVATIONS, **dict.fromkeys(keys, True)}


STANDARDS = load_standards_dir(Path(__file__).resolve().parents[1] / "workflows" / "standards")


def of_its_standard(survey: dict, day: date | str) -> dict:
    """The survey with the indicators of the standard in force on `day`: those it marks deprived
    stay deprived, the others it lacks are not, and the ones that standard has not are dropped
    (so that one survey of these tests fits 07/2021 and 2027-2030 alike)."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    try:
        keys = standard_in_force(STANDARDS, day).indicator_keys
    except StandardError:  # no standard that day: the test means the survey to be refused
        return survey
    given = survey.get("deprivations")
    if not isinstance(given, dict) or set(given) - set(INDICATOR_KEYS):
        return survey  # a test of wrong indicators sends them as they are
    return {**survey, "deprivations": {key: bool(given.get(key, False)) for key in keys}}


POOR_SURVEY = {
    "income_per_capita_month": 1_200_000,
    "deprivations": deprived("employment", "health_insurance", "water"),
}
ABOVE_LINE_SURVEY = {"income_per_capita_month": 2_000_000, "deprivations": deprived("water")}


@dataclass
class World:
    """Ids and tokens of the test users (rows are loaded in the caller's session)."""

    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return db.session.get(User, self.ids[name])


UNITS = [
    {"code": "P", "name": "Tỉnh Nam Định", "level": "province"},
    {"code": "C1", "name": "Xã Hải Đông", "level": "commune", "parent_code": "P", "area": "rural"},
    {
        "code": "C1-V1",
        "name": "Thôn Đông Hải",
        "level": "village",
        "parent_code": "C1",
        "area": "rural",
    },
    {"code": "C2", "name": "Xã Hải Tây", "level": "commune", "parent_code": "P", "area": "rural"},
    {"code": "W1", "name": "Phường Yên Định", "level": "ward", "parent_code": "P", "area": "urban"},
]
USERS = [
    ("worker", "case_worker", "C1"),
    ("worker2", "case_worker", "C1"),
    ("chair", "supervisor", "C1"),
    ("deputy", "supervisor", "C1"),
    ("officer", "officer", "P"),
    ("admin", "admin", None),
    ("outsider", "case_worker", "C2"),
    ("chair2", "supervisor", "C2"),
]


def build_world() -> World:
    deploy()
    supports.sync_programs()
    units.load(UNITS)
    world = World()
    for name, role, unit in USERS:
        user, token = users.create(name, role, unit, PASSWORD, email=f"{name}@example.org")
        world.ids[name], world.tokens[name] = user.id, token
    return world


def at(day: date, hour: int = 9) -> datetime:
    """A business-local moment on `day`, as aware UTC."""
    return datetime.combine(day, time(hour), clock.BUSINESS_TZ).astimezone(clock.UTC_TZ)


#: how long ago the reviews and surveys of the API helpers happened, unless a test says
REVIEW_DAYS, SURVEY_DAYS = 30, 20


class Api:
    """A JSON client that speaks as one of the world's users."""

    def __init__(self, client, world: World):
        self.client, self.world = client, world

    def _headers(self, who: str | None):
        return {"Authorization": f"Bearer {self.world.tokens[who]}"} if who else {}

    def get(self, path: str, who: str | None = "worker", **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self._headers(who), **kwargs)

    def post(self, path: str, body=None, who: str | None = "worker", **kwargs):
        return self.client.post(f"/api/v1{path}", json=body, headers=self._headers(who), **kwargs)

    def patch(self, path: str, body=None, who: str | None = "worker"):
        return self.client.patch(f"/api/v1{path}", json=body, headers=self._headers(who))

    def register(self, who: str = "worker", **fields) -> dict:
        body = {
            "head_name": "Nguyễn Thị Hoa",
            "unit_code": "C1-V1",
            "village": "Đông Hải",
            **fields,
        }
        response = self.post("/households", body, who)
        assert response.status_code == 201, response.json
        return response.json

    def fire(self, household_id: int, trigger: str, who: str = "worker", reason=None, **data):
        """Fire a trigger; a review starts REVIEW_DAYS ago unless the test dates it, so that
        its survey (SURVEY_DAYS ago) and meeting (14 days ago) can follow in order."""
        if trigger in ("start_review", "relapse"):
            data.setdefault("started_on", days_ago(REVIEW_DAYS))
        body = {"trigger": trigger, "data": data}
        if reason is not None:
            body["reason"] = reason
        return self.post(f"/households/{household_id}/transitions", body, who)

    def survey(self, household_id: int, who: str = "worker", **fields):
        body = {"surveyed_on": days_ago(SURVEY_DAYS), **POOR_SURVEY, **fields}
        if (
            isinstance(body["surveyed_on"], str)
            and len(body["surveyed_on"]) == 10
            and "deprivations" not in fields
        ):
            body = of_its_standard(body, body["surveyed_on"])
        return self.post(f"/households/{household_id}/assessments", body, who)


def days_ago(days: int) -> str:
    """An ISO date `days` before today (business calendar)."""
    return (clock.today() - timedelta(days=days)).isoformat()


def assert_error(response, status: int, code: str, fields: set[str] | None = None) -> dict:
    """Check the envelope of API.md and return its body."""
    assert response.status_code == status, response.json
    assert set(response.json) == {"error"}
    error = response.json["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]
    if fields is not None:
        assert set(error["fields"]) == fields
    return error


def posted(api: Api, who: str = "worker", days: int = 14, **register) -> int:
    """A household surveyed as poor, agreed at its meeting and posted `days` ago."""
    hid = api.register(who, **register)["id"]
    assert (
        api.fire(hid, "start_review", who, started_on=days_ago(max(days, REVIEW_DAYS))).status_code
        == 200
    )
    assert api.survey(hid, who, surveyed_on=days_ago(max(days, SURVEY_DAYS))).status_code == 201
    agreed = api.fire(
        hid, "agree", who, meeting_on=days_ago(days), posted_on=days_ago(days), agreement_pct=80
    )
    assert agreed.status_code == 200, agreed.json
    return hid
