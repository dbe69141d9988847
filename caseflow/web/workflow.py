"""The lifecycle as a picture drawn on the server from the workflow file, and as a table."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext

from caseflow.i18n import lifecycle, state_label, trigger_label
from caseflow.web.diagram import COLOURS, draw

bp = Blueprint("workflow", __name__)


@bp.route("/workflow")
def show():
    """Draw the household lifecycle; ?state= marks one state."""
    definition = lifecycle()
    highlight = request.args.get("state")
    picture = draw(
        definition,
        lambda s: state_label(s, definition),
        lambda t: trigger_label(t, definition),
        gettext("Household lifecycle, version %(version)s", version=definition.version),
        highlight if highlight in definition.states else None,
    )
    return render_template("workflow.html", definition=definition, picture=picture, colours=COLOURS)
