"""Classify a household's survey under a poverty standard, and explain the result in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from caseflow.domain.errors import N_, Bilingual, DomainError, Money, Msg, Points
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
AREA_NAMES = {"vi": {"rural": "nông thôn", "urban": "thành thị"}}


#: a survey gives its income one way or the other
ONE_INCOME = N_("Give the income in VND per person per month or as a score: one of the two.")


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
        raise ClassificationError(N_("The survey cannot be classified."), fields=problems)
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


def recorded(
    standard: Standard,
    classification: str,
    deprivations: Mapping[str, bool],
    income_vnd: int | None,
    income_score: int | None,
    income_line: int,
    middle_line: int | None,
    area: str | None,
) -> Classification:
    """Return the classification a stored survey holds, to explain it again when shown."""
    basis = "vnd" if income_vnd is not None else "score"
    lines = standard.areas.get(area or "rural")
    if middle_line is None and lines is not None:  # surveys recorded before it was stored
        middle_line = lines.middle_line if basis == "vnd" else lines.middle_line_score
    deprived = tuple(key for key, value in deprivations.items() if value)
    return Classification(
        classification,
        len(deprived),
        deprived,
        income_line,
        basis,
        income_vnd if basis == "vnd" else income_score,
        standard.code,
        area or "",
        middle_line or income_line,
    )


def class_of_count(
    standard: Standard,
    area: str,
    deprived: int,
    *,
    income_vnd: int | None = None,
    income_score: int | None = None,
) -> str:
    """Return the class of a survey already checked, from its area, income and how many of
    ``standard``'s indicators it is deprived in (classify's rule, without its checks)."""
    lines = standard.areas[area]
    if income_vnd is not None:
        return _class_of(income_vnd, lines.income_line, lines.middle_line, deprived, standard)
    line, middle = lines.income_line_score, lines.middle_line_score
    return _class_of(income_score or 0, line, middle, deprived, standard)


def _class_of(income: int, line: int, middle: int, deprived: int, standard: Standard) -> str:
    # Decree 07/2021: income and deprivations together; above the line is never poor.
    if income <= line:
        return POOR if deprived >= standard.poor_min_deprivations else NEAR_POOR
    return MIDDLE if income <= middle else BETTER_OFF


def _check_area(standard: Standard, area: str, problems: dict[str, list[str]]) -> None:
    if area not in standard.areas:
        problems["area"] = [
            Msg(
                N_("No such area: %(area)s (expected %(expected)s)."),
                area=area,
                expected=", ".join(standard.areas),
            )
        ]


def _check_income(
    income_vnd: Any, income_score: Any, problems: dict[str, list[str]]
) -> tuple[str, int]:
    if (income_vnd is None) == (income_score is None):
        problems["income_vnd"] = problems["income_score"] = [Msg(ONE_INCOME)]
        return "vnd", 0
    basis, field, value = (
        ("vnd", "income_vnd", income_vnd)
        if income_score is None
        else ("score", "income_score", income_score)
    )
    if isinstance(value, bool) or not isinstance(value, int):
        problems[field] = [Msg(N_("Give a whole number."))]
    elif value < 0:
        problems[field] = [Msg(N_("Must not be negative."))]
    return basis, value


def _check_deprivations(
    standard: Standard, deprivations: Any, problems: dict[str, list[str]]
) -> None:
    if not isinstance(deprivations, Mapping):
        problems["deprivations"] = [Msg(N_("Give each indicator as true or false."))]
        return
    keys = standard.indicator_keys
    missing = [key for key in keys if key not in deprivations]
    unknown = sorted(str(key) for key in deprivations if key not in keys)
    not_bool = [key for key in keys if not isinstance(deprivations.get(key, False), bool)]
    found = {
        N_("Missing indicators: %(keys)s."): missing,
        N_("Indicators the standard %(standard)s does not have: %(keys)s."): unknown,
        N_("Not true or false: %(keys)s."): not_bool,
    }
    messages = [
        Msg(template, keys=", ".join(names), standard=standard.code)
        for template, names in found.items()
        if names
    ]
    if messages:
        problems["deprivations"] = messages


def explain(result: Classification, standard: Standard) -> Msg:
    """Say in words why the household got its classification: the income against the line,
    the deprived indicators and the rule (a Msg, translated where it is shown)."""
    names = [standard.indicator(key) for key in result.deprived if _has(standard, key)]
    deprived = (
        Msg(
            N_("deprived in %(count)s of %(total)s indicators (%(names)s)"),
            count=result.deprivation_count,
            total=len(standard.indicator_keys),
            names=Bilingual(
                ", ".join(i.name_vi for i in names), ", ".join(i.name_en for i in names)
            ),
        )
        if names
        else Msg(
            N_("deprived in %(count)s of %(total)s indicators"),
            count=result.deprivation_count,
            total=len(standard.indicator_keys),
        )
    )
    return Msg(
        N_("%(income)s %(line)s; %(deprived)s%(rule)s: %(verdict)s under standard %(standard)s."),
        income=_income(result),
        line=_line(result),
        deprived=deprived,
        rule=_rule(result, standard.poor_min_deprivations),
        verdict=Bilingual(
            CLASSIFICATION_NAMES["vi"][result.classification],
            CLASSIFICATION_NAMES["en"][result.classification],
        ),
        standard=result.standard_code,
    )


def _has(standard: Standard, key: str) -> bool:
    return key in standard.indicator_keys


def _amount(value: int, basis: str) -> int:
    return Points(value) if basis == "score" else Money(value)


def _income(result: Classification) -> Msg:
    amount = _amount(result.income, result.income_basis)
    if result.income_basis == "score":
        return Msg(N_("Income score %(amount)s"), amount=amount)
    return Msg(N_("Income %(amount)s per person per month"), amount=amount)


def _line(result: Classification) -> Msg:
    line = _amount(result.income_line, result.income_basis)
    middle = _amount(result.middle_line, result.income_basis)
    area = Bilingual(AREA_NAMES["vi"].get(result.area, result.area), result.area)
    if result.classification in (POOR, NEAR_POOR):
        return Msg(N_("is at or below the %(area)s line of %(line)s"), area=area, line=line)
    if result.classification == MIDDLE:
        return Msg(
            N_(
                "is above the %(area)s line of %(line)s and at or below the middle line "
                "of %(middle)s"
            ),
            area=area,
            line=line,
            middle=middle,
        )
    return Msg(N_("is above the %(area)s middle line of %(middle)s"), area=area, middle=middle)


def _rule(result: Classification, minimum: int) -> Msg:
    if result.classification == POOR:
        return Msg(N_(", %(minimum)s or more"), minimum=minimum)
    if result.classification == NEAR_POOR:
        return Msg(N_(", fewer than %(minimum)s"), minimum=minimum)
    return Msg(N_(", not counted above the line"))
