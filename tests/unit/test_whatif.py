"""What-if: old surveys classified under the 2027-2030 standard, a range where an indicator is
unknown (counted once not deprived, once deprived), against hand-counted tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from caseflow.domain.classification import BETTER_OFF, MIDDLE, NEAR_POOR, POOR, classify
from caseflow.domain.standards import INDICATOR_KEYS, standard_in_force
from caseflow.domain.standards_files import load_standards_dir
from caseflow.domain.whatif import Survey, Tally, fingerprint, reclassify

STANDARDS = load_standards_dir(Path(__file__).resolve().parents[2] / "workflows" / "standards")
DECREE_07 = standard_in_force(STANDARDS, date(2024, 6, 1))
DECREE_351 = standard_in_force(STANDARDS, date(2027, 6, 1))


def old(*deprived: str) -> dict[str, bool]:
    """A 07/2021 survey's twelve indicators: no domestic_waste, but information_access."""
    return {key: key in deprived for key in INDICATOR_KEYS}


def new(*deprived: str) -> dict[str, bool]:
    """A 2027-2030 survey's indicators: domestic_waste, no information_access."""
    return {key: key in deprived for key in DECREE_351.indicator_keys}


THREE = ("employment", "health_insurance", "water")
TWO = ("water", "sanitation")

# (name, current class, area, income VND, income score, deprivations,
#  class with unknowns not deprived, with unknowns deprived, unknown keys)
TO_2027 = [
    ("poor stays poor", POOR, "rural", 1_200_000, None, old(*THREE), POOR, POOR, True),
    (
        "middle under the new line",
        MIDDLE,
        "rural",
        1_800_000,
        None,
        old("water"),
        NEAR_POOR,
        NEAR_POOR,
        True,
    ),
    (
        "two deprivations and waste unknown",
        MIDDLE,
        "rural",
        1_800_000,
        None,
        old(*TWO),
        NEAR_POOR,
        POOR,
        True,
    ),
    (
        "information_access no longer counts",
        POOR,
        "rural",
        1_400_000,
        None,
        old("water", "sanitation", "information_access"),
        NEAR_POOR,
        POOR,
        True,
    ),
    (
        "urban middle under the urban line",
        MIDDLE,
        "urban",
        2_500_000,
        None,
        old(),
        NEAR_POOR,
        NEAR_POOR,
        True,
    ),
    (
        "better off stays",
        BETTER_OFF,
        "rural",
        3_500_000,
        None,
        old(*THREE),
        BETTER_OFF,
        BETTER_OFF,
        True,
    ),
    (
        "better off into the middle band",
        BETTER_OFF,
        "rural",
        2_500_000,
        None,
        old(),
        MIDDLE,
        MIDDLE,
        True,
    ),
    ("score under the new score line", MIDDLE, "rural", None, 150, old(*THREE), POOR, POOR, True),
    (
        "a survey with every key: no range",
        NEAR_POOR,
        "rural",
        1_400_000,
        None,
        new("water", "domestic_waste"),
        NEAR_POOR,
        NEAR_POOR,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "current", "area", "vnd", "score", "deprivations", "low", "high", "lacks_waste"),
    TO_2027,
    ids=[row[0] for row in TO_2027],
)
def test_reclassify_under_2027(
    name, current, area, vnd, score, deprivations, low, high, lacks_waste
):
    survey = Survey(1, current, area, deprivations, vnd, score)
    result = reclassify(survey, DECREE_351)
    assert (result.low, result.high) == (low, high)
    assert result.unknown == (("domestic_waste",) if lacks_waste else ())
    assert result.certain == (low == high)
    assert result.changes == (low != current or high != current)


def test_a_new_survey_under_the_old_standard_lacks_information_access():
    # deprived in water, sanitation and domestic_waste: poor in 2027; under 07/2021 the waste
    # indicator does not count and information_access is unknown, so poor or near-poor
    survey = Survey(1, POOR, "rural", new("water", "sanitation", "domestic_waste"), 1_400_000, None)
    result = reclassify(survey, DECREE_07)
    assert (result.low, result.high, result.unknown) == (NEAR_POOR, POOR, ("information_access",))
    assert result.changes and not result.certain


