"""Firing triggers over HTTP: 200 applied, 202 awaiting approval, and every way to be refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Approval, Deadline, Event, Household
from tests.factories import assert_error, at, days_ago

EVENT_KEYS = {
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


def rows(app) -> dict[str, object]:
    """Count what a request could leave behind, and the households' states and versions."""
    with app.app_context():
        found: dict[str, object] = {
            model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Event, Approval, Deadline)
        }
        found["households"] = db.session.execute(
            db.select(Household.id, Household.state, Household.version).order_by(Household.id)
        ).all()
        db.session.remove()
    return found


def under_review(api, who: str = "worker") -> int:
    hid = api.register(who)["id"]
    assert api.fire(hid, "start_review", who).status_code == 200
    return hid


def classified(api, who: str = "worker") -> int:
    hid = under_review(api, who)
    assert api.survey(hid, who).status_code == 201
    return hid


def posted(api, who: str = "worker", days: int = 14) -> int:
    hid = classified(api, who)
    agreed = api.fire(
        hid, "agree", who, meeting_on=days_ago(days), posted_on=days_ago(days), agreement_pct=80
    )
    assert agreed.status_code == 200, agreed.json
    return hid


# -- applied and awaiting approval ------------------------------------------------------------


def test_an_applied_transition_returns_the_household_and_its_event(api) -> None:
    household = api.register()

    response = api.fire(household["id"], "start_review", reason="form 01/04", review_kind="regular")

    assert response.status_code == 200, response.json
    assert set(response.json) == {"household", "event"}
    moved, event = response.json["household"], response.json["event"]
    assert moved["state"] == "under_review"
    assert moved["version"] == household["version"] + 1
    assert set(event) >= EVENT_KEYS
    assert (event["trigger"], event["from_state"], event["to_state"]) == (
        "start_review",
        "registered",
        "under_review",
    )
    assert (event["actor"], event["approved_by"], event["reason"]) == ("worker", None, "form 01/04")
    assert event["workflow_version"] == 2


def test_a_transition_needing_approval_answers_202_and_leaves_the_state(api) -> None:
    hid = posted(api)
    before = api.get(f"/households/{hid}").json

    response = api.fire(hid, "recognise")

    assert response.status_code == 202, response.json
    assert set(response.json) == {"approval"}
    approval = response.json["approval"]
    assert (approval["trigger"], approval["status"], approval["requested_by"]) == (
        "recognise",
        "pending",
        "worker",
    )
    assert approval["household_id"] == hid
    after = api.get(f"/households/{hid}").json
    assert (after["state"], after["version"]) == ("posted", before["version"])


def test_the_reason_may_be_given_inside_data(api) -> None:
    hid = posted(api)

    response = api.post(
        f"/households/{hid}/transitions",
        {"trigger": "complain", "data": {"reason": "hàng xóm khiếu nại"}},
    )

    assert response.status_code == 200, response.json
    assert response.json["event"]["reason"] == "hàng xóm khiếu nại"


def test_the_current_version_may_be_sent(api) -> None:
    household = api.register()

    response = api.post(
        f"/households/{household['id']}/transitions",
        {"trigger": "start_review", "version": household["version"]},
    )

    assert response.status_code == 200, response.json


# -- refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reach", "trigger"),
    [
        ("register", "agree"),
        ("register", "recognise"),
        ("under_review", "start_review"),
        ("posted", "agree"),
        ("posted", "assign_support"),
        ("posted", "relapse"),
    ],
)
def test_a_trigger_not_valid_from_the_state_is_a_409(app, api, reach: str, trigger: str) -> None:
    hid = {
        "register": lambda: api.register()["id"],
        "under_review": lambda: under_review(api),
        "posted": lambda: posted(api),
    }[reach]()
    before = rows(app)

    error = assert_error(api.fire(hid, trigger), 409, "invalid_trigger")

    assert "cannot be done while the household is" in error["message"]
    assert rows(app) == before


def test_an_unknown_trigger_is_a_422_naming_the_field(api) -> None:
    hid = api.register()["id"]

    assert_error(api.fire(hid, "teleport"), 422, "invalid_fields", {"trigger"})


@pytest.mark.parametrize("trigger", ["classify"])
def test_a_trigger_of_the_system_cannot_be_fired_by_hand(app, api, trigger: str) -> None:
    hid = under_review(api)
    before = rows(app)

    assert_error(api.fire(hid, trigger), 403, "forbidden")
    assert rows(app) == before


