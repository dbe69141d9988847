"""Reports that go up, for one unit: the list of those it sends in a year with their due days,
and each as a document (print-ready HTML and xlsx) holding the existing reports' figures.

The figures are the reports' own (services.report_catalogue), asked for the report's period:
nothing is counted here. Who may see them is what those reports allow: the caller's units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from caseflow import clock
from caseflow.domain.errors import N_, InvalidInput, NotFound
from caseflow.domain.reports_up import Due, ReportUp, as_of, dues, dues_of_year
from caseflow.models import Unit, User
from caseflow.services import report_catalogue, report_sheets
from caseflow.services.access import unit_by_code
from caseflow.services.definitions import business_calendar
from caseflow.services.reports_up_rules import rules
from caseflow.services.spreadsheets import Sheet

#: what the programme calls each level of unit in a document's heading
LEVEL_NAMES = {
    "province": "tỉnh",
    "district": "huyện",
    "commune": "xã",
    "ward": "phường",
    "township": "thị trấn",
    "village": "thôn",
}


def listing(actor: User, unit_code: str, year: int) -> dict:
    """The reports the unit sends in `year`, each with its period, last day and clock moments."""
    unit = unit_by_code(unit_code, actor, "unit")
    _check_year(year)
    today = clock.today()
    rows = [
        _row(due, today) for due in dues_of_year(rules(), unit.level, year, business_calendar())
    ]
    return {"unit": unit.code, "name": unit.name, "year": year, "reports": rows}


def _row(due: Due, today: date) -> dict:
    return {
        "key": due.report.key,
        "name": due.report.name_vi,
        "name_en": due.report.name_en,
        "year": due.year,
        "month": due.month,
        "from": due.starts_on,
        "to": due.ends_on,
        "due_on": due.last_day,
        "remind_at": due.remind_at,
        "overdue_at": due.overdue_at,
        "receiver": due.report.receiver,
        "status": _status(due, today),
        #: its period has begun: its document has figures
        "printable": due.starts_on <= today,
    }


def _status(due: Due, today: date) -> str:
    """upcoming (before its reminder), due (from the reminder to the last day), past (after)."""
    if today < business_calendar().local_date(due.remind_at):
        return "upcoming"
    return "due" if today <= due.last_day else "past"


@dataclass
class ReportUpDocument:
    """One report that goes up, filled: its heading, the reports' figures, its sheets."""

    report: ReportUp
    due: Due
    unit: Unit
    receiver: str
    as_of: date
    figures: dict[str, dict] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.report.name_vi

    @property
    def period(self) -> str:
        if self.due.month:
            return f"tháng {self.due.starts_on.month:02d}/{self.due.starts_on.year}"
        return f"năm {self.due.year}"

    @property
    def filename(self) -> str:
        return f"bao-cao-{self.due.period_key.replace(':', '-')}-{self.unit.code}"

    @property
    def template(self) -> str:
        return "documents/report_up.html"

    @property
    def context(self) -> dict:
        return {"level_names": LEVEL_NAMES}

    def sheets(self) -> list[Sheet]:
        heading = [
            ("Báo cáo", self.title),
            ("Đơn vị báo cáo", self.unit.name),
            ("Mã đơn vị", self.unit.code),
            ("Kỳ báo cáo", self.period),
            ("Từ ngày", self.due.starts_on),
            ("Đến ngày", self.due.ends_on),
            ("Số liệu tính đến ngày", self.as_of),
            ("Hạn gửi", self.due.last_day),
            ("Nơi nhận", self.receiver),
        ]
        sheets = [Sheet("Báo cáo", ("Mục", "Nội dung"), heading)]
        return sheets + [report_sheets.sheet(k, v) for k, v in self.figures.items()]


def document(
    actor: User, key: str, unit_code: str, year: int, month: int | None = None
) -> ReportUpDocument:
    """Fill the report `key` of the unit for `year` (and `month`, for a monthly one)."""
    report = rules().report(key)
    if report is None:
        raise NotFound(N_("No report that goes up named '%(key)s'."), params={"key": key})
    unit = unit_by_code(unit_code, actor, "unit")
    if unit.level not in report.senders:
        raise InvalidInput.on(
            "unit",
            N_("A unit of this level (%(level)s) does not send this report."),
            level=unit.level,
        )
    _check_year(year)
    due = _one_due(report, year, month)
    if due.starts_on > clock.today():
        raise InvalidInput.on(
            "month" if month else "year",
            N_("The period of this report starts on %(day)s: it has no figures yet."),
            day=due.starts_on.isoformat(),
        )
    day = as_of(due, clock.today())
    found = ReportUpDocument(report, due, unit, _receiver(unit, report.receiver), day)
    for kind in report.figures:
        found.figures[kind] = report_catalogue.build(
            actor, kind, unit.code, day, due.starts_on, day
        )
    return found


def _one_due(report: ReportUp, year: int, month: int | None) -> Due:
    if not report.monthly:
        return dues(report, year, business_calendar())[0]
    found = dues(report, year, business_calendar(), month) if month else []
    if not found:
        months = ", ".join(str(m) for m in report.in_months) or "1-12"
        raise InvalidInput.on(
            "month",
            N_("This report is due in the months %(months)s: give one of them."),
            months=months,
        )
    return found[0]


def _receiver(unit: Unit, level: str) -> str:
    """The unit above of the receiving level, by name; else the level's name."""
    above = unit.parent
    while above is not None:
        if above.level == level:
            return above.name
        above = above.parent
    return LEVEL_NAMES.get(level, level)


def _check_year(year: int) -> None:
    if not 2000 <= year <= clock.today().year + 1:
        raise InvalidInput.on("year", N_("%(year)s is not a year reports are kept for."), year=year)
