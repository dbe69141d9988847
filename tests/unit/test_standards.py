"""Poverty standards: the shipped files, validation of standard data, and the one in force."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from caseflow.domain.errors import DomainError
from caseflow.domain.standards import (
    INDICATOR_KEYS,
    AreaLines,
    Standard,
    StandardError,
    ordered_standards,
    standard_from_dict,
    standard_in_force,
)
from caseflow.domain.standards_files import load_standards_dir

STANDARDS_DIR = Path(__file__).resolve().parents[2] / "workflows" / "standards"

VIETNAMESE_NAMES = {
    "employment": "Việc làm",
    "dependants": "Người phụ thuộc trong hộ gia đình",
    "nutrition": "Dinh dưỡng",
    "health_insurance": "Bảo hiểm y tế",
    "adult_education": "Trình độ giáo dục của người lớn",
    "child_schooling": "Tình trạng đi học của trẻ em",
    "housing_quality": "Chất lượng nhà ở",
    "housing_area": "Diện tích nhà ở bình quân đầu người",
    "water": "Nguồn nước sinh hoạt",
    "sanitation": "Nhà tiêu hợp vệ sinh",
    "telecom": "Sử dụng dịch vụ viễn thông",
    "information_access": "Phương tiện phục vụ tiếp cận thông tin",
}

_BASE: dict[str, Any] = {
    "code": "test",
    "name": "Chuẩn thử",
    "decree": "00/2026/NĐ-CP",
    "effective_from": "2022-01-01",
    "effective_to": "2026-12-31",
    "poor_min_deprivations": 3,
    "deprivation_points": 10,
    "areas": {
        "rural": {
            "income_line": 1_500_000,
            "middle_line": 2_250_000,
            "income_line_score": 140,
            "middle_line_score": 210,
        },
        "urban": {
            "income_line": 2_000_000,
            "middle_line": 3_000_000,
            "income_line_score": 175,
            "middle_line_score": 262,
        },
    },
    "dimensions": [
        {
            "key": "all",
            "name": {"vi": "Tất cả", "en": "All"},
            "indicators": [
                {
                    "key": key,
                    "name": {"vi": VIETNAMESE_NAMES[key], "en": key},
                    "deprived_when": {"vi": "thiếu", "en": "lacking"},
                }
                for key in INDICATOR_KEYS
            ],
        }
    ],
}


def valid_data() -> dict[str, Any]:
    return copy.deepcopy(_BASE)


def standard(code: str, start: date, end: date | None) -> Standard:
    data = valid_data() | {"code": code, "effective_from": start, "effective_to": end}
    return standard_from_dict(data, "test")


@pytest.fixture(scope="module")
def shipped() -> dict[str, Standard]:
    return {standard.code: standard for standard in load_standards_dir(STANDARDS_DIR)}


def test_shipped_standards_load_in_date_order() -> None:
    loaded = load_standards_dir(STANDARDS_DIR)
    assert [(s.code, s.effective_from, s.effective_to) for s in loaded] == [
        ("07/2021", date(2022, 1, 1), date(2026, 12, 31)),
        ("2027-2030", date(2027, 1, 1), date(2030, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("code", "area", "lines"),
    [
        ("07/2021", "rural", AreaLines(1_500_000, 2_250_000, 140, 210)),
        ("07/2021", "urban", AreaLines(2_000_000, 3_000_000, 175, 262)),
        ("2027-2030", "rural", AreaLines(2_200_000, 3_300_000, 205, 308)),
        ("2027-2030", "urban", AreaLines(2_800_000, 4_200_000, 245, 367)),
    ],
)
def test_shipped_lines_match_the_decrees(
    shipped: dict[str, Standard], code: str, area: str, lines: AreaLines
) -> None:
    assert shipped[code].areas[area] == lines


#: Decree 351/2025 drops the information device, adds domestic waste, rewords telecom
DECREE_351_KEYS = (*INDICATOR_KEYS[:10], "domestic_waste", "telecom")


@pytest.mark.parametrize(
    ("code", "decree", "keys"),
    [
        ("07/2021", "07/2021/NĐ-CP", INDICATOR_KEYS),
        ("2027-2030", "351/2025/NĐ-CP", DECREE_351_KEYS),
    ],
)
def test_each_shipped_standard_has_its_decree_and_its_own_indicators(
    shipped: dict[str, Standard], code: str, decree: str, keys: tuple[str, ...]
) -> None:
    loaded = shipped[code]
    assert (loaded.decree, loaded.indicator_keys) == (decree, keys)
    names = {i.key: i.name_vi for i in loaded.indicators}
    assert {k: v for k, v in names.items() if k in VIETNAMESE_NAMES and k != "telecom"} == {
        k: VIETNAMESE_NAMES[k] for k in keys if k in VIETNAMESE_NAMES and k != "telecom"
    }
    assert [d.key for d in loaded.dimensions] == [
        "employment",
        "health",
        "education",
        "housing",
        "water_sanitation",
        "information",
    ]
    assert (loaded.poor_min_deprivations, loaded.deprivation_points) == (3, 10)


def test_the_2027_standard_puts_domestic_waste_under_water_sanitation_and_environment(
    shipped: dict[str, Standard],
) -> None:
    loaded = shipped["2027-2030"]
    dimension = next(d for d in loaded.dimensions if d.key == "water_sanitation")
    assert dimension.name_vi == "Nước sinh hoạt, vệ sinh và môi trường"
    assert [i.key for i in dimension.indicators] == ["water", "sanitation", "domestic_waste"]
    assert loaded.indicator("telecom").name_vi == "Sử dụng dịch vụ viễn thông và dịch vụ số"
    assert loaded.is_unconfirmed("indicators.domestic_waste.name")
    assert loaded.is_unconfirmed("indicators.telecom.deprived_when")


@pytest.mark.parametrize(
    ("code", "path", "unconfirmed"),
    [
        ("07/2021", "areas.rural.income_line", False),
        ("07/2021", "areas.urban.income_line_score", False),
        ("07/2021", "areas.urban.middle_line_score", True),
        ("07/2021", "indicators.water.deprived_when", True),
        ("2027-2030", "areas.rural.income_line", False),
        ("2027-2030", "areas.rural.middle_line", True),
        ("2027-2030", "areas.urban.middle_line", True),
        ("2027-2030", "areas.urban.income_line_score", True),
    ],
)
def test_estimated_values_are_marked_unconfirmed(
    shipped: dict[str, Standard], code: str, path: str, unconfirmed: bool
) -> None:
    assert (path in shipped[code].unconfirmed) is unconfirmed


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2022, 1, 1), "07/2021"),
        (date(2026, 12, 31), "07/2021"),
        (date(2027, 1, 1), "2027-2030"),
        (date(2030, 12, 31), "2027-2030"),
    ],
)
def test_standard_in_force_covers_its_first_and_last_day(
    shipped: dict[str, Standard], on: date, expected: str
) -> None:
    assert standard_in_force(list(shipped.values()), on).code == expected


@pytest.mark.parametrize("on", [date(2021, 12, 31), date(2031, 1, 1)])
def test_no_standard_in_force_outside_the_periods(shipped: dict[str, Standard], on: date) -> None:
    with pytest.raises(StandardError, match=on.isoformat()):
        standard_in_force(list(shipped.values()), on)


def test_open_ended_standard_stays_in_force() -> None:
    assert standard_in_force([standard("open", date(2022, 1, 1), None)], date(2099, 1, 1))


def test_a_standard_names_its_own_indicators() -> None:
    data = valid_data()
    _drop_indicator(data)
    built = standard_from_dict(data, "test.yaml")
    assert built.indicator_keys == INDICATOR_KEYS[:-1]


def test_valid_dict_builds_a_standard_with_parsed_dates() -> None:
    built = standard_from_dict(valid_data(), "test.yaml")
    assert (built.effective_from, built.effective_to) == (date(2022, 1, 1), date(2026, 12, 31))
    assert built.indicator("water").dimension == "all"
    assert built.unconfirmed == ()


def _without(*path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return mutate


def _setting(value: Any, *path: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop_indicator(data: dict[str, Any]) -> None:
    data["dimensions"][0]["indicators"].pop()


def _rename_indicator(data: dict[str, Any]) -> None:
    data["dimensions"][0]["indicators"][0]["key"] = "Jobs!"


INDICATORS = ("dimensions", 0, "indicators")


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_without("areas", "urban"), "area 'urban' is missing"),
        (_setting({"income_line": 1}, "areas", "mountain"), "unknown area: mountain"),
        (_rename_indicator, "indicator keys are lower-case words joined by _: Jobs!"),
        (_without("decree"), "decree is missing"),
        (_setting("water", *INDICATORS, 1, "key"), "indicator key repeated: water"),
        (_setting(0, "areas", "rural", "income_line"), "rural.income_line must be a positive"),
        (_setting(-1, "areas", "urban", "middle_line"), "urban.middle_line must be a positive"),
        (_setting("1500000", "areas", "rural", "income_line"), "must be a positive whole"),
        (_setting(1_500_000, "areas", "rural", "middle_line"), "middle_line must be above"),
        (_setting(100, "areas", "rural", "middle_line_score"), "middle_line_score must be above"),
        (_setting("2021-12-31", "effective_to"), "effective_to is before effective_from"),
        (_setting("1 Jan 2022", "effective_from"), "effective_from must be a date"),
        (_without("effective_from"), "effective_from is missing"),
        (_without("code"), "code is missing"),
        (_setting(2027, "code"), "code must be non-empty text"),
        (_setting(0, "poor_min_deprivations"), "poor_min_deprivations must be a positive"),
        (_setting(13, "poor_min_deprivations"), "more than the 12 indicators"),
        (_setting([], "dimensions"), "dimensions must be a non-empty list"),
        (_without(*INDICATORS, 0, "name"), "indicators.employment.name is missing"),
        (_without(*INDICATORS, 0, "deprived_when", "vi"), "deprived_when.vi is missing"),
        (_setting(["colour"], "areas", "rural", "unconfirmed"), "'colour', which is not a field"),
    ],
)
def test_invalid_standard_is_refused_naming_source_and_problem(
    mutate: Callable[[dict[str, Any]], None], problem: str
) -> None:
    data = valid_data()
    mutate(data)
    with pytest.raises(StandardError) as raised:
        standard_from_dict(data, "bad.yaml")
    assert raised.value.source == "bad.yaml"
    assert str(raised.value).startswith("bad.yaml: ")
    assert problem in str(raised.value)


def test_standard_error_is_a_user_safe_domain_error() -> None:
    with pytest.raises(DomainError) as raised:
        standard_from_dict(["not", "a", "mapping"], "list.yaml")  # type: ignore[arg-type]
    assert (raised.value.code, raised.value.status) == ("invalid_standard", 422)
    assert raised.value.message == "list.yaml: the standard must be a mapping"


@pytest.mark.parametrize(
    ("periods", "problem"),
    [
        ([("a", date(2022, 1, 1), date(2026, 12, 31)), ("b", date(2026, 12, 31), None)], "overlap"),
        ([("a", date(2022, 1, 1), None), ("b", date(2027, 1, 1), None)], "a and b overlap"),
        ([("a", date(2022, 1, 1), date(2022, 12, 31)), ("a", date(2023, 1, 1), None)], "repeated"),
    ],
)
def test_standards_must_not_overlap_or_repeat_codes(
    periods: list[tuple[str, date, date | None]], problem: str
) -> None:
    with pytest.raises(StandardError, match=problem):
        ordered_standards([standard(*period) for period in periods], "standards dir")


def test_adjacent_periods_are_ordered_by_start() -> None:
    later = standard("later", date(2027, 1, 1), None)
    earlier = standard("earlier", date(2022, 1, 1), date(2026, 12, 31))
    assert ordered_standards([later, earlier], "dir") == [earlier, later]


def test_loading_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StandardError, match="no poverty standard files"):
        load_standards_dir(tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("code: [unclosed\n", "not valid YAML"),
        ("code: '07/2021'\n", "effective_from is missing"),
        ("", "the standard must be a mapping"),
    ],
)
def test_bad_file_is_refused_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(StandardError, match=problem) as raised:
        load_standards_dir(tmp_path)
    assert raised.value.source.endswith("broken.yaml")


def test_overlapping_files_are_refused(tmp_path: Path) -> None:
    for name in ("decree_07_2021.yaml", "decree_351_2025.yaml"):
        text = (STANDARDS_DIR / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("2027-01-01", "2026-06-01"), encoding="utf-8")
    with pytest.raises(StandardError, match="07/2021 and 2027-2030 overlap"):
        load_standards_dir(tmp_path)
