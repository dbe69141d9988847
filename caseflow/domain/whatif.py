"""What-if: a household's latest survey classified under another standard, compared with its
class now. An indicator of that standard that the survey did not record is unknown, so the
answer is a range: once with every unknown indicator not deprived, once with all deprived."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from caseflow.domain.classification import CLASSIFICATIONS, class_of_count
from caseflow.domain.standards import Standard

#: the version of the rule below (Reclassifier and class_of_count): a change of it makes every
#: stored reclassification (services/whatif_table.py) unusable until it is derived again
RULE_VERSION = 1


@dataclass(frozen=True)
class Survey:
    """What the what-if reads of one household's latest survey."""

    household_id: int
    #: the class the survey got under its own standard: the household's class now
    classification: str
    area: str
    deprivations: Mapping[str, bool]
    income_vnd: int | None
    income_score: int | None


@dataclass(frozen=True)
class Reclassified:
    household_id: int
    current: str
    #: the class with every unknown indicator counted not deprived
    low: str
    #: the class with every unknown indicator counted deprived
    high: str
    #: the standard's indicators that the survey did not record
    unknown: tuple[str, ...]

    @property
    def certain(self) -> bool:
        return self.low == self.high

    @property
    def changes(self) -> bool:
        """Tell whether the class would (or, where unknown, might) differ from the current."""
        return self.low != self.current or self.high != self.current


def reclassify(survey: Survey, standard: Standard) -> Reclassified:
    """Classify the survey under ``standard``, both ways where its indicators are unknown."""
    return Reclassifier(standard)(survey)


class Reclassifier:
    """reclassify() for many surveys under one standard: its indicators are read once."""

    def __init__(self, standard: Standard):
        self.standard = standard
        self.keys = standard.indicator_keys

    def __call__(self, survey: Survey) -> Reclassified:
        recorded = survey.deprivations
        unknown = tuple(key for key in self.keys if key not in recorded)
        deprived = sum(recorded.get(key) is True for key in self.keys)
        vnd = survey.income_vnd
        score = survey.income_score if vnd is None else None
        low, high = (
            class_of_count(self.standard, survey.area, n, income_vnd=vnd, income_score=score)
            for n in (deprived, deprived + len(unknown))
        )
        return Reclassified(survey.household_id, survey.classification, low, high, unknown)


def fingerprint(standard: Standard) -> str:
    """Return a short stable hash of all that reclassifying reads of ``standard``."""
    read = {
        "rule": RULE_VERSION,
        "code": standard.code,
        "indicators": standard.indicator_keys,
        "poor_min_deprivations": standard.poor_min_deprivations,
        "areas": {area: asdict(lines) for area, lines in standard.areas.items()},
    }
    text = json.dumps(read, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _zeros() -> dict[str, int]:
    return dict.fromkeys(CLASSIFICATIONS, 0)


@dataclass
class Tally:
    """Counts of many reclassified surveys, added one at a time (a province streams by), or
    by groups of households with the same result (as the what-if table counts them)."""

    households: int = 0
    current: dict[str, int] = field(default_factory=_zeros)
    #: per class, the households that are in it whichever way the unknowns go
    surely: dict[str, int] = field(default_factory=_zeros)
    #: per class, the households that are in it one way or the other
    possibly: dict[str, int] = field(default_factory=_zeros)
    #: households whose class would change for certain, or might change
    changed: int = 0
    uncertain: int = 0
    #: per indicator, the surveys that did not record it
    unknown: dict[str, int] = field(default_factory=dict)

    def add(self, result: Reclassified, times: int = 1) -> None:
        """Count one household's result (or ``times`` households with the same result)."""
        self.households += times
        self.current[result.current] = self.current.get(result.current, 0) + times
        for name in {result.low, result.high}:
            self.possibly[name] += times
        if result.certain:
            self.surely[result.low] += times
        else:
            self.uncertain += times
        self.changed += result.changes * times
        for key in result.unknown:
            self.unknown[key] = self.unknown.get(key, 0) + times

    def under(self) -> dict[str, dict[str, int]]:
        """Return per class the range {"min", "max"} of households under the other standard."""
        return {
            name: {"min": self.surely[name], "max": self.possibly[name]} for name in CLASSIFICATIONS
        }
