"""A unit's dashboard: counts by class and state, poverty rate, late work, as SVG charts."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext
from flask_login import current_user

from caseflow.i18n import class_label, lifecycle, number, state_label
from caseflow.services import dashboard, units
from caseflow.web.charts import bar_chart
from caseflow.web.forms import UnitChoiceForm

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
def show():
    overview = dashboard.overview(current_user, request.args.get("unit") or None)
    form = UnitChoiceForm(units.list_units(current_user), formdata=None, unit=overview.unit.code)
    return render_template("dashboard.html", overview=overview, form=form, charts=_charts(overview))


def _charts(overview: dashboard.Overview) -> dict:
    summary = overview.summary
    listed = summary["by_class"]
    others = summary["households"] - sum(listed.values())
    states = [(state_label(s), summary["by_state"].get(s, 0)) for s in lifecycle().states]
    classes = [(class_label(c), n) for c, n in listed.items()]
    classes.append((gettext("Not on a list"), others))
    late = [(row.unit.name, row.overdue) for row in overview.subunits]
    return {
        "states": bar_chart(states, gettext("Households by state"), "chart-states", number),
        "classes": bar_chart(classes, gettext("Households by class"), "chart-classes", number),
        "late": bar_chart(late, gettext("Late work by unit"), "chart-late", number)
        if late
        else None,
    }
