"""The registration form registers once, refuses a national ID held by another household and
asks before registering the same head in the same village twice."""

from __future__ import annotations

import re

from tests.web.support import form_fields, opened

REGISTRATION = {
    "head_name": "Nguyễn Thị Hoa",
    "unit_code": "C1-V1",
    "village": "Đông Hải",
    "members-0-full_name": "Nguyễn Thị Hoa",
    "members-0-birth_date": "12/04/1980",
    "members-0-relation": "head",
}


def the_form(pages) -> dict[str, str]:
    """Open the registration form and return what a browser would send back, key included."""
    page = pages.get("/households/new")
    assert page.status_code == 200
    return form_fields(page.text)


def total(api_as) -> int:
    return api_as.get("/households").json["total"]


def test_the_form_carries_a_new_one_time_key_each_time_it_is_opened(pages) -> None:
    pages.login("worker")

    first, second = the_form(pages)["submission_key"], the_form(pages)["submission_key"]

    assert len(first) >= 16 and first != second


def test_sending_the_same_form_twice_registers_once_and_shows_the_household(pages, api_as) -> None:
    pages.login("worker")
    form = {**the_form(pages), **REGISTRATION}

    first = pages.client.post("/households/new", data=form)
    again = pages.client.post("/households/new", data=form)  # the back button, a double click

    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert total(api_as) == 1
    page = pages.get(again.headers["Location"]).text
    assert "Biểu mẫu này đã được gửi" in page


def test_the_same_key_sent_with_changes_still_shows_the_household_it_made(pages, api_as) -> None:
    pages.login("worker")
    form = {**the_form(pages), **REGISTRATION}
    first = pages.client.post("/households/new", data=form)

    again = pages.client.post("/households/new", data={**form, "address": "Xóm 3"})

    assert again.headers["Location"] == first.headers["Location"]
    assert total(api_as) == 1


def test_a_new_form_registers_a_new_household(pages, api_as) -> None:
    pages.login("worker")
    pages.client.post("/households/new", data={**the_form(pages), **REGISTRATION})

    response = pages.client.post(
        "/households/new", data={**the_form(pages), **REGISTRATION, "head_name": "Lò Văn Pá"}
    )

    assert response.status_code == 302 and total(api_as) == 2


def test_one_more_member_row_keeps_the_key(pages) -> None:
    pages.login("worker")
    form = {**the_form(pages), **REGISTRATION, "add_member": "1"}

    response = pages.client.post("/households/new", data=form)

    assert form_fields(response.text)["submission_key"] == form["submission_key"]


def test_a_national_id_held_by_another_household_is_shown_beside_the_field_with_a_link(
    pages, api_as
) -> None:
    other = api_as.register(head_name="Trần Văn Nam", national_id="036085001234")
    pages.login("worker")

    response = pages.client.post(
        "/households/new",
        data={**the_form(pages), **REGISTRATION, "national_id": "036085001234"},
    )

    assert response.status_code == 409
    field = re.search(
        r'<div class="field invalid">\s*<label for="national_id".*?</div>', response.text, re.DOTALL
    ).group(0)
    assert f"Hộ Trần Văn Nam ({other['code']}) đã có số định danh này." in field
    assert f'href="/households/{other["id"]}"' in field
    assert total(api_as) == 1


def test_the_same_head_and_village_asks_for_confirmation_with_a_link(pages, api_as) -> None:
    other = api_as.register(
        members=[{"full_name": "Nguyễn Thị Hoa", "birth_date": "1980-04-12", "relation": "head"}]
    )
    pages.login("worker")
    form = {**the_form(pages), **REGISTRATION}

    response = pages.client.post("/households/new", data=form)

    assert response.status_code == 409
    assert f'href="/households/{other["id"]}"' in response.text
    assert "Vẫn đăng ký hộ này" in response.text
    assert total(api_as) == 1

    confirmed = pages.client.post("/households/new", data={**form, "confirm_duplicate": "y"})

    assert confirmed.status_code == 302 and total(api_as) == 2


def test_the_confirmation_is_not_asked_of_a_household_unlike_any(pages) -> None:
    pages.login("worker")

    assert "Vẫn đăng ký hộ này" not in pages.get("/households/new").text


def test_the_edit_page_refuses_a_national_id_held_by_another_household(pages, api_as) -> None:
    other = api_as.register(head_name="Trần Văn Nam", national_id="036085001234")
    household = api_as.register()["id"]
    pages.login("worker")

    response = pages.client.post(
        f"/households/{household}/edit",
        data={**opened(pages, household), "national_id": "036085001234"},
    )

    assert response.status_code == 409
    assert f"Hộ Trần Văn Nam ({other['code']}) đã có số định danh này." in response.text
    assert f'href="/households/{other["id"]}"' in response.text
    assert api_as.get(f"/households/{household}").json["national_id"] is None