def test_a_stale_version_is_a_409_and_changes_nothing(app, api) -> None:
    household = api.register()
    api.fire(household["id"], "start_review")
    before = rows(app)

    response = api.post(
        f"/households/{household['id']}/transitions",
        {"trigger": "start_review", "version": household["version"]},
    )

    assert_error(response, 409, "stale_version")
    assert rows(app) == before


@pytest.mark.parametrize(
    ("reach", "trigger", "data", "field"),
    [
        ("posted", "complain", {}, "reason"),
        ("posted", "complain", {"reason": "   "}, "reason"),
        ("classified", "agree", {}, "agreement_pct"),
        ("classified", "agree", {"agreement_pct": "eighty"}, "agreement_pct"),
        ("classified", "agree", {"agreement_pct": 101}, "agreement_pct"),
        ("classified", "agree", {"agreement_pct": 80, "meeting_on": "tomorrow"}, "meeting_on"),
        ("classified", "agree", {"agreement_pct": 80, "posted_on": "future"}, "posted_on"),
        ("registered", "start_review", {"review_kind": "weekly"}, "review_kind"),
        ("registered", "start_review", {"started_on": "2026-02-30"}, "started_on"),
        ("registered", "start_review", {"started_on": "future"}, "started_on"),
        ("registered", "start_review", {"colour": "red"}, "colour"),
        ("posted", "recognise", {"decided_on": "future"}, "decided_on"),
    ],
)
def test_missing_or_wrong_payload_is_a_422_naming_the_field(
    app, api, reach: str, trigger: str, data: dict, field: str
) -> None:
    hid = {
        "registered": lambda: api.register()["id"],
        "classified": lambda: classified(api),
        "posted": lambda: posted(api),
    }[reach]()
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    data = {k: tomorrow if v in ("tomorrow", "future") else v for k, v in data.items()}
    before = rows(app)

    error = assert_error(api.fire(hid, trigger, **data), 422, "invalid_fields", {field})

    assert error["fields"][field]
    assert rows(app) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {}}, "trigger"),
        ({"trigger": ""}, "trigger"),
        ({"trigger": 7}, "trigger"),
        ({"trigger": "start_review", "data": None}, "data"),
        ({"trigger": "start_review", "data": ["review_kind"]}, "data"),
        ({"trigger": "start_review", "version": "latest"}, "version"),
        ({"trigger": "start_review", "comment": "x"}, "comment"),
    ],
)
def test_a_wrong_request_body_is_a_422_naming_the_field(api, body: dict, field: str) -> None:
    hid = api.register()["id"]

    assert_error(api.post(f"/households/{hid}/transitions", body), 422, "invalid_fields", {field})


def test_a_body_that_is_not_json_is_a_400(app, api) -> None:
    hid = api.register()["id"]
    before = rows(app)

    response = api.post(
        f"/households/{hid}/transitions",
        data='{"trigger": "start_review"',
        content_type="application/json",
    )

    assert_error(response, 400, "bad_request")
    assert rows(app) == before


def test_dates_are_judged_by_the_business_calendars_today(api) -> None:
    hid = api.register()["id"]
    vietnam_morning = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)  # 01:30 on 11 March in Hanoi

    with clock.frozen_at(vietnam_morning):
        accepted = api.fire(hid, "start_review", started_on="2026-03-11")

    assert accepted.status_code == 200, accepted.json
    assert accepted.json["event"]["data"]["started_on"] == "2026-03-11"


def test_a_date_of_tomorrow_in_vietnam_is_the_future(api) -> None:
    hid = api.register()["id"]

    with clock.frozen_at(datetime(2026, 3, 10, 16, 30, tzinfo=UTC)):  # 23:30 on 10 March
        response = api.fire(hid, "start_review", started_on="2026-03-11")

    assert_error(response, 422, "invalid_fields", {"started_on"})


def test_a_meeting_that_agreed_with_40_percent_is_a_guard_failure(app, api) -> None:
    hid = classified(api)
    before = rows(app)

    error = assert_error(
        api.fire(hid, "agree", agreement_pct=40), 422, "guard_failed", {"agreement_pct"}
    )

    assert "50%" in error["message"]
    assert rows(app) == before


