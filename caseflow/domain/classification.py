"""Classify a household's survey under a poverty standard, and explain the result in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from caseflow.domain.errors import DomainError
from caseflow.domain.standards import Standard

POOR = "poor"
NEAR_POOR = "near_poor"
MIDDLE = "middle"
BETTER_OFF = "better_off"
CLASSIFICATIONS: tuple[str, ...] = (POOR, NEAR_POOR, MIDDLE, BETTER_OFF)

CLASSIFICATION_NAMES: dict[str, dict[str, str]] = {
    "vi": {
        POOR: "hộ nghèo",
        NEAR_POOR: "hộ cận nghèo",
        MIDDLE: "hộ có mức sống trung bình",
        BETTER_OFF: "hộ không nghèo (trên mức sống trung bình)",
    },
    "en": {
        POOR: "poor",
        NEAR_POOR: "near-poor",
        MIDDLE: "middle living standard",
        BETTER_OFF: "not poor (above the middle living standard)",
    },
}
_AREA_NAMES = {"vi": {"rural": "nông thôn", "urban": "thành thị"}}


class ClassificationError(DomainError):
    """The survey cannot be classified; ``fields`` says which inputs are wrong."""

    code = "invalid_assessment"
    status = 422


@dataclass(frozen=True)
class Classification:
    #: One of CLASSIFICATIONS.
    classification: str
    deprivation_count: int
    #: Keys of the deprived indicators, in the standard's order.
    deprived: tuple[str, ...]
    #: The area's income line, in the unit of ``income_basis``: VND or points.
    income_line: int
    #: 'vnd' (income per person per month) or 'score' (Circular 07/2021 points).
    income_basis: str
    income: int
    standard_code: str
    area: str
    #: Top of the middle-living-standard band, in the same unit as ``income_line``.
    middle_line: int


def classify(
    standard: Standard,
    area: str,
    deprivations: Mapping[str, bool],
    *,
    income_vnd: int | None = None,
    income_score: int | None = None,
) -> Classification:
    """Classify one household under ``standard``, from its area, income and deprivations."""
    problems: dict[str, list[str]] = {}
    _check_area(standard, area, problems)
    basis, income = _check_income(income_vnd, income_score, problems)
    _check_deprivations(standard, deprivations, problems)
    if problems:
        details = "; ".join(f"{field}: {', '.join(msgs)}" for field, msgs in problems.items())
        raise ClassificationError(f"The survey cannot be classified: {details}", fields=problems)
    lines = standard.areas[area]
    line, middle = (
        (lines.income_line, lines.middle_line)
        if basis == "vnd"
        else (lines.income_line_score, lines.middle_line_score)
    )
    deprived = tuple(key for key in standard.indicator_keys if deprivations[key])
    return Classification(
        classification=_class_of(income, line, middle, len(deprived), standard),
        deprivation_count=len(deprived),
        deprived=deprived,
        income_line=line,
        income_basis=basis,
        income=income,
        standard_code=standard.code,
        area=area,
        middle_line=middle,
    )


def _class_of(income: int, line: int, middle: int, deprived: int, standard: Standard) -> str:
    # Decree 07/2021: income and deprivations together; above the line is never poor.
    if income <= line:
        return POOR if deprived >= standard.poor_min_deprivations else NEAR_POOR
    return MIDDLE if income <= middle else BETTER_OFF


def _check_area(standard: Standard, area: str, problems: dict[str, list[str]]) -> None:
    if area not in standard.areas:
        expected = " or ".join(standard.areas)
        problems["area"] = [f"unknown area {area!r}; expected {expected}"]


def _check_income(
    income_vnd: Any, income_score: Any, problems: dict[str, list[str]]
) -> tuple[str, int]:
    if (income_vnd is None) == (income_score is None):
        message = "give exactly one of income_vnd and income_score"
        problems["income_vnd"] = problems["income_score"] = [message]
        return "vnd", 0
    basis, field, value = (
        ("vnd", "income_vnd", income_vnd)
        if income_score is None
        else ("score", "income_score", income_score)
    )
    if isinstance(value, bool) or not isinstance(value, int):
        problems[field] = ["must be a whole number"]
    elif value < 0:
        problems[field] = ["must not be negative"]
    return basis, value


def _check_deprivations(
    standard: Standard, deprivations: Any, problems: dict[str, list[str]]
) -> None:
    if not isinstance(deprivations, Mapping):
        problems["deprivations"] = ["must map each indicator to true or false"]
        return
    keys = standard.indicator_keys
    missing = [key for key in keys if key not in deprivations]
    unknown = sorted(str(key) for key in deprivations if key not in keys)
    not_bool = [key for key in keys if not isinstance(deprivations.get(key, False), bool)]
    found = {"missing": missing, "unknown": unknown, "not true or false": not_bool}
    messages = [f"{label}: {', '.join(names)}" for label, names in found.items() if names]
    if messages:
        problems["deprivations"] = messages


def explain(result: Classification, standard: Standard, lang: str = "vi") -> str:
    """Say in words, in 'vi' or 'en', why the household got its classification."""
    if lang not in CLASSIFICATION_NAMES:
        raise ValueError(f"unsupported language {lang!r}")
    names = ", ".join(standard.indicator(key).name(lang) for key in result.deprived)
    listed = f" ({names})" if names else ""
    total = len(standard.indicator_keys)
    minimum = standard.poor_min_deprivations
    verdict = CLASSIFICATION_NAMES[lang][result.classification]
    if lang == "vi":
        deprived = f"thiếu hụt {result.deprivation_count}/{total} chỉ số{listed}"
        return (
            f"{_income_vi(result)}, {_line_vi(result)}; {deprived}{_rule_vi(result, minimum)}: "
            f"{verdict} theo chuẩn {result.standard_code}."
        )
    deprived = f"deprived in {result.deprivation_count} of {total} indicators{listed}"
    return (
        f"{_income_en(result)} {_line_en(result)}; {deprived}{_rule_en(result, minimum)}: "
        f"{verdict} under standard {result.standard_code}."
    )


def _amount(value: int, basis: str, lang: str) -> str:
    if basis == "score":
        return f"{value} điểm" if lang == "vi" else f"{value} points"
    if lang == "vi":
        return f"{value:,}".replace(",", ".") + " đ"
    return f"{value:,} VND"


def _income_vi(result: Classification) -> str:
    amount = _amount(result.income, result.income_basis, "vi")
    if result.income_basis == "score":
        return f"Điểm thu nhập {amount}"
    return f"Thu nhập bình quân {amount}/người/tháng"


def _line_vi(result: Classification) -> str:
    line = _amount(result.income_line, result.income_basis, "vi")
    middle = _amount(result.middle_line, result.income_basis, "vi")
    area = _AREA_NAMES["vi"].get(result.area, result.area)
    if result.classification in (POOR, NEAR_POOR):
        return f"không vượt chuẩn {line} ({area})"
    if result.classification == MIDDLE:
        return f"vượt chuẩn {line} nhưng không vượt mức {middle} ({area})"
    return f"vượt chuẩn mức sống trung bình {middle} ({area})"


def _rule_vi(result: Classification, minimum: int) -> str:
    if result.classification == POOR:
        return f" ≥ {minimum}"
    if result.classification == NEAR_POOR:
        return f" < {minimum}"
    return ", không xét vì thu nhập vượt chuẩn"


def _income_en(result: Classification) -> str:
    amount = _amount(result.income, result.income_basis, "en")
    if result.income_basis == "score":
        return f"Income score {amount}"
    return f"Income {amount} per person per month"


def _line_en(result: Classification) -> str:
    line = _amount(result.income_line, result.income_basis, "en")
    middle = _amount(result.middle_line, result.income_basis, "en")
    if result.classification in (POOR, NEAR_POOR):
        return f"is at or below the {result.area} line of {line}"
    if result.classification == MIDDLE:
        return (
            f"is above the {result.area} line of {line} and at or below the middle line of {middle}"
        )
    return f"is above the {result.area} middle line of {middle}"


def _rule_en(result: Classification, minimum: int) -> str:
    if result.classification == POOR:
        return f", {minimum} or more"
    if result.classification == NEAR_POOR:
        return f", fewer than {minimum}"
    return ", not counted above the line"