def test_tally_counts_classes_as_ranges():
    tally = Tally()
    for _, current, area, vnd, score, deprivations, *_ in TO_2027:
        tally.add(reclassify(Survey(1, current, area, deprivations, vnd, score), DECREE_351))
    # by hand, from the table: lows P N N N N B M P N, highs P N P P N B M P N
    assert tally.households == 9
    assert tally.current == {POOR: 2, NEAR_POOR: 1, MIDDLE: 4, BETTER_OFF: 2}
    assert tally.under() == {
        POOR: {"min": 2, "max": 4},
        NEAR_POOR: {"min": 3, "max": 5},
        MIDDLE: {"min": 1, "max": 1},
        BETTER_OFF: {"min": 1, "max": 1},
    }
    assert tally.uncertain == 2
    # changes: middle->near-poor, middle->near/poor, poor->near/poor, urban middle->near-poor,
    # better off->middle, score middle->poor
    assert tally.changed == 6
    assert tally.unknown == {"domestic_waste": 8}


def test_tally_of_nothing_is_zero_everywhere():
    tally = Tally()
    assert tally.households == 0
    assert all(span == {"min": 0, "max": 0} for span in tally.under().values())


@pytest.mark.parametrize("area", ["rural", "urban"])
@pytest.mark.parametrize(
    "income", [0, 1_500_000, 2_200_000, 2_200_001, 2_800_000, 3_300_000, 4_200_001]
)
@pytest.mark.parametrize("count", [0, 2, 3, 11])
def test_the_range_ends_are_what_classify_says_of_full_surveys(area, income, count) -> None:
    keys = [k for k in INDICATOR_KEYS if k in DECREE_351.indicator_keys][:count]
    result = reclassify(Survey(1, POOR, area, old(*keys), income, None), DECREE_351)
    for end, waste in ((result.low, False), (result.high, True)):
        full = {**{k: k in keys for k in DECREE_351.indicator_keys}, "domestic_waste": waste}
        assert end == classify(DECREE_351, area, full, income_vnd=income).classification


def test_a_group_counts_as_that_many_households_added_one_by_one():
    results = [
        reclassify(Survey(1, current, area, deprivations, vnd, score), DECREE_351)
        for _, current, area, vnd, score, deprivations, *_ in TO_2027
    ]
    one_by_one, grouped = Tally(), Tally()
    for result in results:
        for _ in range(3):
            one_by_one.add(result)
        grouped.add(result, times=3)
    assert grouped == one_by_one
    assert grouped.households == 27


def test_the_fingerprint_is_stable_across_loads():
    again = load_standards_dir(Path(__file__).resolve().parents[2] / "workflows" / "standards")
    assert [fingerprint(s) for s in again] == [fingerprint(s) for s in STANDARDS]
    assert fingerprint(DECREE_07) != fingerprint(DECREE_351)
    assert len(fingerprint(DECREE_351)) == 16


def _rural(standard, **lines):
    return {**standard.areas, "rural": replace(standard.areas["rural"], **lines)}


# each a change of what reclassifying reads: the stored classes no longer hold
CHANGED = {
    "code": lambda s: replace(s, code="2027-2030b"),
    "income line": lambda s: replace(s, areas=_rural(s, income_line=2_300_000)),
    "middle line": lambda s: replace(s, areas=_rural(s, middle_line=3_400_000)),
    "score line": lambda s: replace(s, areas=_rural(s, income_line_score=210)),
    "middle score line": lambda s: replace(s, areas=_rural(s, middle_line_score=310)),
    "poor threshold": lambda s: replace(s, poor_min_deprivations=4),
    "an indicator fewer": lambda s: replace(
        s,
        dimensions=(replace(s.dimensions[0], indicators=s.dimensions[0].indicators[1:]),)
        + s.dimensions[1:],
    ),
    "indicators reordered": lambda s: replace(s, dimensions=s.dimensions[::-1]),
}


@pytest.mark.parametrize("change", CHANGED.values(), ids=CHANGED.keys())
def test_the_fingerprint_changes_with_what_reclassifying_reads(change):
    assert fingerprint(change(DECREE_351)) != fingerprint(DECREE_351)


def test_the_fingerprint_ignores_the_names_and_dates():
    renamed = replace(DECREE_351, name="another name", effective_to=date(2031, 12, 31))
    assert fingerprint(renamed) == fingerprint(DECREE_351)