def test_recognising_before_the_posting_period_is_over_is_a_guard_failure(app, api) -> None:
    with clock.frozen_at(at(clock.today() - timedelta(days=30))):
        frozen_today = clock.today()
        hid = posted(api, days=0)
        before = rows(app)

        error = assert_error(api.fire(hid, "recognise"), 422, "guard_failed", {"decided_on"})

    assert f"posted on {frozen_today:%-d %b %Y}" in error["message"]
    assert "3 working days" in error["message"]
    assert rows(app) == before


def test_recognising_with_a_decision_dated_inside_the_posting_period_is_refused(api) -> None:
    hid = posted(api, days=14)

    response = api.fire(hid, "recognise", decided_on=days_ago(14))

    assert_error(response, 422, "guard_failed", {"decided_on"})


@pytest.mark.parametrize(
    ("income", "trigger", "message"),
    [
        (2_000_000, "recognise", "(it says: middle living standard)"),
        (1_200_000, "decline", "classifies the household as poor: recognise it instead"),
        (1_200_000, "exit", "classifies the household as poor: recognise it instead"),
        (2_000_000, "exit", "not on the poor or near-poor lists: use 'decline'"),
    ],
)
def test_a_decision_the_survey_does_not_support_is_a_guard_failure(
    app, api, income: int, trigger: str, message: str
) -> None:
    hid = under_review(api)
    api.survey(hid, income_per_capita_month=income)
    api.fire(hid, "agree", meeting_on=days_ago(14), posted_on=days_ago(14), agreement_pct=80)
    before = rows(app)

    error = assert_error(api.fire(hid, trigger), 422, "guard_failed")

    assert message in error["message"]
    assert rows(app) == before


def test_a_household_above_the_line_and_never_listed_is_declined(api) -> None:
    hid = under_review(api)
    api.survey(hid, income_per_capita_month=2_000_000)
    api.fire(hid, "agree", meeting_on=days_ago(14), posted_on=days_ago(14), agreement_pct=80)

    asked = api.fire(hid, "decline", reason="thu nhập trên chuẩn")
    decided = api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")

    assert asked.status_code == 202, asked.json
    household = decided.json["household"]
    assert (household["state"], household["classification"]) == ("registered", None)
    assert api.get(f"/households/{hid}/history").json[-1]["reason"] == "thu nhập trên chuẩn"


def test_asking_for_a_support_plan_without_a_proposed_support_is_refused(api) -> None:
    hid = posted(api)
    approval = api.fire(hid, "recognise").json["approval"]
    api.post(f"/approvals/{approval['id']}/approve", {}, who="chair")

    error = assert_error(api.fire(hid, "assign_support"), 422, "guard_failed")

    assert "Propose at least one support item" in error["message"]


def test_a_number_that_is_not_finite_is_refused(app, api) -> None:
    hid = classified(api)
    before = rows(app)

    response = api.post(
        f"/households/{hid}/transitions",
        content_type="application/json",
        data='{"trigger": "agree", "data": {"agreement_pct": NaN}}',
    )

    assert_error(response, 400, "bad_request")
    assert rows(app) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"trigger": "start_review", "reason": "x\x00y"}, "reason"),
        ({"trigger": "start_review", "data": {"started_on": "\x00"}}, "data"),
    ],
)
def test_a_nul_character_is_a_422_not_a_database_error(app, api, body: dict, field: str) -> None:
    hid = api.register()["id"]
    before = rows(app)

    response = api.post(f"/households/{hid}/transitions", body)

    assert_error(response, 422, "invalid_fields", {field})
    assert rows(app) == before


def test_a_version_beyond_any_stored_is_stale(api) -> None:
    hid = api.register()["id"]

    response = api.post(
        f"/households/{hid}/transitions", {"trigger": "start_review", "version": 2**31 - 1}
    )

    assert_error(response, 409, "stale_version")


def test_a_version_larger_than_any_integer_column_is_refused_naming_it(api) -> None:
    hid = api.register()["id"]

    response = api.post(
        f"/households/{hid}/transitions", {"trigger": "start_review", "version": 10**15}
    )

    assert "version" in assert_error(response, 422, "invalid_fields")["fields"]


