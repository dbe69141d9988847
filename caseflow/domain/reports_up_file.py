"""Read the reports file (workflows/reports/reports_up.yaml): every mistake names the file and
itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseflow.domain.calendar import DurationError, parse_duration
from caseflow.domain.file_reader import FileReader
from caseflow.domain.reports_up import BY, COVERS, FIGURES, ReportsUpDef, ReportUp

ROLES = ("case_worker", "supervisor", "officer")
LEVELS = ("province", "district", "commune", "ward", "township", "village")


def parse_reports_up(data: Any, source: str) -> ReportsUpDef:
    """Read the reports file; raise WorkflowError naming the file and the problem."""
    reader = _Reader(source)
    data = reader.mapping(data, "the reports file")
    reports = data.get("reports")
    if not isinstance(reports, list) or not reports:
        reader.fail("reports must be a non-empty list")
    parsed = tuple(reader.report(f"reports[{i}]", r) for i, r in enumerate(reports))
    keys = [r.key for r in parsed]
    if len(set(keys)) != len(keys):
        reader.fail("reports: a key is repeated")
    return ReportsUpDef(parsed)


class _Reader(FileReader):
    def choice(self, data: Mapping, key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = data.get(key)
        if value not in allowed:
            self.fail(f"{where} must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def choices(self, data: Mapping, key: str, where: str, allowed: tuple[str, ...]) -> tuple:
        value = data.get(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            self.fail(f"{where} must be a list of {', '.join(allowed)}, not {value!r}")
        return tuple(value)

    def due(self, value: Any, where: str) -> tuple[int, int | None]:
        """'DD' (monthly, 1 to 28) or 'MM-DD' (yearly)."""
        if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= 28:
            return int(value), None
        try:
            found = parse_duration(f"next {value}")
        except DurationError:
            self.fail(f"{where} must be a day of the month (01 to 28) or MM-DD, not {value!r}")
        return found.day, found.month

    def months(self, value: Any, where: str) -> tuple[int, ...]:
        value = value or []
        if not isinstance(value, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value
        ):
            self.fail(f"{where} must be a list of months from 1 to 12")
        return tuple(value)

    def report(self, where: str, value: Any) -> ReportUp:
        data = self.mapping(value, where)
        key = self.text(data, "key", f"{where}.key")
        names = self.mapping(data.get("name"), f"{where}.name")
        day, month = self.due(data.get("due"), f"{where}.due")
        in_months = self.months(data.get("in_months"), f"{where}.in_months")
        if month is not None and in_months:
            self.fail(f"{where}.in_months is for a monthly report (due: DD), not a yearly one")
        business = data.get("business_days", False)
        if not isinstance(business, bool):
            self.fail(f"{where}.business_days must be true or false")
        return ReportUp(
            key=key,
            name_vi=self.text(names, "vi", f"{where}.name.vi"),
            name_en=self.text(names, "en", f"{where}.name.en"),
            day=day,
            month=month,
            by=self.choice(data, "last_day", f"{where}.last_day", BY),
            covers=self.choice(data, "covers", f"{where}.covers", COVERS),
            figures=self.choices(data, "figures", f"{where}.figures", FIGURES),
            remind_before=self.duration(data.get("remind_before"), f"{where}.remind_before"),
            overdue_after=self.duration(data.get("overdue_after"), f"{where}.overdue_after"),
            notify=self.choices(data, "notify", f"{where}.notify", ROLES),
            senders=self.choices(data, "sender", f"{where}.sender", LEVELS),
            receiver=self.choice(data, "receiver", f"{where}.receiver", LEVELS),
            in_months=in_months,
            business_days=business,
        )
