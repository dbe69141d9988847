"""GET /api/v1/alerts and POST /api/v1/alerts/{id}/ack: alerts addressed to the caller."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.extensions import db
from caseflow.services import deadlines
from tests.factories import at
from tests.timers_support import posted_case

DUE = at(date(2027, 10, 7), 0)  # the posting of 4 October ends: supervisors are reminded


@pytest.fixture
def reminded(clean, world) -> int:
    """A posted household whose supervisors were reminded to decide; return the household id."""
    with clean.app_context():
        case = posted_case(world, date(2027, 10, 4))
        deadlines.sweep(DUE)
        db.session.remove()
    return case.id


def alert_ids(api, who: str, status: str = "open") -> list[int]:
    response = api.get(f"/alerts?status={status}", who=who)
    assert response.status_code == 200, response.json
    return [a["id"] for a in response.json["items"]]


def test_alert_page_has_the_fields_of_the_contract(api, reminded):
    page = api.get("/alerts?status=open", who="chair").json
    assert (page["total"], page["page"], page["per_page"]) == (1, 1, 50)
    [alert] = page["items"]
    assert {
        "id",
        "kind",
        "household_id",
        "deadline_id",
        "message",
        "due_at",
        "created_at",
        "status",
    } <= set(alert)
    assert (alert["kind"], alert["household_id"], alert["status"]) == ("reminder", reminded, "open")
    assert alert["message"].startswith("Hết thời gian niêm yết")
    assert alert["due_at"].startswith("2027-10-06T17:00:00")


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("chair", 1),
        ("deputy", 1),  # supervisors of the household's commune
        ("worker", 0),  # another role
        ("chair2", 0),  # a supervisor of another commune
        ("officer", 0),
    ],
)
def test_alert_to_a_role_is_seen_by_that_role_within_its_units(api, reminded, who, sees):
    assert len(alert_ids(api, who)) == sees


def test_acknowledged_alert_leaves_the_open_list(api, reminded):
    [alert_id] = alert_ids(api, "chair")
    response = api.post(f"/alerts/{alert_id}/ack", who="chair")
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["acked_by"]) == ("acknowledged", "chair")
    assert alert_ids(api, "chair") == []
    assert alert_ids(api, "chair", "acknowledged") == [alert_id]
    assert alert_ids(api, "chair", "all") == [alert_id]


def test_acknowledging_twice_keeps_the_first_acknowledgement(api, reminded):
    [alert_id] = alert_ids(api, "chair")
    api.post(f"/alerts/{alert_id}/ack", who="chair")
    again = api.post(f"/alerts/{alert_id}/ack", who="deputy")
    assert (again.status_code, again.json["acked_by"]) == (200, "chair")


@pytest.mark.parametrize("who", ["worker", "chair2", "officer"])
def test_alert_not_addressed_to_the_caller_cannot_be_acknowledged(api, reminded, who):
    [alert_id] = alert_ids(api, "chair")
    response = api.post(f"/alerts/{alert_id}/ack", who=who)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_unknown_alert_is_404(api, reminded):
    assert api.post("/alerts/999999/ack", who="chair").status_code == 404


@pytest.mark.parametrize("query", ["status=done", "page=0", "per_page=501"])
def test_bad_list_query_is_422(api, reminded, query):
    response = api.get(f"/alerts?{query}", who="chair")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_fields"


def test_alerts_need_a_token(api):
    assert api.get("/alerts", who=None).status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/alerts/303520574564899219660865536/ack"),
        ("post", "/alerts/0/ack"),
        ("get", "/households/99999999999/visits"),
    ],
)
def test_an_id_no_row_can_have_is_not_found(api, method, path):
    response = api.post(path, {}) if method == "post" else api.get(path)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
