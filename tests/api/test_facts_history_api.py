"""Every change of a household's facts is a history event with the old and new values."""

from __future__ import annotations

from tests.factories import assert_error, posted


def edit(api, household: dict, who: str = "worker", **fields):
    return api.patch(
        f"/households/{household['id']}", {"version": household["version"], **fields}, who
    )


def history(api, household_id: int, who: str = "worker") -> list[dict]:
    return api.get(f"/households/{household_id}/history", who).json


def test_a_changed_fact_leaves_an_edit_event_with_its_old_and_new_value(api) -> None:
    household = api.register(phone="0912345678")

    assert edit(api, household, phone="0987654321", village="Đông Hải").status_code == 200

    event = history(api, household["id"])[-1]
    assert (event["trigger"], event["from_state"], event["to_state"], event["actor"]) == (
        "edit",
        "registered",
        "registered",
        "worker",
    )
    assert event["data"] == {"facts": {"phone": {"old": "0912345678", "new": "0987654321"}}}


def test_the_edit_keeps_the_state_and_the_recognised_class(api, app) -> None:
    hid = posted(api)
    api.post(
        f"/approvals/{api.fire(hid, 'recognise').json['approval']['id']}/approve", {}, who="chair"
    )
    household = api.get(f"/households/{hid}").json

    edit(api, household, address="Xóm 3")

    from caseflow.extensions import db
    from caseflow.models import Event

    with app.app_context():
        last = db.session.scalars(
            db.select(Event).where(Event.household_id == hid).order_by(Event.id.desc())
        ).first()
        assert (last.trigger, last.to_state, last.classification) == ("edit", "recognised", "poor")
    assert api.get(f"/households/{hid}").json["state"] == "recognised"


def test_members_added_removed_and_changed_are_each_recorded(api) -> None:
    household = api.register(
        members=[
            {"full_name": "Nguyễn Thị Hoa", "relation": "head"},
            {"full_name": "Trần Văn Nam", "relation": "spouse"},
        ]
    )
    hoa, nam = household["members"]

    response = edit(
        api,
        household,
        members=[
            {**hoa, "birth_date": "1980-04-12"},
            {"full_name": "Lò Thị Xuân", "relation": "child"},
        ],
    )

    assert response.status_code == 200, response.json
    assert [m["full_name"] for m in response.json["members"]] == ["Nguyễn Thị Hoa", "Lò Thị Xuân"]
    assert response.json["members"][0]["id"] == hoa["id"]
    members = history(api, household["id"])[-1]["data"]["members"]
    assert members["changed"] == [
        {
            "id": hoa["id"],
            "full_name": "Nguyễn Thị Hoa",
            "facts": {"birth_date": {"old": None, "new": "1980-04-12"}},
        }
    ]
    assert [m["full_name"] for m in members["added"]] == ["Lò Thị Xuân"]
    assert [(m["id"], m["full_name"]) for m in members["removed"]] == [(nam["id"], "Trần Văn Nam")]


def test_nothing_changed_is_no_event_and_no_new_version(api) -> None:
    household = api.register(phone="0912345678", members=[{"full_name": "Nguyễn Thị Hoa"}])

    response = edit(
        api,
        household,
        phone="0912345678",
        head_name="Nguyễn Thị Hoa",
        members=[{"full_name": "Nguyễn Thị Hoa"}],
    )

    assert response.status_code == 200
    assert response.json["version"] == household["version"]
    assert [e["trigger"] for e in history(api, household["id"])] == ["register"]


def test_each_edit_is_its_own_event_in_order(api) -> None:
    household = api.register()
    first = edit(api, household, address="Xóm 3").json
    edit(api, first, address="Xóm 4")

    events = history(api, household["id"])

    assert [e["trigger"] for e in events] == ["register", "edit", "edit"]
    assert [e["data"]["facts"]["address"]["new"] for e in events[1:]] == ["Xóm 3", "Xóm 4"]


def test_a_refused_edit_leaves_no_event(api) -> None:
    household = api.register()
    edit(api, household, address="Xóm 3")

    assert_error(edit(api, household, address="Xóm 4"), 409, "stale_version")
    assert len(history(api, household["id"])) == 2


def test_a_member_id_of_another_household_is_refused(api) -> None:
    other = api.register(members=[{"full_name": "Lò Văn Tính"}])
    household = api.register(head_name="Hộ Khác", members=[{"full_name": "Lò Thị Xuân"}])

    response = edit(
        api, household, members=[{"id": other["members"][0]["id"], "full_name": "Lò Văn Tính"}]
    )

    assert_error(response, 422, "invalid_fields", {"members"})
    assert api.get(f"/households/{other['id']}").json["members"][0]["full_name"] == "Lò Văn Tính"


def test_officers_read_identifiers_masked_in_history(api) -> None:
    household = api.register(phone="0912345678", national_id="036085001234")
    edit(api, household, phone="0987654321", national_id="036085009999", address="Xóm 3")

    facts = history(api, household["id"], who="officer")[-1]["data"]["facts"]

    assert facts["phone"] == {"old": "*******678", "new": "*******321"}
    assert facts["national_id"] == {"old": "*********234", "new": "*********999"}
    assert facts["address"] == {"old": None, "new": "Xóm 3"}


def test_case_workers_read_identifiers_whole_in_history(api) -> None:
    household = api.register(phone="0912345678")
    edit(api, household, phone="0987654321")

    facts = history(api, household["id"])[-1]["data"]["facts"]

    assert facts["phone"] == {"old": "0912345678", "new": "0987654321"}


def test_an_edit_does_not_count_as_the_move_that_led_to_a_request(api) -> None:
    hid = posted(api)
    api.fire(hid, "recognise")
    household = api.get(f"/households/{hid}").json
    edit(api, household, address="Xóm 3")

    assert api.fire(hid, "recognise").status_code == 202  # the posting's payload still counts
