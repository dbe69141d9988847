"""The poverty standards as their files hold them: decree, dates, lines, indicators, estimates."""

from __future__ import annotations

from flask import Blueprint, render_template

from caseflow.services.definitions import standards

bp = Blueprint("standards", __name__)


@bp.route("/standards")
def index():
    return render_template("standards.html", standards=standards())
