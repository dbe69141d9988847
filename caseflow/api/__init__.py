"""JSON blueprints under /api/v1: parse, call one service, dump."""

from __future__ import annotations

from flask import Flask

BLUEPRINTS = (
    "auth",
    "households",
    "approvals",
    "catalogue",
    "alerts",
    "visits",
    "rounds",
    "imports",
    "reports",
    "reports_up",
    "whatif",
)


def register(app: Flask) -> None:
    """Attach every API blueprint to the app's Api."""
    from importlib import import_module

    from caseflow.extensions import api, csrf

    for name in BLUEPRINTS:
        blueprint = import_module(f"caseflow.api.{name}").blp
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        csrf.exempt(blueprint)
