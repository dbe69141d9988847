"""Supervisors' decisions over HTTP: approve, reject, a whole list at once; who may decide."""

from __future__ import annotations

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Approval, Deadline, Event, Household, SupportItem
from tests.factories import assert_error, days_ago, posted

APPROVAL_KEYS = {
    "id",
    "household_id",
    "trigger",
    "requested_by",
    "requested_at",
    "status",
    "decided_by",
    "decided_at",
    "comment",
}


def rows(app) -> dict[str, object]:
    """What a request could leave behind: row counts, approvals, households' states."""
    with app.app_context():
        found: dict[str, object] = {
            model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Event, Deadline)
        }
        found["approvals"] = db.session.execute(
            db.select(Approval.id, Approval.status).order_by(Approval.id)
        ).all()
        found["households"] = db.session.execute(
            db.select(Household.id, Household.state, Household.version).order_by(Household.id)
        ).all()
        db.session.remove()
    return found


def requested(api, who: str = "worker", trigger: str = "recognise", **register) -> tuple[int, int]:
    """Return a posted household and the id of the pending request `who` made for it."""
    hid = posted(api, who, **register)
    response = api.fire(hid, trigger, who)
    assert response.status_code == 202, response.json
    return hid, response.json["approval"]["id"]


def approve(api, approval_id: int, who: str = "chair", comment: str | None = None):
    return api.post(f"/approvals/{approval_id}/approve", {"comment": comment}, who=who)


def reject(api, approval_id: int, who: str = "chair", reason: str | None = "thiếu hồ sơ"):
    body = {} if reason is None else {"reason": reason}
    return api.post(f"/approvals/{approval_id}/reject", body, who=who)


# -- approve ----------------------------------------------------------------------------------


def test_approving_applies_the_transition_and_returns_both(api) -> None:
    hid, approval_id = requested(api)

    response = approve(api, approval_id, comment="QĐ 12/UBND")

    assert response.status_code == 200, response.json
    assert set(response.json) == {"approval", "household"}
    approval, household = response.json["approval"], response.json["household"]
    assert set(approval) >= APPROVAL_KEYS
    assert (approval["status"], approval["decided_by"], approval["comment"]) == (
        "approved",
        "chair",
        "QĐ 12/UBND",
    )
    assert approval["decided_at"] is not None
    assert (household["state"], household["classification"]) == ("recognised", "poor")
    assert household["pending_approval"] is None


def test_an_approved_step_names_requester_and_approver_in_history(api) -> None:
    hid, approval_id = requested(api)
    approve(api, approval_id)

    last = api.get(f"/households/{hid}/history").json[-1]

    assert (last["trigger"], last["actor"], last["approved_by"]) == ("recognise", "worker", "chair")
    assert last["data"] == {"decided_on": clock.today().isoformat()}


def test_an_admins_request_may_be_approved_by_a_supervisor(api) -> None:
    _, approval_id = requested(api, who="admin")

    assert approve(api, approval_id, who="chair").status_code == 200


def test_an_admin_may_approve_a_case_workers_request(api) -> None:
    _, approval_id = requested(api)

    assert approve(api, approval_id, who="admin").status_code == 200


@pytest.mark.parametrize("who", ["worker", "worker2", "officer"])
def test_roles_other_than_the_approvers_may_not_approve(app, api, who: str) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    assert_error(approve(api, approval_id, who=who), 403, "forbidden")
    assert rows(app) == before


def test_no_one_approves_their_own_request(app, api) -> None:
    _, approval_id = requested(api, who="admin")
    before = rows(app)

    error = assert_error(approve(api, approval_id, who="admin"), 403, "forbidden")

    assert "own request" in error["message"]
    assert rows(app) == before


def test_no_one_rejects_their_own_request(app, api) -> None:
    _, approval_id = requested(api, who="admin")
    before = rows(app)

    assert_error(reject(api, approval_id, who="admin"), 403, "forbidden")
    assert rows(app) == before


