"""Poverty standards as data: income lines, dimensions, indicators, and which one is in force."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, NoReturn

from caseflow.domain.errors import DomainError

#: The twelve deprivation indicators of Decree 07/2021 (2022-2026), in its order; their keys are
#: API contract. Each standard names its own set (Decree 351/2025 has another).
INDICATOR_KEYS: tuple[str, ...] = (
    "employment",
    "dependants",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water",
    "sanitation",
    "telecom",
    "information_access",
)

#: A commune is rural; a ward or township is urban. Each standard sets lines for both.
AREA_KEYS: tuple[str, ...] = ("rural", "urban")

_KEY = re.compile(r"[a-z][a-z_]{0,39}")
_LINE_FIELDS = ("income_line", "middle_line", "income_line_score", "middle_line_score")


class StandardError(DomainError):
    """A poverty standard is wrong or missing; the message names the source and the problem."""

    code = "invalid_standard"
    status = 422

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    name_vi: str
    name_en: str
    deprived_when_vi: str = ""
    deprived_when_en: str = ""

    def name(self, lang: str = "vi") -> str:
        """Return the indicator's name in ``lang`` ('vi' or 'en')."""
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class Dimension:
    key: str
    name_vi: str
    name_en: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class AreaLines:
    """Income lines of one area, in VND per person per month and in survey points."""

    income_line: int
    middle_line: int
    income_line_score: int
    middle_line_score: int


