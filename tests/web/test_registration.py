"""Registering a household with its members, recording a survey; labels on every field."""

from __future__ import annotations

import re

import pytest

from tests.factories import POOR_SURVEY
from tests.web.support import requested, today, unlabelled

REGISTRATION = {
    "head_name": "Nguyễn Thị Hoa",
    "unit_code": "C1-V1",
    "village": "Đông Hải",
    "members-0-full_name": "Nguyễn Thị Hoa",
    "members-0-birth_date": "12/04/1980",
    "members-0-sex": "female",
    "members-0-relation": "head",
    "members-1-full_name": "Trần Văn Nam",
    "members-1-relation": "spouse",
}


def test_registering_makes_the_household_with_its_members(pages, api_as) -> None:
    pages.login("worker")

    response = pages.post("/households/new", REGISTRATION)

    household = int(response.headers["Location"].rsplit("/", 1)[1])
    found = api_as.get(f"/households/{household}").json
    assert found["state"] == "registered" and found["unit_code"] == "C1-V1"
    assert [(m["full_name"], m["birth_date"], m["relation"]) for m in found["members"]] == [
        ("Nguyễn Thị Hoa", "1980-04-12", "head"),
        ("Trần Văn Nam", None, "spouse"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("head_name", "", "Mục này bắt buộc phải nhập."),
        ("national_id", "12ab", "Số định danh cá nhân/CCCD gồm 9 đến 12 chữ số."),
        ("phone", "x", "Số điện thoại gồm 6 đến 30 chữ số."),
        ("unit_code", "", "Mục này bắt buộc phải nhập."),
        ("members-1-full_name", "", "Mục này bắt buộc phải nhập."),
        ("members-0-birth_date", "2999-01-01", "Ngày không được ở tương lai."),
    ],
)
def test_registration_errors_are_shown_in_vietnamese(pages, api_as, field, value, message) -> None:
    pages.login("worker")

    response = pages.post("/households/new", {**REGISTRATION, field: value})

    assert response.status_code == 422
    assert message in response.text
    assert "Vui lòng sửa các trường được đánh dấu dưới đây." in response.text
    assert api_as.get("/households").json["total"] == 0


def test_a_unit_outside_the_users_scope_cannot_be_chosen(pages, api_as) -> None:
    pages.login("worker")

    response = pages.post("/households/new", {**REGISTRATION, "unit_code": "C2"})

    assert response.status_code == 422
    assert api_as.get("/households").json["total"] == 0


def test_one_more_member_row_adds_a_row_and_saves_nothing(pages, api_as) -> None:
    pages.login("worker")

    response = pages.post("/households/new", {**REGISTRATION, "add_member": "1"})

    assert response.status_code == 200
    assert response.text.count('<fieldset class="member">') == 4
    assert 'value="Trần Văn Nam"' in response.text
    assert api_as.get("/households").json["total"] == 0


def test_registering_without_the_token_is_refused(pages, api_as) -> None:
    pages.login("worker")

    response = pages.client.post("/households/new", data=REGISTRATION)

    assert response.status_code == 400
    assert api_as.get("/households").json["total"] == 0


def test_officers_may_not_open_the_registration_form(pages) -> None:
    pages.login("officer")

    response = pages.get("/households/new")

    assert response.status_code == 403
    assert "Vai trò của bạn (cán bộ tỉnh/huyện) không được làm việc này." in response.text


# surveys


def test_the_survey_form_groups_the_twelve_indicators_by_dimension(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    page = pages.get(f"/households/{household}/survey").text

    assert page.count('<fieldset class="dimension">') == 6
    assert len(re.findall(r'type="checkbox"', page)) == 12
    dimension = page[page.index("<legend>Y tế</legend>") :]
    assert (
        dimension.index("Dinh dưỡng")
        < dimension.index("Bảo hiểm y tế")
        < dimension.index("</fieldset>")
    )


def test_recording_a_survey_classifies_the_household_under_review(pages, api_as) -> None:
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    pages.login("worker")
    url = f"/households/{household}/survey"

    response = pages.post(
        url,
        {
            "surveyed_on": today(),
            "income_basis": "vnd",
            "income": "1.200.000 đ",
            "employment": "y",
            "health_insurance": "y",
            "water": "y",
        },
    )

    assert response.headers["Location"] == f"/households/{household}"
    found = api_as.get(f"/households/{household}").json
    assert (found["state"], found["proposed_classification"]) == ("classified", "poor")
    assert "Đã lưu phiếu khảo sát: Hộ nghèo." in pages.get(f"/households/{household}").text


def test_a_survey_form_sent_twice_records_one_survey(pages, api_as) -> None:
    """A double click (or the back button and send again) on the survey page: the second is
    refused as made on the household's old version, in Vietnamese; one survey is recorded."""
    household = api_as.register()["id"]
    api_as.fire(household, "start_review")
    pages.login("worker")
    url = f"/households/{household}/survey"
    seen = re.search(r'name="version_seen" type="hidden" value="(\d+)"', pages.get(url).text)
    typed = {
        "version_seen": seen.group(1),
        "surveyed_on": today(),
        "income_basis": "vnd",
        "income": "1.500.000",
        "water": "y",
    }

    first, second = pages.post(url, typed), pages.post(url, typed)

    assert first.headers["Location"] == f"/households/{household}"
    assert second.status_code == 409
    assert "hãy tải lại" in second.text
    assert len(api_as.get(f"/households/{household}/assessments").json) == 1


def test_income_may_be_given_as_a_score(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    pages.post(
        f"/households/{household}/survey",
        {"surveyed_on": today(), "income_basis": "score", "income": "120"},
    )

    survey = api_as.get(f"/households/{household}/assessments").json[0]
    assert (survey["income_score"], survey["classification"]) == (120, "near_poor")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("income", "nhiều tiền", "Nhập một số nguyên, ví dụ 1.500.000."),
        ("income", "", "Hãy nhập thu nhập bình quân (đồng) hoặc điểm thu nhập, chỉ một trong hai."),
        ("surveyed_on", "01/01/2999", "Ngày không được ở tương lai."),
    ],
)
def test_survey_errors_are_shown_in_vietnamese(pages, api_as, field, value, message) -> None:
    household = api_as.register()["id"]
    pages.login("worker")

    response = pages.post(
        f"/households/{household}/survey",
        {"surveyed_on": today(), "income_basis": "vnd", "income": "1200000", field: value},
    )

    assert response.status_code == 422
    assert message in response.text
    assert api_as.get(f"/households/{household}/assessments").json == []


def test_a_survey_of_a_household_outside_the_users_units_is_not_found(pages, api_as) -> None:
    household = api_as.register()["id"]
    pages.login("outsider")

    assert pages.get(f"/households/{household}/survey").status_code == 404


# every form field has a label


@pytest.mark.parametrize(
    "path",
    [
        "/households/new",
        "/households/{id}",
        "/households/{id}/survey",
        "/households",
        "/dashboard",
        "/approvals",
    ],
)
def test_every_field_has_a_label(pages, api_as, path) -> None:
    requested(api_as)
    other = api_as.register()["id"]
    api_as.fire(other, "start_review")
    api_as.survey(other, **POOR_SURVEY)
    pages.login("chair" if path == "/approvals" else "worker")

    page = pages.get(path.format(id=other)).text

    assert "<input" in page or "<select" in page
    assert unlabelled(page) == []
