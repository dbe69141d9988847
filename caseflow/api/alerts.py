"""Alerts addressed to the caller: list and acknowledge."""

from __future__ import annotations

from caseflow.api.auth import actor
from caseflow.api.base import Blueprint
from caseflow.schemas.alerts import AlertPageSchema, AlertQueryArgs, AlertSchema
from caseflow.services import alerts

blp = Blueprint("alerts", __name__, description="Alerts: reminders, overdue work, escalations")


@blp.route("/alerts", methods=["GET"])
@blp.arguments(AlertQueryArgs, location="query")
@blp.response(200, AlertPageSchema)
def list_alerts(args):
    """List alerts addressed to the caller (by user, or by role within the caller's units)."""
    status = None if args["status"] == "all" else args["status"]
    return alerts.page_for(actor(), status, args["page"], args["per_page"], args.get("after"))


@blp.route("/alerts/<int:alert_id>/ack", methods=["POST"])
@blp.response(200, AlertSchema)
def acknowledge(alert_id):
    """Acknowledge an alert: seen; it closes by itself when its work is done."""
    return alerts.ack(actor(), alert_id)