@pytest.mark.parametrize(
    "body",
    [
        '{"trigger": "start_review", "version": ' + "9" * 5001 + "}",
        "[" * 900 + "]" * 900,
        '{"trigger": 1e999}',
        '{"trigger": NaN}',
    ],
)
def test_a_body_too_deep_or_with_too_large_numbers_is_a_400(api, body: str) -> None:
    hid = api.register()["id"]

    response = api.post(
        f"/households/{hid}/transitions", data=body, content_type="application/json"
    )

    assert_error(response, 400, "bad_request")


def test_an_id_beyond_any_stored_is_not_found(api) -> None:
    assert_error(api.fire(10**20, "start_review"), 404, "not_found")


def test_a_second_request_while_one_is_pending_is_a_409(app, api) -> None:
    hid = posted(api)
    assert api.fire(hid, "recognise").status_code == 202
    before = rows(app)

    assert_error(api.fire(hid, "recognise", who="worker2"), 409, "conflict")
    assert rows(app) == before


@pytest.mark.parametrize("who", ["chair", "officer"])
def test_roles_the_workflow_does_not_name_may_not_fire(app, api, who: str) -> None:
    hid = api.register()["id"]
    before = rows(app)

    assert_error(api.fire(hid, "start_review", who=who), 403, "forbidden")
    assert rows(app) == before


def test_a_supervisor_may_not_request_the_decision_they_would_take(api) -> None:
    hid = posted(api)

    assert_error(api.fire(hid, "recognise", who="chair"), 403, "forbidden")


@pytest.mark.parametrize("who", ["outsider", "chair2"])
def test_firing_on_a_household_outside_the_callers_units_is_not_found(app, api, who) -> None:
    hid = api.register()["id"]
    before = rows(app)

    assert_error(api.fire(hid, "start_review", who=who), 404, "not_found")
    assert rows(app) == before


def test_firing_on_an_unknown_household_is_not_found(api) -> None:
    assert_error(api.fire(999999, "start_review"), 404, "not_found")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic eDp5"},
        {"Authorization": "Bearer "},
    ],
)
def test_firing_without_a_valid_token_is_a_401(app, api, headers: dict) -> None:
    hid = api.register()["id"]
    before = rows(app)

    response = api.client.post(
        f"/api/v1/households/{hid}/transitions", json={"trigger": "start_review"}, headers=headers
    )

    assert_error(response, 401, "unauthorized")
    assert rows(app) == before


# -- history and deadlines of transitions -----------------------------------------------------


def test_every_applied_transition_is_in_history_with_its_payload(api) -> None:
    hid = posted(api)
    api.fire(hid, "complain", reason="sai thu nhập")

    history = api.get(f"/households/{hid}/history").json

    assert [e["trigger"] for e in history] == [
        "register",
        "start_review",
        "classify",
        "agree",
        "complain",
    ]
    assert history[3]["data"] == {
        "meeting_on": days_ago(14),
        "posted_on": days_ago(14),
        "agreement_pct": 80,
    }
    assert history[4]["data"] == {"reason": "sai thu nhập"}
    assert history[4]["reason"] == "sai thu nhập"


def test_posting_creates_the_end_of_posting_deadline(api) -> None:
    hid = posted(api, days=0)

    deadlines = api.get(f"/households/{hid}/deadlines").json

    assert [(d["key"], d["status"]) for d in deadlines if d["key"] == "posting_end"] == [
        ("posting_end", "pending")
    ]


def test_a_periodic_review_has_no_decision_deadline(api) -> None:
    hid = api.register()["id"]
    api.fire(hid, "start_review", review_kind="periodic")

    assert api.get(f"/households/{hid}/deadlines").json == []


# -- one Machine per (workflow, version) ------------------------------------------------------


def test_firing_twenty_transitions_builds_at_most_one_machine(api, machines_built) -> None:
    hid, today = api.register()["id"], clock.today().isoformat()
    fired = [api.fire(hid, "start_review", started_on=today).status_code]
    for _ in range(10):
        assert api.survey(hid, surveyed_on=today).status_code == 201
        fired.append(api.fire(hid, "disagree", agreement_pct=30).status_code)
    for _ in range(9):
        api.survey(hid, surveyed_on=today)
        fired.append(api.fire(hid, "agree", agreement_pct=90).status_code)
        fired.append(api.fire(hid, "complain", reason="khiếu nại").status_code)

    assert fired.count(200) >= 20
    assert len(machines_built) == 1
