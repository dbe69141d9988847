"""Households surveyed under 07/2021 for the what-if's tests, counted by hand under 2027-2030."""

from __future__ import annotations

from tests.factories import Api, deprived

NEW = "2027-2030"


def surveyed(api: Api, who: str = "worker", unit_code: str = "C1-V1", **survey) -> int:
    """A household registered, under review and surveyed (under 07/2021, 20 days ago)."""
    hid = api.register(who, unit_code=unit_code)["id"]
    assert api.fire(hid, "start_review", who).status_code == 200
    response = api.survey(hid, who, **survey)
    assert response.status_code == 201, response.json
    return hid


def four_households(api: Api) -> dict[str, int]:
    """Three surveyed households of C1, and one of C2."""
    return {
        # 1,200,000 and three deprivations: poor under both standards
        "poor": surveyed(
            api,
            income_per_capita_month=1_200_000,
            deprivations=deprived("employment", "health_insurance", "water"),
        ),
        # 1,800,000 and two: middle now; under 2,200,000 near-poor, or poor if waste is deprived
        "uncertain": surveyed(
            api, income_per_capita_month=1_800_000, deprivations=deprived("water", "sanitation")
        ),
        # 2,500,000: better off now, in the middle band of 2027 (2,200,000 to 3,300,000)
        "better_off": surveyed(api, income_per_capita_month=2_500_000, deprivations=deprived()),
        "other_commune": surveyed(
            api, "outsider", "C2", income_per_capita_month=1_800_000, deprivations=deprived("water")
        ),
    }
