"""The walk of the issue: a household through review, recognition, support, exit."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.models import SupportItem
from tests.factories import ABOVE_LINE_SURVEY, days_ago, posted


def _posted(days: int = 14):
    return {"meeting_on": days_ago(days), "posted_on": days_ago(days), "agreement_pct": 80}


def test_household_walks_from_review_to_exit_with_every_step_in_history(api):
    household = api.register()
    hid = household["id"]
    assert household["state"] == "registered"

    assert api.fire(hid, "start_review", started_on=days_ago(120)).status_code == 200
    survey = api.survey(hid, surveyed_on=days_ago(110))
    assert survey.status_code == 201, survey.json
    assert survey.json["classification"] == "poor"
    assert api.get(f"/households/{hid}").json["state"] == "classified"
    assert api.fire(hid, "agree", **_posted(100)).status_code == 200

    asked = api.fire(hid, "recognise", decided_on=days_ago(90))
    assert asked.status_code == 202, asked.json
    approved = api.post(
        f"/approvals/{asked.json['approval']['id']}/approve", {"comment": "QĐ 12/UBND"}, who="chair"
    )
    assert approved.status_code == 200, approved.json
    assert approved.json["household"]["state"] == "recognised"
    assert approved.json["household"]["classification"] == "poor"

    assert (
        api.post(f"/households/{hid}/supports", {"program": "livelihood_model"}).status_code == 201
    )
    asked = api.fire(hid, "assign_support", decided_on=days_ago(80))
    assert asked.status_code == 202, asked.json
    assert (
        api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair").status_code
        == 200
    )

    assert (
        api.fire(hid, "start_review", review_kind="periodic", started_on=days_ago(60)).status_code
        == 200
    )
    assert (
        api.survey(hid, surveyed_on=days_ago(50), **ABOVE_LINE_SURVEY).json["classification"]
        == "middle"
    )
    assert api.fire(hid, "agree", **_posted(40)).status_code == 200
    asked = api.fire(hid, "exit")
    assert asked.status_code == 202, asked.json
    done = api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")
    assert done.json["household"]["state"] == "follow_up"
    assert done.json["household"]["classification"] is None

    history = api.get(f"/households/{hid}/history").json
    steps = [(e["trigger"], e["actor"], e["approved_by"]) for e in history]
    assert steps == [
        ("register", "worker", None),
        ("start_review", "worker", None),
        ("classify", "worker", None),
        ("agree", "worker", None),
        ("recognise", "worker", "chair"),
        ("assign_support", "worker", "chair"),
        ("start_review", "worker", None),
        ("classify", "worker", None),
        ("agree", "worker", None),
        ("exit", "worker", "chair"),
    ]


def test_approving_the_support_plan_approves_its_proposed_items(api):
    hid = api.register()["id"]
    api.fire(hid, "start_review")
    api.survey(hid)
    api.fire(hid, "agree", **_posted())
    api.post(
        f"/approvals/{api.fire(hid, 'recognise').json['approval']['id']}/approve", {}, who="chair"
    )
    api.post(f"/households/{hid}/supports", {"program": "health_insurance"})
    asked = api.fire(hid, "assign_support")
    api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")
    items = api.get(f"/households/{hid}/supports").json
    assert [(i["program"], i["state"]) for i in items] == [("health_insurance", "approved")]


def _recognised(api) -> int:
    hid = posted(api, days=30)
    asked = api.fire(hid, "recognise", decided_on=days_ago(20)).json["approval"]["id"]
    assert api.post(f"/approvals/{asked}/approve", {}, who="chair").status_code == 200
    return hid


def test_a_support_proposed_after_the_plan_was_asked_for_makes_the_request_stale(api):
    hid = _recognised(api)
    api.post(f"/households/{hid}/supports", {"program": "livelihood_model"})
    asked = api.fire(hid, "assign_support").json["approval"]["id"]
    api.post(f"/households/{hid}/supports", {"program": "health_insurance"})

    response = api.post(f"/approvals/{asked}/approve", {}, who="chair")

    assert response.status_code == 409, response.json
    items = api.get(f"/households/{hid}/supports").json
    assert [i["state"] for i in items] == ["proposed", "proposed"]
    assert api.get(f"/households/{hid}").json["state"] == "recognised"


def test_the_plan_request_covers_the_items_proposed_when_it_was_asked(app, api):
    hid = _recognised(api)
    api.post(f"/households/{hid}/supports", {"program": "livelihood_model"})
    asked = api.fire(hid, "assign_support").json["approval"]
    with app.app_context():  # an item written behind the services' back, version unchanged
        db.session.add(
            SupportItem(
                household_id=hid,
                program_code="health_insurance",
                state="proposed",
                created_by="worker",
                version=1,
            )
        )
        db.session.commit()

    approved = api.post(f"/approvals/{asked['id']}/approve", {}, who="chair")

    assert approved.status_code == 200, approved.json
    states = {i["program"]: i["state"] for i in api.get(f"/households/{hid}/supports").json}
    assert states == {"livelihood_model": "approved", "health_insurance": "proposed"}
    history = api.get(f"/households/{hid}/history").json
    assert history[-1]["data"]["support_items"] == asked["data"]["support_items"]
    assert len(asked["data"]["support_items"]) == 1
