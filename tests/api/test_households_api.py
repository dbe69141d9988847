"""Households over HTTP: register, show, list (filters, pages, accent-free search), PATCH."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Event, Household, Member
from tests.factories import ABOVE_LINE_SURVEY, assert_error, days_ago, posted

HOUSEHOLD_KEYS = {
    "id",
    "code",
    "head_name",
    "unit_code",
    "village",
    "area",
    "state",
    "classification",
    "proposed_classification",
    "workflow",
    "version",
    "members",
    "available_triggers",
    "pending_approval",
}


def counts(app) -> dict[str, int]:
    with app.app_context():
        found = {
            model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Household, Member, Event)
        }
        db.session.remove()
    return found


# -- register ---------------------------------------------------------------------------------


def test_registering_returns_the_household_of_the_contract(api) -> None:
    members = [
        {
            "full_name": "Trần Văn Nam",
            "birth_date": "1980-05-01",
            "sex": "male",
            "relation": "chồng",
            "ethnicity": "Kinh",
            "disability": False,
        }
    ]

    household = api.register(members=members, national_id="036080001234")

    assert set(household) >= HOUSEHOLD_KEYS
    assert household["head_name"] == "Nguyễn Thị Hoa"
    assert (household["unit_code"], household["area"]) == ("C1-V1", "rural")
    assert (household["state"], household["classification"]) == ("registered", None)
    assert household["proposed_classification"] is None
    assert household["workflow"] == {"name": "household_lifecycle", "version": 2}
    assert household["available_triggers"] == ["start_review"]
    assert household["pending_approval"] is None
    assert household["members"][0]["full_name"] == "Trần Văn Nam"
    assert household["members"][0]["birth_date"] == "1980-05-01"


def test_registering_writes_the_first_history_event(api) -> None:
    hid = api.register()["id"]

    history = api.get(f"/households/{hid}/history").json

    assert [(e["trigger"], e["from_state"], e["to_state"], e["actor"]) for e in history] == [
        ("register", None, "registered", "worker")
    ]


def test_area_defaults_to_the_units_and_may_be_given(api) -> None:
    assert api.register(unit_code="W1", who="admin")["area"] == "urban"
    assert api.register(area="urban")["area"] == "urban"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit_code": "C1"}, "head_name"),
        ({"head_name": "Lò Văn Pá"}, "unit_code"),
        ({"head_name": "", "unit_code": "C1"}, "head_name"),
        ({"head_name": "Lò Văn Pá", "unit_code": "NOPE"}, "unit_code"),
        ({"head_name": "Lò Văn Pá", "unit_code": "P"}, "unit_code"),  # a province
        ({"head_name": "Lò Văn Pá", "unit_code": "C2"}, "unit_code"),  # outside the caller's
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "area": "coastal"}, "area"),
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "phone": "call me"}, "phone"),
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "national_id": "12ab"}, "national_id"),
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "colour": "red"}, "colour"),
        ({"head_name": "Lò Văn\x00Pá", "unit_code": "C1"}, "head_name"),
        (
            {
                "head_name": "Lò Văn Pá",
                "unit_code": "C1",
                "members": [{"full_name": "Lò\x00 Thị Xuân"}],
            },
            "members",
        ),
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "state": "recognised"}, "state"),
        ({"head_name": "Lò Văn Pá", "unit_code": "C1", "members": [{"sex": "male"}]}, "members"),
        (
            {
                "head_name": "Lò Văn Pá",
                "unit_code": "C1",
                "members": [{"full_name": "Lò Thị Xuân", "sex": "unknown"}],
            },
            "members",
        ),
        (
            {
                "head_name": "Lò Văn Pá",
                "unit_code": "C1",
                "members": [
                    {
                        "full_name": "Lò Thị Xuân",
                        "birth_date": (clock.today() + timedelta(days=1)).isoformat(),
                    }
                ],
            },
            "members",
        ),
    ],
)
def test_registering_with_a_missing_or_wrong_field_is_refused_naming_it(
    app, api, body, field: str
) -> None:
    before = counts(app)

    error = assert_error(api.post("/households", body), 422, "invalid_fields", {field})

    assert error["fields"][field]
    assert counts(app) == before


def test_a_blank_head_name_is_refused(api) -> None:
    response = api.post("/households", {"head_name": "   ", "unit_code": "C1"})

    assert_error(response, 422, "invalid_fields", {"head_name"})


def test_an_officer_may_not_register(app, api) -> None:
    before = counts(app)

    assert_error(
        api.post("/households", {"head_name": "Lò Văn Pá", "unit_code": "C1"}, who="officer"),
        403,
        "forbidden",
    )
    assert counts(app) == before


@pytest.mark.parametrize(
    "body", ['{"head_name": "Lò Văn Pá",', "head_name=x", '{"head_name": "x"}}']
)
def test_a_body_that_is_not_json_is_a_400(app, api, body: str) -> None:
    before = counts(app)

    response = api.post("/households", data=body, content_type="application/json")

    assert_error(response, 400, "bad_request")
    assert counts(app) == before


@pytest.mark.parametrize("body", [[], "Nguyễn", 42])
def test_a_json_body_that_is_not_an_object_is_a_422(api, body) -> None:
    assert_error(api.post("/households", body), 422, "invalid_fields")


# -- show -------------------------------------------------------------------------------------


def test_showing_a_household_gives_the_callers_triggers(api) -> None:
    hid = posted(api)

    assert api.get(f"/households/{hid}").json["available_triggers"] == [
        "complain",
        "recognise",
        "decline",
        "exit",
    ]
    assert api.get(f"/households/{hid}", who="chair").json["available_triggers"] == []
    assert api.get(f"/households/{hid}", who="officer").json["available_triggers"] == []


def test_a_pending_request_is_shown_with_the_household(api) -> None:
    hid = posted(api)
    approval = api.fire(hid, "recognise").json["approval"]

    household = api.get(f"/households/{hid}").json

    assert household["pending_approval"]["id"] == approval["id"]
    assert household["pending_approval"]["trigger"] == "recognise"
    assert household["pending_approval"]["status"] == "pending"
    assert "recognise" not in household["available_triggers"]


@pytest.mark.parametrize("path", ["", "/history", "/deadlines", "/assessments", "/supports"])
def test_a_household_outside_the_callers_units_is_not_found(api, path: str) -> None:
    hid = api.register()["id"]

    assert_error(api.get(f"/households/{hid}{path}", who="outsider"), 404, "not_found")
    assert_error(api.get(f"/households/{hid}{path}", who="chair2"), 404, "not_found")


@pytest.mark.parametrize("path", ["", "/history", "/deadlines", "/assessments", "/supports"])
@pytest.mark.parametrize("hid", [999999, 2**31, 10**20])
def test_an_unknown_household_is_not_found(api, path: str, hid: int) -> None:
    assert_error(api.get(f"/households/{hid}{path}", who="admin"), 404, "not_found")


def test_an_officer_of_the_province_sees_households_of_its_communes(api) -> None:
    hid = api.register()["id"]

    assert api.get(f"/households/{hid}", who="officer").status_code == 200


# -- history and deadlines ----------------------------------------------------------------------


def test_history_lists_events_oldest_first_with_the_contracts_fields(api) -> None:
    hid = api.register()["id"]
    api.fire(
        hid,
        "start_review",
        reason="form 01 received",
        review_kind="periodic",
        started_on=clock.today().isoformat(),
    )

    history = api.get(f"/households/{hid}/history").json

    assert [e["trigger"] for e in history] == ["register", "start_review"]
    event = history[1]
    assert set(event) >= {
        "id",
        "at",
        "trigger",
        "from_state",
        "to_state",
        "actor",
        "approved_by",
        "reason",
        "data",
        "workflow_version",
    }
    assert (event["from_state"], event["to_state"]) == ("registered", "under_review")
    assert (event["reason"], event["workflow_version"]) == ("form 01 received", 2)
    assert event["data"] == {"review_kind": "periodic", "started_on": clock.today().isoformat()}


def test_deadlines_of_a_regular_review_are_listed(api) -> None:
    hid = api.register()["id"]
    api.fire(hid, "start_review", started_on=days_ago(1))

    deadlines = api.get(f"/households/{hid}/deadlines").json

    assert {(d["key"], d["kind"], d["status"]) for d in deadlines} == {
        ("review_decision", "overdue", "pending"),
        ("review_decision:remind", "remind", "pending"),
    }
    assert all(set(d) >= {"id", "key", "kind", "due_at", "status"} for d in deadlines)


def test_leaving_a_state_cancels_its_deadlines(api) -> None:
    hid = api.register()["id"]
    api.fire(hid, "start_review")
    api.survey(hid)
    api.fire(hid, "agree", meeting_on=days_ago(14), posted_on=days_ago(14), agreement_pct=80)
    api.fire(hid, "complain", reason="hàng xóm khiếu nại")

    statuses = {d["key"]: d["status"] for d in api.get(f"/households/{hid}/deadlines").json}

    assert statuses["posting_end"] == "cancelled"
    assert statuses["review_decision"] == "pending"  # spans the review until a decision


# -- list -------------------------------------------------------------------------------------


def page(api, who: str = "worker", **query) -> dict:
    response = api.get("/households", who, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def names(listing: dict) -> list[str]:
    return [h["head_name"] for h in listing["items"]]


def test_the_list_is_paginated(api) -> None:
    for name in ("Hộ Một", "Hộ Hai", "Hộ Ba"):
        api.register(head_name=name)

    first, second = page(api, per_page=2), page(api, page=2, per_page=2)

    assert (first["total"], first["page"], first["per_page"]) == (3, 1, 2)
    assert names(first) == ["Hộ Một", "Hộ Hai"]
    assert (second["total"], second["page"], names(second)) == (3, 2, ["Hộ Ba"])
    assert page(api, page=3, per_page=2)["items"] == []


def test_the_list_defaults_to_fifty_a_page(api) -> None:
    listing = page(api)

    assert (listing["page"], listing["per_page"], listing["total"]) == (1, 50, 0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"per_page": 501}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"page": 10**20}, "page"),
        ({"classification": "rich"}, "classification"),
        ({"q": "nguy\x00en"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"overdue": "maybe"}, "overdue"),
        ({"unit": "NOPE"}, "unit"),
        ({"unit": "C2"}, "unit"),
    ],
)
def test_a_wrong_list_parameter_is_refused_naming_it(api, query: dict, field: str) -> None:
    assert_error(api.get("/households", query_string=query), 422, "invalid_fields", {field})


def test_five_hundred_a_page_is_allowed(api) -> None:
    assert page(api, per_page=500)["per_page"] == 500


def test_the_list_is_limited_to_the_callers_units(api) -> None:
    api.register(head_name="Hộ Xã Một")
    api.register("outsider", head_name="Hộ Xã Hai", unit_code="C2")

    assert names(page(api)) == ["Hộ Xã Một"]
    assert names(page(api, "outsider")) == ["Hộ Xã Hai"]
    assert names(page(api, "officer")) == ["Hộ Xã Một", "Hộ Xã Hai"]


def test_the_list_filters_by_unit_subtree(api) -> None:
    api.register(head_name="Hộ Thôn", unit_code="C1-V1")
    api.register(head_name="Hộ Xã", unit_code="C1")
    api.register("admin", head_name="Hộ Phường", unit_code="W1")

    assert names(page(api, "admin", unit="C1")) == ["Hộ Thôn", "Hộ Xã"]
    assert names(page(api, "admin", unit="C1-V1")) == ["Hộ Thôn"]
    assert names(page(api, "admin", unit="W1")) == ["Hộ Phường"]
    assert page(api, "admin", unit="P")["total"] == 3


def test_the_list_filters_by_state(api) -> None:
    api.register(head_name="Hộ Chờ")
    reviewed = api.register(head_name="Hộ Rà Soát")["id"]
    api.fire(reviewed, "start_review")

    assert names(page(api, state="under_review")) == ["Hộ Rà Soát"]
    assert names(page(api, state="registered")) == ["Hộ Chờ"]
    assert page(api, state="graduated")["total"] == 0


def test_the_list_filters_by_recognised_class(api) -> None:
    api.register(head_name="Hộ Chưa Công Nhận")
    hid = posted(api, head_name="Hộ Nghèo")
    approval = api.fire(hid, "recognise").json["approval"]
    assert api.post(f"/approvals/{approval['id']}/approve", {}, who="chair").status_code == 200

    assert names(page(api, classification="poor")) == ["Hộ Nghèo"]
    assert page(api, classification="near_poor")["total"] == 0


def test_the_list_filters_by_overdue_work(api) -> None:
    late = api.register(head_name="Hộ Quá Hạn")["id"]
    api.fire(late, "start_review", started_on=days_ago(20))  # decision was due 5 days ago
    on_time = api.register(head_name="Hộ Đúng Hạn")["id"]
    api.fire(on_time, "start_review", started_on=days_ago(1))
    api.register(head_name="Hộ Không Hạn")

    assert names(page(api, overdue="true")) == ["Hộ Quá Hạn"]
    assert names(page(api, overdue="false")) == ["Hộ Đúng Hạn", "Hộ Không Hạn"]


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("nguyen thi hoa", ["Nguyễn Thị Hoa"]),
        ("NGUYỄN", ["Nguyễn Thị Hoa", "Nguyễn Văn An"]),
        ("Nguyễn Thị", ["Nguyễn Thị Hoa"]),
        ("hoa nguyen", ["Nguyễn Thị Hoa"]),  # every word, in any order
        ("dang", ["Đặng Văn Đức"]),
        ("Đặng", ["Đặng Văn Đức"]),
        ("duc", ["Đặng Văn Đức"]),
        ("  van  ", ["Nguyễn Văn An", "Đặng Văn Đức"]),
        ("tran", []),
        ("100%", []),
        ("_", []),
    ],
)
def test_search_ignores_accents_and_case(api, q: str, found: list[str]) -> None:
    for name in ("Nguyễn Thị Hoa", "Nguyễn Văn An", "Đặng Văn Đức"):
        api.register(head_name=name)

    assert names(page(api, q=q)) == found


def test_search_follows_a_renamed_head(api) -> None:
    household = api.register(head_name="Nguyen Thi Hoa")
    api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "head_name": "  Phạm Thị Hoà "},
    )

    assert names(page(api, q="pham hoa")) == ["Phạm Thị Hoà"]
    assert page(api, q="nguyen")["total"] == 0


def test_listed_households_carry_triggers_and_pending_requests(api) -> None:
    hid = posted(api)
    api.fire(hid, "recognise")
    api.register(head_name="Hộ Mới")

    items = {h["head_name"]: h for h in page(api)["items"]}

    assert set(items["Hộ Mới"]) >= HOUSEHOLD_KEYS
    assert items["Hộ Mới"]["available_triggers"] == ["start_review"]
    assert items["Hộ Mới"]["pending_approval"] is None
    assert items["Nguyễn Thị Hoa"]["pending_approval"]["trigger"] == "recognise"


# -- PATCH ------------------------------------------------------------------------------------


def test_patching_changes_the_facts_and_bumps_the_version(api) -> None:
    household = api.register()

    response = api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "phone": "0912 345 678", "village": "Thôn Bắc"},
    )

    assert response.status_code == 200, response.json
    assert (response.json["phone"], response.json["village"]) == ("0912 345 678", "Thôn Bắc")
    assert response.json["version"] == household["version"] + 1


def test_patching_only_the_members_bumps_the_version(api) -> None:
    household = api.register()

    response = api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "members": [{"full_name": "Lò Thị Xuân"}]},
    )

    assert response.status_code == 200, response.json
    assert [m["full_name"] for m in response.json["members"]] == ["Lò Thị Xuân"]
    assert response.json["version"] == household["version"] + 1


def test_patching_with_a_stale_version_is_a_409_and_changes_nothing(api) -> None:
    household = api.register()
    path = f"/households/{household['id']}"
    assert (
        api.patch(path, {"version": household["version"], "phone": "0912345678"}).status_code == 200
    )

    response = api.patch(path, {"version": household["version"], "phone": "0987654321"})

    assert_error(response, 409, "stale_version")
    assert api.get(path).json["phone"] == "0912345678"


def test_a_transition_makes_an_old_version_stale_for_patch(api) -> None:
    household = api.register()
    api.fire(household["id"], "start_review")

    response = api.patch(
        f"/households/{household['id']}", {"version": household["version"], "phone": "0912345678"}
    )

    assert_error(response, 409, "stale_version")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "0912345678"}, "version"),
        ({"version": "one"}, "version"),
        ({"version": 1, "state": "recognised"}, "state"),
        ({"version": 1, "classification": "poor"}, "classification"),
        ({"version": 1, "head_name": None}, "head_name"),
        ({"version": 1, "area": "coastal"}, "area"),
        ({"version": 1, "national_id": "x"}, "national_id"),
    ],
)
def test_patching_a_wrong_field_is_refused_naming_it(api, body: dict, field: str) -> None:
    hid = api.register()["id"]

    assert_error(api.patch(f"/households/{hid}", body), 422, "invalid_fields", {field})


def test_patching_outside_the_callers_units_is_not_found(api) -> None:
    household = api.register()

    response = api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "phone": "0912345678"},
        who="outsider",
    )

    assert_error(response, 404, "not_found")


def test_an_officer_may_not_patch(api) -> None:
    household = api.register()

    response = api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "phone": "0912345678"},
        who="officer",
    )

    assert_error(response, 403, "forbidden")


def test_a_patch_on_a_stale_version_keeps_a_pending_request_decidable(api) -> None:
    hid = posted(api)
    approval = api.fire(hid, "recognise").json["approval"]
    current = api.get(f"/households/{hid}").json["version"]

    assert_error(
        api.patch(f"/households/{hid}", {"version": current - 1, "phone": "0912345678"}),
        409,
        "stale_version",
    )
    assert api.post(f"/approvals/{approval['id']}/approve", {}, who="chair").status_code == 200


def test_a_survey_above_the_line_is_proposed_but_does_not_change_the_recognised_class(api):
    hid = api.register()["id"]
    api.survey(hid, **ABOVE_LINE_SURVEY)

    household = api.get(f"/households/{hid}").json

    assert (household["proposed_classification"], household["classification"]) == ("middle", None)
    assert household["state"] == "registered"


def test_officers_see_personal_identifiers_masked(api):
    household = api.register(national_id="036090001234", phone="0912345678")
    seen = api.get(f"/households/{household['id']}", who="officer").json
    assert (seen["national_id"], seen["phone"]) == ("*********234", "*******678")


def test_case_workers_see_personal_identifiers_whole(api):
    household = api.register(national_id="036090001234", phone="0912345678")
    seen = api.get(f"/households/{household['id']}").json
    assert (seen["national_id"], seen["phone"]) == ("036090001234", "0912345678")