@pytest.mark.parametrize("decide", [approve, reject], ids=["approve", "reject"])
def test_a_request_already_decided_is_a_409(app, api, decide) -> None:
    _, approval_id = requested(api)
    assert approve(api, approval_id).status_code == 200
    before = rows(app)

    error = assert_error(decide(api, approval_id, who="deputy"), 409, "already_decided")

    assert "approved" in error["message"].lower()
    assert rows(app) == before


def test_a_rejected_request_cannot_then_be_approved(api) -> None:
    _, approval_id = requested(api)
    assert reject(api, approval_id).status_code == 200

    assert_error(approve(api, approval_id, who="deputy"), 409, "already_decided")


@pytest.mark.parametrize("who", ["chair2", "outsider"])
def test_a_request_outside_the_callers_units_is_not_found(app, api, who: str) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    assert_error(approve(api, approval_id, who=who), 404, "not_found")
    assert_error(reject(api, approval_id, who=who), 404, "not_found")
    assert_error(api.get(f"/approvals/{approval_id}", who=who), 404, "not_found")
    assert rows(app) == before


@pytest.mark.parametrize("approval_id", [999999, 2**31, 10**20])
def test_an_unknown_request_is_not_found(api, approval_id: int) -> None:
    assert_error(approve(api, approval_id), 404, "not_found")
    assert_error(reject(api, approval_id), 404, "not_found")
    assert_error(api.get(f"/approvals/{approval_id}", who="chair"), 404, "not_found")


def test_approving_with_an_unknown_field_is_a_422(api) -> None:
    _, approval_id = requested(api)

    response = api.post(f"/approvals/{approval_id}/approve", {"decision": "yes"}, who="chair")

    assert_error(response, 422, "invalid_fields", {"decision"})


def test_approving_with_a_body_that_is_not_json_is_a_400(app, api) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    response = api.post(
        f"/approvals/{approval_id}/approve",
        who="chair",
        data="{comment",
        content_type="application/json",
    )

    assert_error(response, 400, "bad_request")
    assert rows(app) == before


def test_approving_without_a_token_is_a_401(api) -> None:
    _, approval_id = requested(api)

    assert_error(approve(api, approval_id, who=None), 401, "unauthorized")


# -- stale requests ---------------------------------------------------------------------------


def test_a_request_on_a_household_that_moved_is_closed_as_stale(app, api) -> None:
    hid, approval_id = requested(api)
    assert api.fire(hid, "complain", reason="khiếu nại về thu nhập").status_code == 200

    error = assert_error(approve(api, approval_id), 409, "already_decided")

    assert "(closed as stale)" in error["message"]
    closed = api.get(f"/approvals/{approval_id}", who="chair").json
    assert (closed["status"], closed["decided_by"]) == ("stale", "system")
    assert api.get(f"/households/{hid}").json["state"] == "under_review"


def test_a_request_on_a_household_changed_since_is_stale_when_decided(app, api) -> None:
    hid, approval_id = requested(api)
    household = api.get(f"/households/{hid}").json
    api.patch(f"/households/{hid}", {"version": household["version"], "phone": "0912345678"})

    error = assert_error(approve(api, approval_id), 409, "conflict")

    assert "stale" in error["message"]
    closed = api.get(f"/approvals/{approval_id}", who="chair").json
    assert (closed["status"], closed["decided_by"]) == ("stale", "chair")
    assert api.get(f"/households/{hid}").json["state"] == "posted"


def test_a_request_made_stale_by_a_change_does_not_block_a_new_one(api) -> None:
    hid, old = requested(api)
    household = api.get(f"/households/{hid}").json
    api.patch(f"/households/{hid}", {"version": household["version"], "phone": "0912345678"})

    response = api.fire(hid, "recognise")

    assert response.status_code == 202, response.json
    assert api.get(f"/approvals/{old}", who="chair").json["status"] == "stale"


def test_a_household_that_moved_on_is_not_blocked_by_its_old_request(api) -> None:
    hid, old = requested(api)
    api.fire(hid, "complain", reason="khiếu nại về thu nhập")
    api.survey(hid, surveyed_on=days_ago(10))
    api.fire(hid, "agree", meeting_on=days_ago(8), posted_on=days_ago(8), agreement_pct=80)

    response = api.fire(hid, "recognise")

    assert response.status_code == 202, response.json
    assert api.get(f"/approvals/{old}", who="chair").json["status"] == "stale"
    assert (
        api.get(f"/households/{hid}").json["pending_approval"]["id"]
        == response.json["approval"]["id"]
    )


