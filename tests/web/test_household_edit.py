"""Editing a household's facts and members from the pages; the timeline shows each change."""

from __future__ import annotations

from tests.web.support import opened, requested, shown_days_ago, unlabelled


def timeline(html: str) -> str:
    return html[html.index('class="timeline"') :]


def registered(api_as, **fields) -> int:
    return api_as.register(
        phone="0912345678",
        members=[
            {"full_name": "Nguyễn Thị Hoa", "birth_date": "1980-04-12", "relation": "head"},
            {"full_name": "Trần Văn Nam", "relation": "spouse"},
        ],
        **fields,
    )["id"]


def test_the_household_page_links_to_the_edit_page_for_writers(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")

    page = pages.get(f"/households/{household}").text

    assert f'href="/households/{household}/edit"' in page and "Sửa thông tin hộ" in page


def test_the_edit_page_is_prefilled_with_the_facts_members_and_version(pages, api_as) -> None:
    household = registered(api_as, address="Xóm 3")
    pages.login("worker")

    fields = opened(pages, household)

    assert fields["head_name"] == "Nguyễn Thị Hoa" and fields["address"] == "Xóm 3"
    assert fields["phone"] == "0912345678" and fields["area"] == "rural"
    assert fields["members-0-full_name"] == "Nguyễn Thị Hoa"
    assert fields["members-0-birth_date"] == "12/04/1980"
    assert fields["members-1-full_name"] == "Trần Văn Nam"
    assert fields["members-1-relation"] == "spouse"
    assert fields["members-2-full_name"] == ""  # a blank row for a new member
    assert fields["version_seen"] == "1"
    assert fields["members-0-member_id"] and fields["csrf_token"]


def test_saving_changes_the_facts_and_the_timeline_shows_the_change(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {**opened(pages, household), "phone": "0987654321"}

    response = pages.client.post(f"/households/{household}/edit", data=fields)

    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/households/{household}"
    assert api_as.get(f"/households/{household}").json["phone"] == "0987654321"
    page = pages.get(f"/households/{household}").text
    assert "Đã lưu thay đổi thông tin hộ." in page
    shown = timeline(page)
    assert "Sửa thông tin hộ" in shown
    assert "Số điện thoại: 0912345678 → 0987654321" in shown


def test_members_are_added_changed_and_removed_from_the_page(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {
        **opened(pages, household),
        "members-0-birth_date": "13/04/1980",
        "members-1-remove": "y",
        "members-2-full_name": "Lò Thị Xuân",
        "members-2-relation": "child",
        "members-2-sex": "female",
    }

    pages.client.post(f"/households/{household}/edit", data=fields)

    members = api_as.get(f"/households/{household}").json["members"]
    assert [(m["full_name"], m["birth_date"]) for m in members] == [
        ("Nguyễn Thị Hoa", "1980-04-13"),
        ("Lò Thị Xuân", None),
    ]
    shown = timeline(pages.get(f"/households/{household}").text)
    assert "Thêm thành viên: Lò Thị Xuân" in shown
    assert "Bớt thành viên: Trần Văn Nam" in shown
    assert "Nguyễn Thị Hoa: Ngày sinh: 12/04/1980 → 13/04/1980" in shown


def test_one_more_member_row_adds_a_row_and_saves_nothing(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {**opened(pages, household), "phone": "0987654321", "add_member": "1"}

    response = pages.client.post(f"/households/{household}/edit", data=fields)

    assert response.status_code == 200
    assert response.text.count('<fieldset class="member">') == 4
    assert 'value="0987654321"' in response.text
    assert api_as.get(f"/households/{household}").json["phone"] == "0912345678"


def test_saving_nothing_changed_writes_no_event(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")

    response = pages.client.post(f"/households/{household}/edit", data=opened(pages, household))

    assert response.status_code == 302
    history = api_as.get(f"/households/{household}/history").json
    assert [e["trigger"] for e in history] == ["register"]
    assert "Không có gì thay đổi." in pages.get(f"/households/{household}").text


def test_a_page_seen_before_someone_else_changed_it_says_so_with_a_link(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {**opened(pages, household), "address": "Xóm 9"}
    api_as.patch(f"/households/{household}", {"version": 1, "address": "Xóm 3"}, who="worker2")

    response = pages.client.post(f"/households/{household}/edit", data=fields)

    assert response.status_code == 409
    assert "Người khác vừa sửa hộ này" in response.text
    assert f'href="/households/{household}/edit"' in response.text
    assert 'value="Xóm 9"' in response.text  # what the user typed is still there to copy
    assert api_as.get(f"/households/{household}").json["address"] == "Xóm 3"


def test_wrong_fields_are_shown_in_vietnamese(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {**opened(pages, household), "phone": "x", "members-0-full_name": ""}

    response = pages.client.post(f"/households/{household}/edit", data=fields)

    assert response.status_code == 422
    assert "Số điện thoại gồm 6 đến 30 chữ số." in response.text
    assert "Mục này bắt buộc phải nhập." in response.text
    assert api_as.get(f"/households/{household}").json["phone"] == "0912345678"


def test_saving_without_the_token_is_refused(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")
    fields = {k: v for k, v in opened(pages, household).items() if k != "csrf_token"}

    response = pages.client.post(
        f"/households/{household}/edit", data={**fields, "phone": "0987654321"}
    )

    assert response.status_code == 400
    assert api_as.get(f"/households/{household}").json["phone"] == "0912345678"


def test_officers_may_not_edit(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("officer")

    assert pages.get(f"/households/{household}/edit").status_code == 403
    assert f"/households/{household}/edit" not in pages.get(f"/households/{household}").text


def test_a_household_outside_the_users_units_is_not_found(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("outsider")

    assert pages.get(f"/households/{household}/edit").status_code == 404


def test_officers_read_the_changes_of_identifiers_masked(pages, api_as) -> None:
    household = registered(api_as)
    api_as.patch(f"/households/{household}", {"version": 1, "phone": "0987654321"})
    pages.login("officer")

    shown = timeline(pages.get(f"/households/{household}").text)

    assert "Số điện thoại: *******678 → *******321" in shown
    assert "0912345678" not in shown and "0987654321" not in shown


def test_the_timeline_speaks_english_after_the_switch(pages, api_as) -> None:
    household = registered(api_as)
    api_as.patch(f"/households/{household}", {"version": 1, "phone": "0987654321"})
    pages.login("worker")
    pages.english()

    shown = timeline(pages.get(f"/households/{household}").text)

    assert "Facts changed" in shown and "Phone number: 0912345678 → 0987654321" in shown


def test_an_edit_does_not_hide_the_meeting_from_the_chair(pages, api_as) -> None:
    household, _ = requested(api_as)
    version = api_as.get(f"/households/{household}").json["version"]
    api_as.patch(f"/households/{household}", {"version": version, "address": "Xóm 3"})
    api_as.fire(household, "recognise")
    pages.login("chair")

    page = pages.get("/approvals").text

    assert f"<dt>Ngày họp</dt><dd>{shown_days_ago(21)}</dd>" in page


def test_every_field_of_the_edit_page_has_a_label(pages, api_as) -> None:
    household = registered(api_as)
    pages.login("worker")

    assert unlabelled(pages.get(f"/households/{household}/edit").text) == []
