"""Reports that go up, pure: what the reports file (workflows/reports/) says, and the days each
report is due in a year, with the moments its reminder and its overdue alert fire.

A report goes up from a unit (a commune or ward) to the unit above it (the province): the
monthly report of the regular review, the periodic review's preliminary and official results
(DOMAIN.md, "Reporting upward"). The file says which, when and to whom; nothing here is a date.
"""

from __future__ import annotations

import calendar as months
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from caseflow.domain.calendar import BusinessCalendar, Duration

#: what a report may cover: the month before its due day, or the year of its due day
COVERS = ("previous_month", "year")
#: the last day to send is the due day itself, or the day before it (due "before" the day)
BY = ("due_day", "day_before")
#: the existing reports a document may hold (caseflow/services/report_catalogue.py)
FIGURES = ("units", "flows")


@dataclass(frozen=True)
class ReportUp:
    """One report that goes up: its name, its due day, what it covers and who is reminded."""

    key: str
    name_vi: str
    name_en: str
    #: monthly: the day of the month; yearly: (month, day)
    day: int
    month: int | None
    by: str
    covers: str
    figures: tuple[str, ...]
    remind_before: Duration
    overdue_after: Duration
    notify: tuple[str, ...]
    #: the levels of the units that send it, and the level of the unit that receives it
    senders: tuple[str, ...]
    receiver: str
    #: monthly: the months it is due in (empty: every month)
    in_months: tuple[int, ...] = ()
    #: a last day that is a day off moves back to the working day before it
    business_days: bool = False

    @property
    def monthly(self) -> bool:
        return self.month is None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@dataclass(frozen=True)
class ReportsUpDef:
    reports: tuple[ReportUp, ...]

    def report(self, key: str) -> ReportUp | None:
        return next((r for r in self.reports if r.key == key), None)

    def sent_by(self, level: str) -> tuple[ReportUp, ...]:
        """The reports a unit of this level sends."""
        return tuple(r for r in self.reports if level in r.senders)


@dataclass(frozen=True)
class Due:
    """One report due once: the period it covers, its last day, when the clock speaks of it."""

    report: ReportUp
    year: int
    #: the month of the due day, for a monthly report; else None
    month: int | None
    starts_on: date
    ends_on: date
    last_day: date
    remind_at: datetime
    overdue_at: datetime

    @property
    def period_key(self) -> str:
        """Names this occurrence among a unit's timers: "monthly:2026-03", "official:2026"."""
        suffix = f"{self.year}-{self.month:02d}" if self.month else f"{self.year}"
        return f"{self.report.key}:{suffix}"


def dues(
    report: ReportUp, year: int, calendar: BusinessCalendar, month: int | None = None
) -> list[Due]:
    """Return the report's due days in `year` (or only the one in `month`), in order."""
    if not report.monthly:
        return [_due(report, year, None, date(year, report.month, report.day), calendar)]
    wanted = report.in_months or tuple(range(1, 13))
    return [
        _due(
            report, year, m, date(year, m, min(report.day, months.monthrange(year, m)[1])), calendar
        )
        for m in wanted
        if month is None or m == month
    ]


def dues_of_year(
    found: ReportsUpDef, level: str, year: int, calendar: BusinessCalendar
) -> list[Due]:
    """Every report a unit of `level` sends in `year`, by last day."""
    every = [d for r in found.sent_by(level) for d in dues(r, year, calendar)]
    return sorted(every, key=lambda d: (d.last_day, d.report.key))


def _due(
    report: ReportUp, year: int, month: int | None, day: date, calendar: BusinessCalendar
) -> Due:
    last = day - timedelta(days=1) if report.by == "day_before" else day
    if report.business_days:
        while not calendar.is_working_day(last):
            last -= timedelta(days=1)
    starts, ends = _period(report, day)
    opens = calendar.start_of_day(last)
    after = calendar.start_of_day(last + timedelta(days=1))
    return Due(
        report,
        year,
        month,
        starts,
        ends,
        last,
        report.remind_before.before(opens, calendar),
        report.overdue_after.apply(after, calendar),
    )


def _period(report: ReportUp, day: date) -> tuple[date, date]:
    if report.covers == "year":
        return date(day.year, 1, 1), day - timedelta(days=1)
    end = day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def as_of(due: Due, today: date) -> date:
    """The day a document's figures are counted as of: its period's end, or today if sooner."""
    return min(due.ends_on, today)
