"""The walk of the issue: a household through review, recognition, support, exit."""

from __future__ import annotations

from tests.factories import ABOVE_LINE_SURVEY, days_ago


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
    approved = api.post(f"/approvals/{asked.json['approval']['id']}/approve",
                        {"comment": "QĐ 12/UBND"}, who="chair")
    assert approved.status_code == 200, approved.json
    assert approved.json["household"]["state"] == "recognised"
    assert approved.json["household"]["classification"] == "poor"

    assert api.post(f"/households/{hid}/supports", {"program": "livelihood_model"}).status_code \
        == 201
    asked = api.fire(hid, "assign_support", decided_on=days_ago(80))
    assert asked.status_code == 202, asked.json
    assert api.post(f"/approvals/{asked.json['approval']['id']}/approve", {},
                    who="chair").status_code == 200

    assert api.fire(hid, "start_review", review_kind="periodic",
                    started_on=days_ago(60)).status_code == 200
    assert api.survey(hid, surveyed_on=days_ago(50),
                      **ABOVE_LINE_SURVEY).json["classification"] == "middle"
    assert api.fire(hid, "agree", **_posted(40)).status_code == 200
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
    api.fire(hid, "agree", **_posted())
    api.post(f"/approvals/{api.fire(hid, 'recognise').json['approval']['id']}/approve", {},
             who="chair")
    api.post(f"/households/{hid}/supports", {"program": "health_insurance"})
    asked = api.fire(hid, "assign_support")
    api.post(f"/approvals/{asked.json['approval']['id']}/approve", {}, who="chair")
    items = api.get(f"/households/{hid}/supports").json
    assert [(i["program"], i["state"]) for i in items] == [("health_insurance", "approved")]
