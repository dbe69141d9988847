"""Server-rendered pages over the same services as the API: parse a form, call one service,
render. Vietnamese by default, English on a switch; no page needs JavaScript."""

from __future__ import annotations

from importlib import import_module

from flask import Flask, Response, flash, has_request_context, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

BLUEPRINTS = (
    "auth",
    "worklist",
    "households",
    "approvals",
    "alerts",
    "workflow",
    "dashboard",
    "standards",
    "rounds",
    "round_work",
    "imports",
    "reports",
    "reports_up",
    "whatif",
)
STATIC_MAX_AGE = 365 * 24 * 3600
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def register(app: Flask) -> None:
    """Attach the page blueprints, the page helpers, the login settings and the headers."""
    from caseflow import i18n
    from caseflow.extensions import login
    from caseflow.web import errors

    protected = set()
    for name in BLUEPRINTS:
        blueprint = import_module(f"caseflow.web.{name}").bp
        if name != "auth":
            protected.add(blueprint.name)
        app.register_blueprint(blueprint)
    # on the app, not the shared blueprint objects, so that a second app can be built
    app.before_request(lambda: _require_login() if request.blueprint in protected else None)
    i18n.register(app)
    errors.register(app)
    login.login_view = "account.login"
    login.unauthorized_handler(_to_login)
    app.context_processor(_layout)
    app.after_request(_headers)


def _layout() -> dict:
    """What the base layout needs on every page, made only when the layout asks for it."""
    if not has_request_context():
        return {}
    from caseflow.i18n import lang
    from caseflow.services import alerts
    from caseflow.services.access import WRITERS
    from caseflow.web.forms import LanguageForm, TokenForm

    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return {
        "language_form": lambda: LanguageForm(
            formdata=None, next=here, lang="en" if lang() == "vi" else "vi"
        ),
        "logout_form": lambda: TokenForm(formdata=None),
        "open_alerts": lambda: alerts.count_open(current_user),
        "writer": current_user.is_authenticated and current_user.role in WRITERS,
    }


def _require_login():
    if not current_user.is_authenticated:
        return _to_login()
    return None


def _to_login():
    """Send an anonymous visitor to the login page, remembering where they were going."""
    flash(gettext("Please log in to see this page."), "info")
    return redirect(url_for("account.login", next=request.full_path.rstrip("?")))


def _headers(response: Response) -> Response:
    """Cache static files for long (their URLs carry a hash); keep pages private and framed out."""
    if request.path.startswith("/api/"):
        return response
    if request.endpoint == "static" and request.args.get("v"):
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        return response
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