@dataclass(frozen=True)
class Standard:
    code: str
    name: str
    #: the decree that sets it, e.g. "351/2025/NĐ-CP"
    decree: str
    effective_from: date
    effective_to: date | None
    poor_min_deprivations: int
    deprivation_points: int
    areas: dict[str, AreaLines]
    dimensions: tuple[Dimension, ...]
    #: Dotted paths of values that are estimates, e.g. "areas.rural.middle_line".
    unconfirmed: tuple[str, ...] = ()

    # worked out once per standard (it is frozen): every survey classified asks for them
    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for dim in self.dimensions for ind in dim.indicators)

    @cached_property
    def indicator_keys(self) -> tuple[str, ...]:
        return tuple(ind.key for ind in self.indicators)

    def indicator(self, key: str) -> Indicator:
        """Return the indicator named ``key``; raise KeyError if the standard has none."""
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    def is_unconfirmed(self, path: str) -> bool:
        """Tell whether the value at `path` ("areas.rural.middle_line") is an estimate."""
        return path in self.unconfirmed or any(
            path.startswith(f"{marked}.") for marked in self.unconfirmed
        )

    def covers(self, on: date) -> bool:
        """Tell whether this standard is in force on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def standard_in_force(standards: Sequence[Standard], on: date) -> Standard:
    """Return the one standard in force on ``on``; raise StandardError if none or several are."""
    covering = [standard for standard in standards if standard.covers(on)]
    if not covering:
        raise StandardError("poverty standards", f"no standard is in force on {on.isoformat()}")
    if len(covering) > 1:
        codes = ", ".join(standard.code for standard in covering)
        raise StandardError("poverty standards", f"{codes} are all in force on {on.isoformat()}")
    return covering[0]


def ordered_standards(standards: Sequence[Standard], source: str) -> list[Standard]:
    """Sort standards by start date; raise StandardError if codes repeat or periods overlap."""
    ordered = sorted(standards, key=lambda standard: standard.effective_from)
    codes = [standard.code for standard in ordered]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise StandardError(source, f"standard code repeated: {', '.join(repeated)}")
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise StandardError(
                source, f"standards {earlier.code} and {later.code} overlap in time"
            )
    return ordered


def standard_from_dict(data: Mapping[str, Any], source: str) -> Standard:
    """Build a Standard from parsed data; raise StandardError naming ``source`` and the problem."""
    reader = _Reader(source)
    data = reader.mapping(data, "the standard")
    effective_from = reader.date_field(data, "effective_from")
    effective_to = reader.date_field(data, "effective_to") if data.get("effective_to") else None
    if effective_to is not None and effective_to < effective_from:
        reader.fail("effective_to is before effective_from")
    reader.note_unconfirmed(data, "")
    dimensions = reader.dimensions(data)
    poor_min = reader.positive_int(data, "poor_min_deprivations", "poor_min_deprivations")
    count = sum(len(d.indicators) for d in dimensions)
    if poor_min > count:
        reader.fail(f"poor_min_deprivations is more than the {count} indicators")
    return Standard(
        code=reader.text(data, "code", "code"),
        name=reader.text(data, "name", "name"),
        decree=reader.text(data, "decree", "decree"),
        effective_from=effective_from,
        effective_to=effective_to,
        poor_min_deprivations=poor_min,
        deprivation_points=reader.positive_int(data, "deprivation_points", "deprivation_points"),
        areas=reader.areas(data),
        dimensions=dimensions,
        unconfirmed=tuple(reader.unconfirmed),
    )


class _Reader:
    """Read one standard's parsed data, naming the source and the field in every error."""

    def __init__(self, source: str):
        self.source = source
        self.unconfirmed: list[str] = []

    def fail(self, problem: str) -> NoReturn:
        raise StandardError(self.source, problem)

    def field(self, data: Mapping[str, Any], key: str, where: str) -> Any:
        if data.get(key) is None:
            self.fail(f"{where} is missing")
        return data[key]

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(f"{where} must be a mapping")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = self.field(data, key, where)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where} must be non-empty text")
        return value

    def positive_int(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = self.field(data, key, where)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(f"{where} must be a positive whole number, not {value!r}")
        return value

    def date_field(self, data: Mapping[str, Any], key: str) -> date:
        value = self.field(data, key, key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                self.fail(f"{key} must be a date (YYYY-MM-DD), not {value!r}")
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(f"{key} must be a date (YYYY-MM-DD), not {value!r}")
        return value

    def names(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, str]:
        where = f"{where}.{key}"
        names = self.mapping(self.field(data, key, where), where)
        return self.text(names, "vi", f"{where}.vi"), self.text(names, "en", f"{where}.en")

    def note_unconfirmed(self, data: Mapping[str, Any], prefix: str) -> None:
        listed = data.get("unconfirmed") or []
        if not isinstance(listed, list):
            self.fail(f"{prefix}unconfirmed must be a list of field names")
        for name in listed:
            if not isinstance(name, str) or name == "unconfirmed" or name not in data:
                self.fail(f"{prefix}unconfirmed names {name!r}, which is not a field there")
            self.unconfirmed.append(f"{prefix}{name}")

    def areas(self, data: Mapping[str, Any]) -> dict[str, AreaLines]:
        areas = self.mapping(self.field(data, "areas", "areas"), "areas")
        unknown = sorted(str(key) for key in areas if key not in AREA_KEYS)
        if unknown:
            self.fail(f"unknown area: {', '.join(unknown)}; expected {', '.join(AREA_KEYS)}")
        return {key: self.area_lines(areas, key) for key in AREA_KEYS}

    def area_lines(self, areas: Mapping[str, Any], key: str) -> AreaLines:
        where = f"areas.{key}"
        area = self.mapping(self.field(areas, key, f"area {key!r}"), where)
        lines = AreaLines(*(self.positive_int(area, f, f"{where}.{f}") for f in _LINE_FIELDS))
        if lines.middle_line <= lines.income_line:
            self.fail(f"{where}.middle_line must be above {where}.income_line")
        if lines.middle_line_score <= lines.income_line_score:
            self.fail(f"{where}.middle_line_score must be above {where}.income_line_score")
        self.note_unconfirmed(area, f"{where}.")
        return lines

    def dimensions(self, data: Mapping[str, Any]) -> tuple[Dimension, ...]:
        listed = self.field(data, "dimensions", "dimensions")
        if not isinstance(listed, list) or not listed:
            self.fail("dimensions must be a non-empty list")
        dimensions = tuple(self.dimension(item, index) for index, item in enumerate(listed))
        self.check_keys([d.key for d in dimensions], "dimension")
        self.check_indicator_keys([i.key for d in dimensions for i in d.indicators])
        return dimensions

    def dimension(self, item: Any, index: int) -> Dimension:
        data = self.mapping(item, f"dimensions[{index}]")
        key = self.text(data, "key", f"dimensions[{index}].key")
        where = f"dimensions.{key}"
        listed = self.field(data, "indicators", f"{where}.indicators")
        if not isinstance(listed, list) or not listed:
            self.fail(f"{where}.indicators must be a non-empty list")
        self.note_unconfirmed(data, f"{where}.")
        indicators = tuple(self.indicator(entry, key, index) for index, entry in enumerate(listed))
        return Dimension(key, *self.names(data, "name", where), indicators)

    def indicator(self, item: Any, dimension: str, index: int) -> Indicator:
        data = self.mapping(item, f"dimensions.{dimension}.indicators[{index}]")
        key = self.text(data, "key", f"dimensions.{dimension}.indicators[{index}].key")
        where = f"indicators.{key}"
        name_vi, name_en = self.names(data, "name", where)
        when_vi, when_en = self.names(data, "deprived_when", where)
        self.note_unconfirmed(data, f"{where}.")
        return Indicator(key, dimension, name_vi, name_en, when_vi, when_en)

    def check_keys(self, keys: list[str], kind: str) -> None:
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            self.fail(f"{kind} key repeated: {', '.join(repeated)}")

    def check_indicator_keys(self, keys: list[str]) -> None:
        self.check_keys(keys, "indicator")
        bad = [key for key in keys if not _KEY.fullmatch(key)]
        if bad:
            self.fail(f"indicator keys are lower-case words joined by _: {', '.join(bad)}")
