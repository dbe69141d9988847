"""The what-if page: a unit's latest surveys now and under another standard, side by side."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext
from flask_login import current_user

from caseflow import clock
from caseflow.domain.classification import CLASSIFICATIONS
from caseflow.i18n import class_label, number
from caseflow.schemas.common import load_typed
from caseflow.schemas.whatif import WhatIfArgs
from caseflow.services import units, whatif
from caseflow.services.definitions import standards
from caseflow.sheet_response import sheet_response
from caseflow.web.whatif_chart import range_chart

bp = Blueprint("whatif", __name__, url_prefix="/reports")
#: the changes listed on the page; the files list them all
SHOWN = 200


@bp.route("/what-if")
def show():
    choices = units.list_units(current_user)
    asked = _asked(choices)
    report = whatif.what_if(current_user, asked["unit"], asked["standard"], SHOWN)
    return render_template(
        "reports/what_if.html",
        report=report,
        units=choices,
        standards=standards(),
        asked=asked,
        chart=_chart(report),
        standard=whatif.target_standard(asked["standard"]),
    )


@bp.route("/what-if/download")
def download():
    asked = _asked(units.list_units(current_user))
    sheets = whatif.what_if_sheets(current_user, asked["unit"], asked["standard"])
    fmt = asked["format"] if asked["format"] != "json" else "xlsx"
    return sheet_response(sheets, fmt, f"what-if-{asked['unit']}-{asked['standard']}")


def _asked(choices) -> dict:
    """The page's question: the unit (default: the top of the reader's units) and the standard
    (default: the first one not in force today, the 2027-2030 one for a 2026 review)."""
    given = {k: v for k, v in request.args.items() if k in ("unit", "standard", "format")}
    if not given.get("unit") and choices:
        given["unit"] = choices[0].code
    if not given.get("standard"):
        today = clock.today()
        upcoming = [s for s in standards() if s.effective_from > today]
        others = [s for s in standards() if not s.covers(today)]
        given["standard"] = (upcoming or others or standards())[0].code
    return load_typed(WhatIfArgs(), given)


def _chart(report: dict):
    rows = [
        (class_label(name), report["current"][name], *_span(report["under"][name]))
        for name in CLASSIFICATIONS
    ]
    names = (
        gettext("Now"),
        gettext("Under %(standard)s", standard=report["standard"]),
        gettext("Uncertain (indicators not surveyed)"),
    )
    return range_chart(rows, names, gettext("Households by class"), "chart-what-if", number)


def _span(span: dict) -> tuple[int, int]:
    return span["min"], span["max"]
