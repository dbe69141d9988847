"""The chart of each report, in the reader's language (bars; the rates by year as lines)."""

from __future__ import annotations

from flask_babel import gettext
from markupsafe import Markup

from caseflow.i18n import class_label, lang, number, percent
from caseflow.services.definitions import standards
from caseflow.web.charts import bar_chart
from caseflow.web.line_charts import line_chart


def charts(kind: str, report: dict) -> list[tuple[str, Markup]]:
    """The (caption, chart) pairs of a report's page."""
    return MAKERS[kind](report)


def rates_by_year(years: list[dict]) -> tuple[str, Markup]:
    title = gettext("Poverty and near-poverty rates by year (%)")
    series = [
        (class_label("poor"), [y["poverty"] for y in years]),
        (class_label("near_poor"), [y["near_poverty"] for y in years]),
    ]
    labels = [str(y["year"]) for y in years]
    return title, line_chart(labels, series, title, "chart-years", lambda v: f"{number(v)}%")


def _units(report: dict) -> list[tuple[str, Markup]]:
    title = gettext("Poverty rate by unit")
    rows = [(r["name"], r["poverty_rate"]) for r in report["rows"]]
    return [(title, bar_chart(rows, title, "chart-units", percent))]


def _flows(report: dict) -> list[tuple[str, Markup]]:
    title = gettext("Households that moved in the period")
    rows = [
        (gettext("Entered: %(cls)s", cls=class_label("poor")), report["entered"]["poor"]),
        (gettext("Entered: %(cls)s", cls=class_label("near_poor")), report["entered"]["near_poor"]),
        (gettext("Exited: %(cls)s", cls=class_label("poor")), report["exited"]["poor"]),
        (gettext("Exited: %(cls)s", cls=class_label("near_poor")), report["exited"]["near_poor"]),
        (gettext("Relapsed"), report["relapsed"]),
        (gettext("Graduated"), report["graduated"]),
    ]
    return [(title, bar_chart(rows, title, "chart-flows", number))]


def _deprivations(report: dict) -> list[tuple[str, Markup]]:
    title = gettext("Deprived households by indicator")
    names = indicator_names()
    rows = [(names.get(k, k), n) for k, n in report["by_indicator"].items()]
    return [(title, bar_chart(rows, title, "chart-indicators", number))]


def _coverage(report: dict) -> list[tuple[str, Markup]]:
    title = gettext("Share of deprived households reached by support")
    names = dimension_names()
    rows = [(names.get(r["dimension"], r["dimension"]), r["share"]) for r in report["by_dimension"]]
    return [(title, bar_chart(rows, title, "chart-coverage", percent))]


def _overdue(report: dict) -> list[tuple[str, Markup]]:
    title = gettext("Late work by unit")
    rows = [(r["name"], r["overdue"]) for r in report["rows"]]
    return [(title, bar_chart(rows, title, "chart-overdue", number))]


def indicator_names() -> dict[str, str]:
    """Each indicator key's name in the reader's language (the first standard that has it)."""
    names: dict[str, str] = {}
    for standard in standards():
        for indicator in standard.indicators:
            names.setdefault(indicator.key, indicator.name(lang()))
    return names


def dimension_names() -> dict[str, str]:
    """Each dimension key's name in the reader's language."""
    names: dict[str, str] = {}
    for standard in standards():
        for dim in standard.dimensions:
            names.setdefault(dim.key, dim.name_en if lang() == "en" else dim.name_vi)
    return names


MAKERS = {
    "units": _units,
    "flows": _flows,
    "deprivations": _deprivations,
    "coverage": _coverage,
    "overdue": _overdue,
}