def test_a_household_that_moved_leaves_the_pending_queue(api) -> None:
    hid, approval_id = requested(api)
    api.fire(hid, "complain", reason="khiếu nại về thu nhập")

    pending = api.get("/approvals", who="chair", query_string={"status": "pending"}).json

    assert pending["total"] == 0


def test_a_pending_request_still_lets_a_complaint_be_recorded(api) -> None:
    hid, _ = requested(api)

    assert api.get(f"/households/{hid}").json["available_triggers"] == ["complain"]
    assert api.fire(hid, "complain", reason="khiếu nại").status_code == 200


def test_approval_re_runs_the_guards(app, api) -> None:
    hid = posted(api)
    assert approve(api, api.fire(hid, "recognise").json["approval"]["id"]).status_code == 200
    api.post(f"/households/{hid}/supports", {"program": "livelihood_model"})
    approval_id = api.fire(hid, "assign_support").json["approval"]["id"]
    with app.app_context():  # the proposal is withdrawn between request and decision
        db.session.execute(db.update(SupportItem).values(state="cancelled"))
        db.session.commit()
        db.session.remove()
    before = rows(app)

    error = assert_error(approve(api, approval_id), 422, "guard_failed")

    assert "support" in error["message"]
    assert rows(app) == before


# -- reject -----------------------------------------------------------------------------------


def test_rejecting_keeps_the_state_and_records_the_reason(app, api) -> None:
    hid, approval_id = requested(api)
    events = len(api.get(f"/households/{hid}/history").json)

    response = reject(api, approval_id, reason="  chưa đủ hồ sơ  ")

    assert response.status_code == 200, response.json
    approval = response.json["approval"]
    assert (approval["status"], approval["decided_by"], approval["comment"]) == (
        "rejected",
        "chair",
        "chưa đủ hồ sơ",
    )
    household = api.get(f"/households/{hid}").json
    assert (household["state"], household["pending_approval"]) == ("posted", None)
    assert len(api.get(f"/households/{hid}/history").json) == events


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejecting_without_a_reason_is_a_422(app, api, reason) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    assert_error(reject(api, approval_id, reason=reason), 422, "invalid_fields", {"reason"})
    assert rows(app) == before


def test_a_case_worker_may_not_reject(api) -> None:
    _, approval_id = requested(api)

    assert_error(reject(api, approval_id, who="worker2"), 403, "forbidden")


# -- list -------------------------------------------------------------------------------------


def test_the_queue_lists_pending_requests_of_the_callers_units(api) -> None:
    _, mine = requested(api)
    requested(api, who="outsider", unit_code="C2", head_name="Hộ Xã Hai")

    listing = api.get("/approvals", who="chair").json

    assert (listing["total"], listing["page"], listing["per_page"]) == (1, 1, 50)
    assert [a["id"] for a in listing["items"]] == [mine]
    assert set(listing["items"][0]) >= APPROVAL_KEYS
    assert api.get("/approvals", who="officer").json["total"] == 2


def test_the_queue_filters_by_status(api) -> None:
    _, decided = requested(api)
    approve(api, decided)
    _, waiting = requested(api, head_name="Hộ Chờ")

    def ids(status: str) -> list[int]:
        response = api.get("/approvals", who="chair", query_string={"status": status})
        return [a["id"] for a in response.json["items"]]

    assert (ids("pending"), ids("approved"), ids("rejected")) == ([waiting], [decided], [])


@pytest.mark.parametrize(
    ("query", "field"),
    [({"status": "open"}, "status"), ({"per_page": 501}, "per_page"), ({"page": 0}, "page")],
)
def test_a_wrong_queue_parameter_is_a_422(api, query: dict, field: str) -> None:
    assert_error(
        api.get("/approvals", who="chair", query_string=query), 422, "invalid_fields", {field}
    )


