"""The walk of the issue: a household through review, recognition, support, exit."""

from __future__ import annotations

from datetime import timedelta

from caseflow import clock
from tests.factories import ABOVE_LINE_SURVEY


def _posted_long_ago():
    day = (clock.today() - timedelta(days=14)).isoformat()
    return {"meeting_on": day, "posted_on": day, "agreement_pct": 80}


def test_household_walks_from_review_to_exit_with_every_step_in_history(api):
    household = api.register()
    hid = household["id"]
    assert household["state"] == "registered"

    assert api.fire(hid, "start_review").status_code == 200
    survey = api.survey(hid)
    assert survey.status_code == 201, survey.json
    assert survey.json["classification"] == "poor"
    assert api.get(f"/households/{hid}").json["state"] == "classified"
    assert api.fire(hid, "agree", **_posted_long_ago()).status_code == 200

    asked = api.fire(hid, "recognise")
    assert asked.status_code == 202, asked.json
    approved = api.post(f"/approvals/{asked.json['approval']['id']}/approve",
                        {"comment": "QĐ 12/UBND"}, who="chair")
    assert approved.status_code == 200, approved.json
    assert approved.json["household"]["state"] == "recognised"
    assert approved.json["household"]["classification"] == "poor"

    assert api.post(f"/households/{hid}/supports", {"program": "livelihood_model"}).status_code \
        == 201
    asked = api.fire(hid, "assign_support")
    assert asked.status_code == 202, asked.json
    assert api.post(f"/approvals/{asked.json['approval']['id']}/approve", {},
                    who="chair").status_code == 200

    assert api.fire(hid, "start_review", review_kind="periodic").status_code == 200
    assert api.survey(hid, **ABOVE_LINE_SURVEY).json["classification"] == "middle"
    assert api.fire(hid, "agree", **_posted_long_ago()).status_code == 200
    asked = api.fire(hid, "exit")
    assert asked.status_code == 202, asked.json
    done = api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")
    assert done.json["household"]["state"] == "follow_up"
    assert done.json["household"]["classification"] is None

    history = api.get(f"/households/{hid}/history").json
    steps = [(e["trigger"], e["actor"], e["approved_by"]) for e in history]
    assert steps == [
        ("register", "worker", None), ("start_review", "worker", None),
        ("classify", "worker", None), ("agree", "worker", None),
        ("recognise", "worker", "chair"), ("assign_support", "worker", "chair"),
        ("start_review", "worker", None), ("classify", "worker", None),
        ("agree", "worker", None), ("exit", "worker", "chair"),
    ]


def test_approving_the_support_plan_approves_its_proposed_items(api):
    hid = api.register()["id"]
    api.fire(hid, "start_review")
    api.survey(hid)
    api.fire(hid, "agree", **_posted_long_ago())
    api.post(f"/approvals/{api.fire(hid, 'recognise').json['approval']['id']}/approve", {},
             who="chair")
    api.post(f"/households/{hid}/supports", {"program": "health_insurance"})
    asked = api.fire(hid, "assign_support")
    api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")
    items = api.get(f"/households/{hid}/supports").json
    assert [(i["program"], i["state"]) for i in items] == [("health_insurance", "approved")]
