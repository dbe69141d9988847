"""Logging in and out (Flask-Login sessions; failed logins throttled) and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from caseflow.domain.errors import DomainError
from caseflow.services import users
from caseflow.web.forms import LanguageForm, LoginForm, TokenForm
from caseflow.web.i18n import error_message

bp = Blueprint("account", __name__)


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the worklist: no open redirect."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or parts.scheme or parts.netloc or any(ord(c) < 32 for c in target)):
        return url_for("worklist.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Check the user name and password; too many failures from a name or address wait."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("login.html", form=form), 422 if form.errors else 200
    try:
        user = users.authenticate(form.username.data, form.password.data,
                                  request.remote_addr or "-")
    except DomainError as error:
        return render_template("login.html", form=form, error=error_message(error)), error.status
    _fresh_session()
    login_user(user)
    return redirect(safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    if TokenForm().validate_on_submit():
        logout_user()
        _fresh_session()
        flash(gettext("You have logged out."), "info")
    return redirect(url_for("account.login"))


@bp.route("/language", methods=["POST"])
def language():
    """Switch the pages between Vietnamese and English, then go back where the user was."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))


def _fresh_session() -> None:
    """Start a new session on login and logout, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