def test_the_queue_needs_a_token(api) -> None:
    assert_error(api.get("/approvals", who=None), 401, "unauthorized")


# -- batch ------------------------------------------------------------------------------------


def test_a_batch_decides_each_request_on_its_own_merits(app, api) -> None:
    valid_hid, valid = requested(api, head_name="Hộ Một")
    _, decided = requested(api, head_name="Hộ Hai")
    assert approve(api, decided, who="deputy").status_code == 200
    _, elsewhere = requested(api, who="outsider", unit_code="C2", head_name="Hộ Xã Hai")

    response = api.post(
        "/approvals/batch",
        {"ids": [valid, decided, elsewhere], "decision": "approve", "comment": "QĐ 7/UBND"},
        who="chair",
    )

    assert response.status_code == 200, response.json
    results = {r["id"]: r for r in response.json["results"]}
    assert list(results) == [valid, decided, elsewhere]
    assert (results[valid]["status"], results[valid]["error"]) == ("approved", None)
    assert results[decided]["status"] == "approved"
    assert (results[decided]["error"]["status"], results[decided]["error"]["code"]) == (
        409,
        "already_decided",
    )
    assert results[elsewhere]["error"]["status"] == 404
    assert results[elsewhere]["status"] == "not_found"  # says nothing of another unit's request
    assert api.get(f"/households/{valid_hid}").json["state"] == "recognised"
    assert api.get(f"/approvals/{elsewhere}", who="chair2").json["status"] == "pending"


def test_a_batch_rejection_applies_the_reason_to_each(api) -> None:
    _, first = requested(api, head_name="Hộ Một")
    _, second = requested(api, head_name="Hộ Hai")

    response = api.post(
        "/approvals/batch",
        {"ids": [first, second], "decision": "reject", "comment": "thiếu biên bản họp"},
        who="chair",
    )

    assert [(r["status"], r["error"]) for r in response.json["results"]] == [
        ("rejected", None),
        ("rejected", None),
    ]


def test_a_batch_rejection_without_a_reason_is_a_422(app, api) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    response = api.post(
        "/approvals/batch", {"ids": [approval_id], "decision": "reject"}, who="chair"
    )

    assert_error(response, 422, "invalid_fields", {"comment"})
    assert rows(app) == before


def test_a_batch_by_a_case_worker_decides_nothing(app, api) -> None:
    _, approval_id = requested(api)
    before = rows(app)

    response = api.post(
        "/approvals/batch", {"ids": [approval_id], "decision": "approve"}, who="worker2"
    )

    assert response.status_code == 200
    assert response.json["results"][0]["error"]["status"] == 403
    assert rows(app) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "approve"}, "ids"),
        ({"ids": [], "decision": "approve"}, "ids"),
        ({"ids": ["one"], "decision": "approve"}, "ids"),
        ({"ids": [1]}, "decision"),
        ({"ids": [1], "decision": "maybe"}, "decision"),
        ({"ids": [1], "decision": "approve", "force": True}, "force"),
    ],
)
def test_a_wrong_batch_body_is_a_422(api, body: dict, field: str) -> None:
    assert_error(api.post("/approvals/batch", body, who="chair"), 422, "invalid_fields", {field})


def test_a_batch_reports_unknown_ids_as_not_found(api) -> None:
    response = api.post(
        "/approvals/batch", {"ids": [999999, 2**31 - 1], "decision": "approve"}, who="chair"
    )

    assert [(r["status"], r["error"]["status"]) for r in response.json["results"]] == [
        ("not_found", 404),
        ("not_found", 404),
    ]


def test_a_batch_with_an_id_no_row_can_have_is_refused_naming_it(api) -> None:
    response = api.post("/approvals/batch", {"ids": [2**31], "decision": "approve"}, who="chair")

    assert_error(response, 422, "invalid_fields", {"ids"})


def test_a_batch_lists_a_repeated_id_once(api) -> None:
    _, approval_id = requested(api)

    response = api.post(
        "/approvals/batch", {"ids": [approval_id, approval_id], "decision": "approve"}, who="chair"
    )

    assert [r["id"] for r in response.json["results"]] == [approval_id]
