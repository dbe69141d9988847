"""What every reader of a data file under workflows/ checks alike: each mistake names the file
and the place in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from caseflow.domain.calendar import Duration, DurationError, parse_duration
from caseflow.domain.errors import WorkflowError


class FileReader:
    """The checks shared by the rounds file's and the reports file's readers."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, problem: str) -> NoReturn:
        raise WorkflowError(self.source, problem)

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(f"{where} must be a mapping")
        return value

    def text(self, data: Mapping, key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where} must be non-empty text")
        return value.strip()

    def duration(self, value: Any, where: str) -> Duration:
        try:
            found = parse_duration(value)
        except DurationError as error:
            self.fail(f"{where}: {error.message}")
        if found.unit not in ("days", "working_days"):
            self.fail(f"{where} must be days or working days, not {value!r}")
        return found
