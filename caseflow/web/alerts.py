"""The alerts inbox: reminders, late work and escalations addressed to me; acknowledge them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow.services import alerts
from caseflow.web.forms import TokenForm
from caseflow.web.lists import keyset_args

bp = Blueprint("inbox", __name__, url_prefix="/alerts")
PER_PAGE = 50
#: the inbox's tabs; "all" lists every status
TABS = ("open", "acknowledged", "all")


@bp.route("")
def inbox():
    tab = request.args.get("status", "open")
    tab = tab if tab in TABS else "open"
    asked = keyset_args()
    found = alerts.page_for(
        current_user, None if tab == "all" else tab, asked["page"], PER_PAGE, asked["after"]
    )
    return render_template(
        "alerts.html",
        items=found.items,
        total=found.total,
        listing=found,
        page=found.page,
        per_page=PER_PAGE,
        tab=tab,
        tabs=TABS,
        form=TokenForm(formdata=None),
    )


@bp.route("/<int:alert_id>/ack", methods=["POST"])
def ack(alert_id: int):
    """Acknowledge: seen. The alert closes by itself when its work is done."""
    if TokenForm().validate_on_submit():
        alerts.ack(current_user, alert_id)
        flash(gettext("Alert acknowledged."), "success")
    return redirect(url_for(".inbox"))
