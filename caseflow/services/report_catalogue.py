"""The reports by name, each asked the same way: who, which unit, which day or period."""

from __future__ import annotations

from datetime import date

from caseflow import clock
from caseflow.models import User
from caseflow.services import report_flows, report_surveys, report_units, reports
from caseflow.services.report_basis import check_day

KINDS = ("summary", "units", "flows", "deprivations", "coverage", "overdue")


def build(
    actor: User | None,
    kind: str,
    unit_code: str,
    as_of: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    """Compute the report of `kind`; a day not given is today, a period this year to date.

    No actor (the command line, run by the machine's operator): every unit is in scope.
    """
    day = as_of or clock.today()
    if kind == "flows":
        end = end or clock.today()
        return report_flows.flows(actor, unit_code, start or date(end.year, 1, 1), end)
    if kind == "summary":
        return reports.summary(actor, unit_code, check_day(day))
    if kind == "overdue":
        return report_units.overdue(actor, unit_code)
    if kind == "units":
        return report_units.units(actor, unit_code, day)
    if kind == "deprivations":
        return report_surveys.deprivations(actor, unit_code, day)
    return report_surveys.coverage(actor, unit_code, day)
