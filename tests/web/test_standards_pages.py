"""The survey form shows the indicators of the standard in force on the survey date, and the
standards page shows each standard with its estimates marked."""

from __future__ import annotations

from datetime import date

from caseflow import clock
from tests.factories import at

IN_2027 = at(date(2027, 3, 1))


def survey_page(pages, household: int, **data):
    form = {"surveyed_on": "05/01/2027", "income_basis": "vnd", "income": "2.000.000", **data}
    return pages.post(f"/households/{household}/survey", form)


def test_the_survey_form_shows_the_indicators_of_the_standard_of_its_date(pages, api_as):
    household = api_as.register()["id"]
    pages.login("worker")
    with clock.frozen_at(IN_2027):
        shown = survey_page(pages, household, refresh="1").text

    assert "Thu gom, xử lý rác thải sinh hoạt" in shown
    assert "Phương tiện phục vụ tiếp cận thông tin" not in shown
    assert 'name="standard_code" type="hidden" value="2027-2030"' in shown


def test_a_survey_sent_with_the_indicators_of_another_standard_is_shown_again(pages, api_as):
    household = api_as.register()["id"]
    pages.login("worker")
    with clock.frozen_at(IN_2027):
        response = survey_page(pages, household, standard_code="07/2021", water="y")

    assert response.status_code == 422
    assert "tick them again" in response.text or "đánh dấu lại" in response.text
    assert "Thu gom, xử lý rác thải sinh hoạt" in response.text
    assert api_as.get(f"/households/{household}/assessments").json == []


def test_a_survey_of_2027_is_recorded_under_its_standard(pages, api_as):
    household = api_as.register()["id"]
    pages.login("worker")
    with clock.frozen_at(IN_2027):
        response = survey_page(
            pages,
            household,
            standard_code="2027-2030",
            employment="y",
            water="y",
            domestic_waste="y",
        )
        [survey] = api_as.get(f"/households/{household}/assessments").json

    assert response.status_code == 302
    assert (survey["standard"], survey["classification"]) == ("2027-2030", "poor")
    assert survey["deprivations"]["domestic_waste"] is True
    assert "information_access" not in survey["deprivations"]


def test_the_standards_page_marks_the_estimates(pages):
    pages.login("officer")

    page = pages.get("/standards").text

    assert "351/2025/NĐ-CP" in page and "07/2021/NĐ-CP" in page
    assert "2.200.000" in page and "3.300.000\u00a0đ *" in page
    assert "Thu gom, xử lý rác thải sinh hoạt *" in page
