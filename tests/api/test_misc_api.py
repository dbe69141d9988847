"""Auth, units, programmes, supports, workflows, reports and the OpenAPI document over HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import ApiToken, SupportItem, Unit
from tests.factories import PASSWORD, assert_error, at, posted


def count(app, model) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(db.func.count()).select_from(model))
        db.session.remove()
    return found


def recognised(api, who: str = "worker", **register) -> int:
    hid = posted(api, who, **register)
    approval = api.fire(hid, "recognise", who).json["approval"]
    approver = "chair" if who == "worker" else "chair2"
    assert api.post(f"/approvals/{approval['id']}/approve", {}, who=approver).status_code == 200
    return hid


# -- tokens and 401 ---------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/units"),
    ("post", "/units"),
    ("get", "/households"),
    ("post", "/households"),
    ("get", "/households/1"),
    ("patch", "/households/1"),
    ("get", "/households/1/history"),
    ("get", "/households/1/deadlines"),
    ("get", "/households/1/assessments"),
    ("post", "/households/1/assessments"),
    ("post", "/households/1/transitions"),
    ("get", "/households/1/supports"),
    ("post", "/households/1/supports"),
    ("get", "/approvals"),
    ("get", "/approvals/1"),
    ("post", "/approvals/1/approve"),
    ("post", "/approvals/1/reject"),
    ("post", "/approvals/batch"),
    ("get", "/programs"),
    ("get", "/workflows"),
    ("get", "/reports/summary?unit=P"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Token abc"])
def test_every_endpoint_refuses_a_missing_or_bad_token(
    client, world, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = getattr(client, method)(f"/api/v1{path}", json={}, headers=headers)

    assert_error(response, 401, "unauthorized")


def test_a_token_is_issued_for_a_user_name_and_password(app, api) -> None:
    tokens = count(app, ApiToken)

    response = api.post("/auth/tokens", {"username": "worker", "password": PASSWORD}, who=None)

    assert response.status_code == 201, response.json
    assert set(response.json) == {"token"}
    mine = {"Authorization": f"Bearer {response.json['token']}"}
    assert api.client.get("/api/v1/households", headers=mine).status_code == 200
    assert count(app, ApiToken) == tokens + 1


@pytest.mark.parametrize(
    ("username", "password"), [("worker", "wrong"), ("nobody", PASSWORD), ("worker", "")]
)
def test_a_wrong_password_or_user_is_a_401(app, api, username: str, password: str) -> None:
    tokens = count(app, ApiToken)

    response = api.post("/auth/tokens", {"username": username, "password": password}, who=None)

    assert_error(response, 401, "unauthorized")
    assert count(app, ApiToken) == tokens


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "worker"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "wor\x00ker", "password": PASSWORD}, "username"),
        ({"username": "worker", "password": PASSWORD, "role": "admin"}, "role"),
    ],
)
def test_asking_for_a_token_with_wrong_fields_is_a_422(api, body: dict, field: str) -> None:
    assert_error(api.post("/auth/tokens", body, who=None), 422, "invalid_fields", {field})


def test_asking_for_a_token_with_a_body_that_is_not_json_is_a_400(api) -> None:
    response = api.post(
        "/auth/tokens", who=None, data='{"username": "worker",', content_type="application/json"
    )

    assert_error(response, 400, "bad_request")


def test_repeated_wrong_passwords_are_throttled(api) -> None:
    for _ in range(5):
        api.post("/auth/tokens", {"username": "worker", "password": "guess"}, who=None)

    response = api.post("/auth/tokens", {"username": "worker", "password": PASSWORD}, who=None)

    assert_error(response, 429, "too_many_requests")


def test_an_unknown_path_is_a_404_in_the_envelope(api) -> None:
    assert_error(api.get("/nothing-here"), 404, "not_found")


def test_a_method_not_allowed_is_a_405_in_the_envelope(api) -> None:
    assert_error(
        api.client.delete(
            "/api/v1/households", headers={"Authorization": f"Bearer {api.world.tokens['worker']}"}
        ),
        405,
        "method_not_allowed",
    )


# -- units ------------------------------------------------------------------------------------


def test_units_are_listed_within_the_callers_scope(api) -> None:
    worker = api.get("/units").json
    admin = api.get("/units", who="admin").json

    assert [u["code"] for u in worker] == ["C1", "C1-V1"]
    assert {u["code"] for u in admin} == {"P", "C1", "C1-V1", "C2", "W1"}
    village = next(u for u in admin if u["code"] == "C1-V1")
    assert village == {
        "code": "C1-V1",
        "name": "Thôn Đông Hải",
        "level": "village",
        "parent_code": "C1",
        "area": "rural",
    }
    province = next(u for u in admin if u["code"] == "P")
    assert (province["parent_code"], province["area"]) == (None, None)


def test_an_admin_adds_a_unit(api) -> None:
    body = {
        "code": "C3",
        "name": "Xã Hải Nam",
        "level": "commune",
        "parent_code": "P",
        "area": "rural",
    }

    response = api.post("/units", body, who="admin")

    assert response.status_code == 201, response.json
    assert response.json == body
    assert "C3" in [u["code"] for u in api.get("/units", who="officer").json]


@pytest.mark.parametrize("who", ["worker", "chair", "officer"])
def test_only_an_admin_adds_units(app, api, who: str) -> None:
    units = count(app, Unit)

    response = api.post(
        "/units",
        {
            "code": "C3",
            "name": "Xã Hải Nam",
            "level": "commune",
            "parent_code": "P",
            "area": "rural",
        },
        who=who,
    )

    assert_error(response, 403, "forbidden")
    assert count(app, Unit) == units


def test_adding_an_existing_unit_code_is_a_409(app, api) -> None:
    units = count(app, Unit)

    response = api.post(
        "/units",
        {"code": "C1", "name": "Xã Trùng", "level": "commune", "parent_code": "P", "area": "rural"},
        who="admin",
    )

    assert_error(response, 409, "conflict")
    assert count(app, Unit) == units


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"parent_code": "NOPE"}, "parent_code"),
        ({"level": "hamlet"}, "level"),
        ({"area": "coastal"}, "area"),
        ({"code": "C 3"}, "code"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_adding_a_unit_with_a_wrong_field_is_a_422(app, api, change: dict, field: str) -> None:
    units = count(app, Unit)
    body = {
        "code": "C3",
        "name": "Xã Hải Nam",
        "level": "commune",
        "parent_code": "P",
        "area": "rural",
        **change,
    }

    assert_error(api.post("/units", body, who="admin"), 422, "invalid_fields", {field})
    assert count(app, Unit) == units


# -- programmes and supports ------------------------------------------------------------------


def test_the_programme_catalogue_is_listed(api) -> None:
    programs = {p["code"]: p for p in api.get("/programs").json}

    assert len(programs) == 10
    assert {
        "preferential_credit",
        "livelihood_model",
        "housing",
        "health_insurance",
        "tuition_exemption",
        "vocational_training",
    } <= set(programs)
    credit = programs["preferential_credit"]
    assert set(credit) >= {"code", "name", "dimensions", "eligible_classes"}
    assert credit["dimensions"] == ["employment"]
    assert "poor" in credit["eligible_classes"]


def test_a_support_is_proposed_for_a_recognised_household(api) -> None:
    hid = recognised(api)

    response = api.post(
        f"/households/{hid}/supports", {"program": "housing", "note": "nhà dột nát"}
    )

    assert response.status_code == 201, response.json
    support = response.json
    assert (support["household_id"], support["program"], support["state"]) == (
        hid,
        "housing",
        "proposed",
    )
    assert (support["note"], support["created_by"]) == ("nhà dột nát", "worker")
    assert [s["id"] for s in api.get(f"/households/{hid}/supports").json] == [support["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"program": "lottery"}, "program"),
        ({}, "program"),
        ({"program": "housing", "budget": 5}, "budget"),
    ],
)
def test_a_wrong_support_is_a_422_naming_the_field(app, api, body: dict, field: str) -> None:
    hid = recognised(api)
    supports = count(app, SupportItem)

    assert_error(api.post(f"/households/{hid}/supports", body), 422, "invalid_fields", {field})
    assert count(app, SupportItem) == supports


def test_a_household_not_on_a_list_is_not_eligible_for_support(app, api) -> None:
    hid = api.register()["id"]

    error = assert_error(
        api.post(f"/households/{hid}/supports", {"program": "housing"}),
        422,
        "invalid_fields",
        {"program"},
    )

    assert "poor" in error["message"]
    assert count(app, SupportItem) == 0


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("outsider", 404, "not_found"), ("chair2", 404, "not_found"), ("officer", 403, "forbidden")],
)
def test_supports_are_proposed_only_by_writers_of_the_households_units(
    app, api, who, status, code
) -> None:
    hid = recognised(api)

    assert_error(
        api.post(f"/households/{hid}/supports", {"program": "housing"}, who=who), status, code
    )
    assert count(app, SupportItem) == 0


# -- workflows --------------------------------------------------------------------------------


def test_workflows_are_listed_with_states_and_transitions(api) -> None:
    workflows = {w["name"]: w for w in api.get("/workflows").json}

    assert {"household_lifecycle", "support_item"} <= set(workflows)
    lifecycle = workflows["household_lifecycle"]
    assert lifecycle["version"] == 2
    assert [s["name"] for s in lifecycle["states"]] == [
        "registered",
        "under_review",
        "classified",
        "posted",
        "recognised",
        "supported",
        "follow_up",
        "graduated",
    ]
    recognise = next(t for t in lifecycle["transitions"] if t["trigger"] == "recognise")
    assert (recognise["source"], recognise["dest"], recognise["approval"]) == (
        ["posted"],
        "recognised",
        "supervisor",
    )


# -- reports ----------------------------------------------------------------------------------

D1, D2, D3 = date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 20)


def history_over_three_days(api) -> None:
    """Two households on D1; one posted on D2; recognised poor and a third registered on D3."""
    with clock.frozen_at(at(D1)):
        poor = api.register(head_name="Hộ Nghèo")["id"]
        api.register(head_name="Hộ Khác")
    with clock.frozen_at(at(D2)):
        api.fire(poor, "start_review")
        api.survey(poor)
        api.fire(poor, "agree", agreement_pct=90)
    with clock.frozen_at(at(D3)):
        approval = api.fire(poor, "recognise").json["approval"]
        assert api.post(f"/approvals/{approval['id']}/approve", {}, who="chair").status_code == 200
        api.register(head_name="Hộ Mới")


def summary(api, unit: str = "C1", as_of: date | None = None, who: str = "officer") -> dict:
    query = {"unit": unit, **({"as_of": as_of.isoformat()} if as_of else {})}
    response = api.get("/reports/summary", who, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_the_summary_has_the_contracts_shape(api) -> None:
    history_over_three_days(api)

    report = summary(api, as_of=D3)

    assert report == {
        "unit": "C1",
        "as_of": "2025-03-20",
        "households": 3,
        "by_class": {"poor": 1, "near_poor": 0},
        "by_state": {"registered": 2, "recognised": 1},
        "poverty_rate": round(1 / 3, 6),
        "near_poverty_rate": 0.0,
        "rate_basis": "registered",
    }


@pytest.mark.parametrize(
    ("as_of", "households", "by_state", "poor"),
    [
        (D1 - timedelta(days=1), 0, {}, 0),
        (D1, 2, {"registered": 2}, 0),
        (D2 - timedelta(days=1), 2, {"registered": 2}, 0),
        (D2, 2, {"registered": 1, "posted": 1}, 0),
        (D3, 3, {"registered": 2, "recognised": 1}, 1),
    ],
)
def test_a_summary_as_of_a_past_date_gives_the_numbers_of_that_date(
    api, as_of: date, households: int, by_state: dict, poor: int
) -> None:
    history_over_three_days(api)

    report = summary(api, as_of=as_of)

    assert (report["households"], report["by_state"], report["by_class"]["poor"]) == (
        households,
        by_state,
        poor,
    )


def test_the_summary_may_be_asked_as_of_today(api) -> None:
    history_over_three_days(api)

    assert summary(api, as_of=clock.today())["households"] == 3


def test_the_summary_defaults_to_today(api) -> None:
    history_over_three_days(api)

    report = summary(api)

    assert (report["as_of"], report["households"]) == (clock.today().isoformat(), 3)


def test_the_summary_counts_the_units_subtree_only(api) -> None:
    history_over_three_days(api)
    api.register("outsider", head_name="Hộ Xã Hai", unit_code="C2")

    assert summary(api, "P")["households"] == 4
    assert summary(api, "C1-V1")["households"] == 3
    assert summary(api, "C2")["households"] == 1
    assert summary(api, "W1")["households"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "unit"),
        ({"unit": "NOPE"}, "unit"),
        ({"unit": "C2"}, "unit"),
        ({"unit": "C1", "as_of": "20/03/2025"}, "as_of"),
        ({"unit": "C1", "as_of": "9999-12-31"}, "as_of"),
    ],
)
def test_a_wrong_summary_query_is_a_422(api, query: dict, field: str) -> None:
    assert_error(api.get("/reports/summary", query_string=query), 422, "invalid_fields", {field})


# -- OpenAPI ----------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_api_without_a_token(client) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {
        "/api/v1/households",
        "/api/v1/households/{household_id}",
        "/api/v1/households/{household_id}/transitions",
        "/api/v1/households/{household_id}/assessments",
        "/api/v1/households/{household_id}/history",
        "/api/v1/households/{household_id}/deadlines",
        "/api/v1/households/{household_id}/supports",
        "/api/v1/approvals",
        "/api/v1/approvals/{approval_id}/approve",
        "/api/v1/approvals/{approval_id}/reject",
        "/api/v1/approvals/batch",
        "/api/v1/units",
        "/api/v1/programs",
        "/api/v1/workflows",
        "/api/v1/reports/summary",
        "/api/v1/auth/tokens",
    } <= paths
    schemas = document["components"]["schemas"]
    assert {"head_name", "available_triggers", "pending_approval"} <= set(
        schemas["Household"]["properties"]
    )
    assert (
        "202"
        in document["paths"]["/api/v1/households/{household_id}/transitions"]["post"]["responses"]
    )


def test_one_users_failures_do_not_lock_out_colleagues_at_the_same_address(api) -> None:
    for _ in range(5):
        api.post("/auth/tokens", {"username": "worker", "password": "guess"}, who=None)

    response = api.post("/auth/tokens", {"username": "chair", "password": PASSWORD}, who=None)

    assert response.status_code == 201


def test_guessing_many_names_from_one_address_is_throttled(api) -> None:
    for number in range(20):
        api.post("/auth/tokens", {"username": f"guess{number}", "password": "x"}, who=None)

    response = api.post("/auth/tokens", {"username": "chair", "password": PASSWORD}, who=None)

    assert_error(response, 429, "too_many_requests")
