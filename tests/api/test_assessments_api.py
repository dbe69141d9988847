"""Surveys over HTTP: classified under the standard in force, and every wrong survey refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Assessment, Event, Household
from tests.factories import ABOVE_LINE_SURVEY, POOR_SURVEY, assert_error, deprived, of_its_standard

ASSESSMENT_KEYS = {
    "id",
    "household_id",
    "surveyed_on",
    "standard",
    "classification",
    "deprivation_count",
    "income_line",
    "explanation",
}
#: a day under Decree 07/2021 (2022-2026), whatever today is
UNDER_DECREE_07 = "2025-06-02"


def rows(app) -> dict[str, object]:
    with app.app_context():
        found: dict[str, object] = {
            model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Assessment, Event)
        }
        found["households"] = db.session.execute(
            db.select(
                Household.id, Household.state, Household.proposed_classification, Household.version
            ).order_by(Household.id)
        ).all()
        db.session.remove()
    return found


#: the reviews of these tests start before any of their surveys
STARTED_ON = "2025-01-02"


def under_review(api) -> int:
    hid = api.register()["id"]
    assert api.fire(hid, "start_review", started_on=STARTED_ON).status_code == 200
    return hid


def survey(api, hid: int, who: str = "worker", **fields):
    body = {"surveyed_on": UNDER_DECREE_07, **POOR_SURVEY, **fields}
    return api.post(f"/households/{hid}/assessments", body, who)


# -- recorded ---------------------------------------------------------------------------------


def test_a_survey_is_classified_and_explained(api) -> None:
    hid = under_review(api)

    response = survey(api, hid)

    assert response.status_code == 201, response.json
    assessment = response.json
    assert set(assessment) >= ASSESSMENT_KEYS
    assert (assessment["household_id"], assessment["surveyed_on"]) == (hid, UNDER_DECREE_07)
    assert (assessment["standard"], assessment["classification"]) == ("07/2021", "poor")
    assert (assessment["deprivation_count"], assessment["income_line"]) == (3, 1_500_000)
    assert assessment["explanation"]


def test_the_explanation_follows_the_callers_language(api) -> None:
    hid = under_review(api)

    response = api.client.post(
        f"/api/v1/households/{hid}/assessments",
        json={"surveyed_on": UNDER_DECREE_07, **POOR_SURVEY},
        headers={"Authorization": f"Bearer {api.world.tokens['worker']}", "Accept-Language": "en"},
    )

    assert response.status_code == 201, response.json
    assert "Health insurance" in response.json["explanation"]


def test_a_survey_recorded_in_one_language_is_explained_in_the_readers(api) -> None:
    hid = under_review(api)
    survey(api, hid)
    path = f"/api/v1/households/{hid}/assessments"
    token = {"Authorization": f"Bearer {api.world.tokens['worker']}"}

    in_vietnamese = api.client.get(path, headers={**token, "Accept-Language": "vi"}).json
    in_english = api.client.get(path, headers={**token, "Accept-Language": "en"}).json

    assert "Bảo hiểm y tế" in in_vietnamese[0]["explanation"]
    assert "Health insurance" in in_english[0]["explanation"]


def test_a_survey_under_review_moves_the_household_to_classified(api) -> None:
    hid = under_review(api)
    survey(api, hid)

    household = api.get(f"/households/{hid}").json
    history = api.get(f"/households/{hid}/history").json

    assert (household["state"], household["proposed_classification"]) == ("classified", "poor")
    assert (history[-1]["trigger"], history[-1]["actor"]) == ("classify", "worker")
    assert history[-1]["data"] == {
        "assessment_classification": "poor",
        "surveyed_on": UNDER_DECREE_07,
    }


def test_a_survey_outside_a_review_is_recorded_without_moving_the_household(api) -> None:
    hid = api.register()["id"]

    assert survey(api, hid, **ABOVE_LINE_SURVEY).status_code == 201

    household = api.get(f"/households/{hid}").json
    assert (household["state"], household["proposed_classification"]) == ("registered", "middle")


@pytest.mark.parametrize(
    ("income", "deprivations", "classification"),
    [
        (1_500_000, deprived("employment", "water", "telecom"), "poor"),
        (1_500_000, deprived("employment", "water"), "near_poor"),
        (1_500_001, deprived("employment", "water", "telecom"), "middle"),
        (2_250_001, deprived(), "better_off"),
    ],
)
def test_surveys_are_classified_on_the_rural_lines(
    api, income: int, deprivations: dict, classification: str
) -> None:
    hid = api.register()["id"]

    response = survey(api, hid, income_per_capita_month=income, deprivations=deprivations)

    assert response.json["classification"] == classification


def test_an_urban_household_is_classified_on_the_urban_line(api) -> None:
    hid = api.register("admin", unit_code="W1")["id"]

    response = survey(api, hid, "admin", income_per_capita_month=1_800_000)

    assert (response.json["classification"], response.json["income_line"]) == ("poor", 2_000_000)


def test_a_survey_may_give_an_income_score_instead(api) -> None:
    hid = api.register()["id"]
    body = {
        "surveyed_on": UNDER_DECREE_07,
        "income_score": 120,
        "deprivations": POOR_SURVEY["deprivations"],
    }

    response = api.post(f"/households/{hid}/assessments", body)

    assert response.status_code == 201, response.json
    assert (response.json["classification"], response.json["income_line"]) == ("poor", 140)


def test_a_survey_is_classified_under_the_standard_of_its_date(api) -> None:
    hid = api.register()["id"]
    body = of_its_standard({**POOR_SURVEY, "surveyed_on": "2027-02-01"}, "2027-02-01")

    with clock.frozen_at(clock.now().replace(year=2027, month=3, day=1)):
        response = survey(api, hid, **body)

    assert response.status_code == 201, response.json
    assert (response.json["standard"], response.json["income_line"]) == ("2027-2030", 2_200_000)
    assert "domestic_waste" in response.json["deprivations"]


def test_a_survey_of_2027_with_the_indicators_of_07_2021_is_refused_naming_them(api) -> None:
    hid = api.register()["id"]

    with clock.frozen_at(clock.now().replace(year=2027, month=3, day=1)):
        response = survey(api, hid, surveyed_on="2027-02-01")

    error = assert_error(response, 422, "invalid_fields", {"deprivations"})
    assert error["fields"]["deprivations"] == [
        "Missing indicators: domestic_waste.",
        "Indicators the standard 2027-2030 does not have: information_access.",
    ]


def test_surveys_are_listed_newest_first(api) -> None:
    hid = api.register()["id"]
    survey(api, hid, surveyed_on="2025-01-15")
    survey(api, hid, surveyed_on="2025-03-10")
    survey(api, hid, surveyed_on="2025-08-01", **ABOVE_LINE_SURVEY)

    listed = api.get(f"/households/{hid}/assessments").json

    assert [a["surveyed_on"] for a in listed] == ["2025-08-01", "2025-03-10", "2025-01-15"]


# -- refused ----------------------------------------------------------------------------------

ELEVEN = {k: v for k, v in POOR_SURVEY["deprivations"].items() if k != "information_access"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deprivations": ELEVEN}, "deprivations"),
        ({"deprivations": {**POOR_SURVEY["deprivations"], "internet": True}}, "deprivations"),
        ({"deprivations": {**POOR_SURVEY["deprivations"], "water": "yes"}}, "deprivations"),
        ({"deprivations": {**POOR_SURVEY["deprivations"], "water": None}}, "deprivations"),
        ({"deprivations": ["water"]}, "deprivations"),
        ({"deprivations": None}, "deprivations"),
        ({"income_per_capita_month": -1}, "income_per_capita_month"),
        ({"income_per_capita_month": "1.2 triệu"}, "income_per_capita_month"),
        ({"income_per_capita_month": 1_200_000.5}, "income_per_capita_month"),
        ({"income_per_capita_month": "1200000"}, "income_per_capita_month"),
        ({"income_per_capita_month": 10**12}, "income_per_capita_month"),
        ({"income_score": 120}, "income_per_capita_month"),  # both incomes
        ({"income_per_capita_month": None}, "income_per_capita_month"),  # neither
        ({"surveyed_on": "tomorrow"}, "surveyed_on"),
        ({"surveyed_on": "01/06/2025"}, "surveyed_on"),
        ({"surveyed_on": None}, "surveyed_on"),
        ({"surveyed_on": "2019-06-01"}, "surveyed_on"),  # before any standard
        ({"household_id": 1}, "household_id"),
        ({"classification": "poor"}, "classification"),
    ],
)
def test_a_wrong_survey_is_a_422_naming_the_field(app, api, change: dict, field: str) -> None:
    hid = under_review(api)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    change = {k: tomorrow if v == "tomorrow" else v for k, v in change.items()}
    before = rows(app)

    error = assert_error(survey(api, hid, **change), 422, "invalid_fields", {field})

    assert error["fields"][field]
    assert rows(app) == before


def test_eleven_indicators_name_the_missing_one(api) -> None:
    hid = under_review(api)

    error = assert_error(survey(api, hid, deprivations=ELEVEN), 422, "invalid_fields")

    assert error["fields"]["deprivations"] == ["Missing indicators: information_access."]


@pytest.mark.parametrize("score", [-5, 10**12, 12.5, "120"])
def test_an_income_score_must_be_a_whole_number_the_database_holds(api, score) -> None:
    hid = api.register()["id"]
    body = {
        "surveyed_on": UNDER_DECREE_07,
        "income_score": score,
        "deprivations": POOR_SURVEY["deprivations"],
    }

    assert_error(
        api.post(f"/households/{hid}/assessments", body), 422, "invalid_fields", {"income_score"}
    )


@pytest.mark.parametrize("missing", ["surveyed_on", "deprivations"])
def test_a_survey_without_a_required_field_is_a_422(api, missing: str) -> None:
    hid = api.register()["id"]
    body = {"surveyed_on": UNDER_DECREE_07, **POOR_SURVEY}
    del body[missing]

    assert_error(api.post(f"/households/{hid}/assessments", body), 422, "invalid_fields", {missing})


def test_a_survey_body_that_is_not_json_is_a_400(app, api) -> None:
    hid = under_review(api)
    before = rows(app)

    response = api.post(
        f"/households/{hid}/assessments", data='{"surveyed_on": ', content_type="application/json"
    )

    assert_error(response, 400, "bad_request")
    assert rows(app) == before


@pytest.mark.parametrize("who", ["outsider", "chair2"])
def test_a_survey_outside_the_callers_units_is_not_found(app, api, who: str) -> None:
    hid = under_review(api)
    before = rows(app)

    assert_error(survey(api, hid, who), 404, "not_found")
    assert_error(api.get(f"/households/{hid}/assessments", who=who), 404, "not_found")
    assert rows(app) == before


def test_an_officer_may_read_surveys_but_not_record_them(app, api) -> None:
    hid = under_review(api)
    survey(api, hid)
    before = rows(app)

    assert_error(survey(api, hid, "officer"), 403, "forbidden")
    assert len(api.get(f"/households/{hid}/assessments", who="officer").json) == 1
    assert rows(app) == before


def test_a_survey_without_a_token_is_a_401(app, api) -> None:
    hid = under_review(api)
    before = rows(app)

    assert_error(survey(api, hid, None), 401, "unauthorized")
    assert rows(app) == before


def test_a_survey_of_an_unknown_household_is_not_found(api) -> None:
    assert_error(survey(api, 999999), 404, "not_found")


def test_a_survey_made_on_a_stale_version_is_refused_and_writes_nothing(api, app) -> None:
    """`version` is optional, as a transition's: given and no longer the household's, 409."""
    hid = under_review(api)
    version = api.get(f"/households/{hid}").json["version"]
    before = rows(app)

    stale = survey(api, hid, version=version - 1)

    assert_error(stale, 409, "stale_version")
    assert rows(app) == before
    assert survey(api, hid, version=version).status_code == 201
