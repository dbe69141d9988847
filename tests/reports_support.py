"""A hand-counted history for the reports' tests: households moved on known dates.

D1: A, B and C registered in C1 (village C1-V1), X in C2.
D2: A surveyed poor (employment, health insurance, water), B near-poor (water); both posted.
D3: A recognised poor, B recognised near-poor (the chair approves).
D4: A's support plan (preferential credit: employment) approved.
D5: A reviewed again, surveyed above the line, posted.
D6: A's exit from poverty recognised (the chair approves): A is in follow-up, on no list.
D7: A relapses (back under review, still on no list).
"""

from __future__ import annotations

from datetime import date

from caseflow import clock
from tests.factories import ABOVE_LINE_SURVEY, Api, at, deprived

D1, D2, D3, D4 = date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 20), date(2025, 3, 25)
D5, D6, D7 = date(2025, 4, 14), date(2025, 4, 21), date(2025, 5, 5)
NEAR_POOR_SURVEY = {"income_per_capita_month": 1_200_000, "deprivations": deprived("water")}


def approve(api: Api, response) -> None:
    assert response.status_code == 202, response.json
    approval = response.json["approval"]["id"]
    assert api.post(f"/approvals/{approval}/approve", {}, who="chair").status_code == 200


def known_history(api: Api) -> dict[str, int]:
    """Build the history above; return the households' ids by letter."""
    with clock.frozen_at(at(D1)):
        ids = {k: api.register(head_name=f"Hộ {k}")["id"] for k in "ABC"}
        ids["X"] = api.register("outsider", head_name="Hộ X", unit_code="C2")["id"]
    with clock.frozen_at(at(D2)):
        for letter, survey in (("A", {}), ("B", NEAR_POOR_SURVEY)):
            assert api.fire(ids[letter], "start_review").status_code == 200
            assert api.survey(ids[letter], **survey).status_code == 201
            assert api.fire(ids[letter], "agree", agreement_pct=90).status_code == 200
    with clock.frozen_at(at(D3)):
        approve(api, api.fire(ids["A"], "recognise"))
        approve(api, api.fire(ids["B"], "recognise"))
    with clock.frozen_at(at(D4)):
        proposed = api.post(f"/households/{ids['A']}/supports", {"program": "preferential_credit"})
        assert proposed.status_code == 201, proposed.json
        approve(api, api.fire(ids["A"], "assign_support"))
    with clock.frozen_at(at(D5)):
        day = D5.isoformat()
        assert api.fire(ids["A"], "start_review", started_on=day).status_code == 200
        assert api.survey(ids["A"], surveyed_on=day, **ABOVE_LINE_SURVEY).status_code == 201
        agreed = api.fire(ids["A"], "agree", agreement_pct=90, meeting_on=day, posted_on=day)
        assert agreed.status_code == 200, agreed.json
    with clock.frozen_at(at(D6)):
        approve(api, api.fire(ids["A"], "exit"))
    with clock.frozen_at(at(D7)):
        relapsed = api.fire(ids["A"], "relapse", reason="Mất việc", started_on=D7.isoformat())
        assert relapsed.status_code == 200, relapsed.json
    return ids


def report(api: Api, kind: str, who: str = "officer", **query) -> dict:
    response = api.get(f"/reports/{kind}", who, query_string=query)
    assert response.status_code == 200, response.json
    return response.json
