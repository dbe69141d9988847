"""GET /api/v1/standards: each standard with its decree, dates, lines and its own indicators."""

from __future__ import annotations


def test_the_standards_are_listed_with_their_decrees_lines_and_indicators(api) -> None:
    listed = {s["code"]: s for s in api.get("/standards").json}

    old, new = listed["07/2021"], listed["2027-2030"]
    assert (old["decree"], old["effective_from"], old["effective_to"]) == (
        "07/2021/NĐ-CP",
        "2022-01-01",
        "2026-12-31",
    )
    assert (new["decree"], new["effective_from"]) == ("351/2025/NĐ-CP", "2027-01-01")
    assert old["income_lines"] == {"rural": 1_500_000, "urban": 2_000_000}
    assert new["income_lines"] == {"rural": 2_200_000, "urban": 2_800_000}
    old_keys = [i["key"] for i in old["indicators"]]
    new_keys = [i["key"] for i in new["indicators"]]
    assert "information_access" in old_keys and "information_access" not in new_keys
    assert "domestic_waste" in new_keys and "domestic_waste" not in old_keys
    waste = next(i for i in new["indicators"] if i["key"] == "domestic_waste")
    assert (waste["dimension"], waste["label"]) == ("water_sanitation", "Domestic waste")
    assert {"areas.rural.middle_line", "indicators.domestic_waste.name"} <= set(new["unconfirmed"])


def test_the_standards_speak_the_callers_language(api) -> None:
    api.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    response = api.get("/standards")

    new = next(s for s in response.json if s["code"] == "2027-2030")
    water = next(d for d in new["dimensions"] if d["key"] == "water_sanitation")
    assert water["label"] == "Nước sinh hoạt, vệ sinh và môi trường"
