"""Classifying households under Decree 07/2021 and the 2027-2030 lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseflow.domain.classification import (
    BETTER_OFF,
    MIDDLE,
    NEAR_POOR,
    POOR,
    Classification,
    ClassificationError,
    classify,
    explain,
)
from caseflow.domain.standards import INDICATOR_KEYS, Standard, standard_in_force
from caseflow.domain.standards_files import load_standards_dir

STANDARDS_DIR = Path(__file__).resolve().parents[2] / "workflows" / "standards"
TWO = ("employment", "water")
THREE = ("employment", "health_insurance", "water")


@pytest.fixture(scope="module")
def standards() -> list[Standard]:
    return load_standards_dir(STANDARDS_DIR)


@pytest.fixture(scope="module")
def decree_07(standards: list[Standard]) -> Standard:
    return standard_in_force(standards, date(2024, 6, 1))


def deprivations(*deprived: str, standard: Standard | None = None) -> dict[str, bool]:
    keys = standard.indicator_keys if standard is not None else INDICATOR_KEYS
    return {key: key in deprived for key in keys}


@pytest.mark.parametrize(
    ("area", "income", "deprived", "expected"),
    [
        ("rural", 0, THREE, POOR),
        ("rural", 1_500_000, THREE, POOR),
        ("rural", 1_500_000, TWO, NEAR_POOR),
        ("rural", 1_500_000, (), NEAR_POOR),
        ("rural", 1_500_001, THREE, MIDDLE),
        ("rural", 1_500_001, INDICATOR_KEYS, MIDDLE),
        ("rural", 2_250_000, TWO, MIDDLE),
        ("rural", 2_250_001, THREE, BETTER_OFF),
        ("urban", 1_500_001, THREE, POOR),
        ("urban", 2_000_000, THREE, POOR),
        ("urban", 2_000_000, TWO, NEAR_POOR),
        ("urban", 2_000_001, THREE, MIDDLE),
        ("urban", 3_000_000, THREE, MIDDLE),
        ("urban", 3_000_001, (), BETTER_OFF),
    ],
)
def test_decree_07_classes_by_income_line_then_deprivations(
    decree_07: Standard, area: str, income: int, deprived: tuple[str, ...], expected: str
) -> None:
    result = classify(decree_07, area, deprivations(*deprived), income_vnd=income)
    assert result.classification == expected


@pytest.mark.parametrize("deprived", [THREE, INDICATOR_KEYS])
def test_household_above_the_line_is_never_poor_whatever_its_deprivations(
    decree_07: Standard, deprived: tuple[str, ...]
) -> None:
    result = classify(decree_07, "rural", deprivations(*deprived), income_vnd=1_500_001)
    assert result.classification not in (POOR, NEAR_POOR)


@pytest.mark.parametrize(
    ("area", "score", "deprived", "expected"),
    [
        ("rural", 140, THREE, POOR),
        ("rural", 140, TWO, NEAR_POOR),
        ("rural", 141, THREE, MIDDLE),
        ("rural", 210, THREE, MIDDLE),
        ("rural", 211, THREE, BETTER_OFF),
        ("urban", 175, THREE, POOR),
        ("urban", 175, TWO, NEAR_POOR),
        ("urban", 176, THREE, MIDDLE),
        ("urban", 262, THREE, MIDDLE),
        ("urban", 263, THREE, BETTER_OFF),
    ],
)
def test_income_score_is_compared_with_the_score_lines(
    decree_07: Standard, area: str, score: int, deprived: tuple[str, ...], expected: str
) -> None:
    result = classify(decree_07, area, deprivations(*deprived), income_score=score)
    assert (result.classification, result.income_basis) == (expected, "score")


@pytest.mark.parametrize(
    ("survey_date", "area", "income", "expected_code", "expected"),
    [
        (date(2026, 12, 31), "rural", 2_000_000, "07/2021", MIDDLE),
        (date(2027, 1, 1), "rural", 2_000_000, "2027-2030", POOR),
        (date(2027, 1, 1), "rural", 2_200_000, "2027-2030", POOR),
        (date(2027, 1, 1), "rural", 2_200_001, "2027-2030", MIDDLE),
        (date(2026, 12, 31), "urban", 2_500_000, "07/2021", MIDDLE),
        (date(2027, 1, 1), "urban", 2_800_000, "2027-2030", POOR),
        (date(2027, 1, 1), "urban", 2_800_001, "2027-2030", MIDDLE),
    ],
)
def test_survey_is_classified_under_the_standard_in_force_on_its_date(
    standards: list[Standard],
    survey_date: date,
    area: str,
    income: int,
    expected_code: str,
    expected: str,
) -> None:
    standard = standard_in_force(standards, survey_date)
    result = classify(standard, area, deprivations(*THREE, standard=standard), income_vnd=income)
    assert (result.standard_code, result.classification) == (expected_code, expected)


def test_result_lists_deprived_indicators_in_standard_order(decree_07: Standard) -> None:
    given = deprivations("water", "employment", "health_insurance")
    result = classify(decree_07, "urban", given, income_vnd=1_000_000)
    assert result == Classification(
        classification=POOR,
        deprivation_count=3,
        deprived=("employment", "health_insurance", "water"),
        income_line=2_000_000,
        income_basis="vnd",
        income=1_000_000,
        standard_code="07/2021",
        area="urban",
        middle_line=3_000_000,
    )


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        (
            {k: False for k in INDICATOR_KEYS[:-1]},
            "deprivations",
            "Missing indicators: information_access.",
        ),
        (
            {**deprivations(), "television": True},
            "deprivations",
            "Indicators the standard 07/2021 does not have: television.",
        ),
        ({**deprivations(), "water": "yes"}, "deprivations", "Not true or false: water."),
        ({**deprivations(), "water": 1}, "deprivations", "Not true or false: water."),
    ],
)
def test_deprivations_must_name_exactly_the_standards_indicators_as_booleans(
    decree_07: Standard, given: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ClassificationError) as raised:
        classify(decree_07, "rural", given, income_vnd=1_000_000)  # type: ignore[arg-type]
    assert raised.value.fields[field] == [message]
    assert raised.value.code == "invalid_assessment"
    assert raised.value.status == 422


@pytest.mark.parametrize(
    ("income", "field", "message"),
    [
        ({"income_vnd": -1}, "income_vnd", "Must not be negative."),
        ({"income_score": -1}, "income_score", "Must not be negative."),
        ({"income_vnd": 1.5}, "income_vnd", "Give a whole number."),
        ({"income_vnd": True}, "income_vnd", "Give a whole number."),
        ({}, "income_vnd", "Give the income in VND per person per month or as a score"),
        ({"income_vnd": 1, "income_score": 1}, "income_score", "Give the income in VND"),
    ],
)
def test_exactly_one_non_negative_whole_income_is_required(
    decree_07: Standard, income: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ClassificationError) as raised:
        classify(decree_07, "rural", deprivations(), **income)  # type: ignore[arg-type]
    assert raised.value.fields[field][0].startswith(message)


def test_unknown_area_is_refused(decree_07: Standard) -> None:
    with pytest.raises(ClassificationError) as raised:
        classify(decree_07, "mountain", deprivations(), income_vnd=1)
    assert "mountain" in raised.value.fields["area"][0]


def test_every_problem_is_reported_at_once(decree_07: Standard) -> None:
    with pytest.raises(ClassificationError) as raised:
        classify(decree_07, "rural", {"water": True}, income_vnd=-5)
    assert set(raised.value.fields) == {"income_vnd", "deprivations"}


def test_explain_states_line_deprivations_and_class_in_english(decree_07: Standard) -> None:
    result = classify(decree_07, "rural", deprivations(*THREE), income_vnd=1_200_000)
    assert str(explain(result, decree_07)) == (
        "Income 1,200,000 VND per person per month is at or below the rural line of "
        "1,500,000 VND; deprived in 3 of 12 indicators (Employment, Health insurance, "
        "Domestic water), 3 or more: poor under standard 07/2021."
    )


@pytest.mark.parametrize(
    ("income", "fragments"),
    [
        ({"income_vnd": 1_500_000}, ("1,500,000 VND", "2 of 12", "fewer than 3", "near-poor")),
        ({"income_vnd": 2_000_000}, ("above the rural line of 1,500,000 VND", "middle")),
        ({"income_vnd": 2_250_001}, ("middle line of 2,250,000 VND", "not poor")),
        ({"income_score": 140}, ("140 points", "rural line", "Employment, Domestic water")),
    ],
)
def test_explain_uses_the_unit_line_and_class_of_the_result(
    decree_07: Standard, income: dict[str, int], fragments: tuple[str, ...]
) -> None:
    result = classify(decree_07, "rural", deprivations(*TWO), **income)
    text = str(explain(result, decree_07))
    for fragment in fragments:
        assert fragment in text


def test_explain_names_the_standards_own_indicators(standards: list[Standard]) -> None:
    decree_351 = standard_in_force(standards, date(2027, 3, 1))
    given = deprivations("employment", "domestic_waste", "water", standard=decree_351)
    result = classify(decree_351, "rural", given, income_vnd=2_000_000)
    text = str(explain(result, decree_351))
    assert "deprived in 3 of 12 indicators (Employment, Domestic water, Domestic waste)" in text
    assert text.endswith("poor under standard 2027-2030.")
