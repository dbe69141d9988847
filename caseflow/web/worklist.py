"""The worklist: my late work, work due in the next 14 days, decisions waiting, recent changes."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from caseflow.services import worklist

bp = Blueprint("worklist", __name__)


@bp.route("/")
def index():
    return render_template(
        "worklist.html", work=worklist.worklist(current_user), soon_days=worklist.SOON.days
    )
