"""Logging in and out (sessions kept on the server; failed logins slowed down), changing one's
own password, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user

from caseflow.domain.errors import DomainError
from caseflow.i18n import error_message, field_errors
from caseflow.schemas.common import load_typed
from caseflow.schemas.others import TokenArgs
from caseflow.services import logins
from caseflow.web.casefile import attach
from caseflow.web.forms import LanguageForm, LoginForm, PasswordForm, TokenForm

bp = Blueprint("account", __name__)
#: the key of the Flask session that holds the token of the server-side session
SESSION_TOKEN = "login"


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the worklist: no open redirect."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or parts.scheme
        or parts.netloc
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("worklist.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Check the user name and password; repeated failures from one address wait."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.posted():
        return render_template("login.html", form=form), 422 if form.errors else 200
    try:
        asked = load_typed(TokenArgs(), form.body())
        user, token = logins.log_in(
            asked["username"], asked["password"], request.remote_addr or "-"
        )
    except DomainError as error:
        left = attach(form, field_errors(error))
        return (
            render_template("login.html", form=form, error=" ".join([error_message(error), *left])),
            error.status,
            getattr(error, "headers", {}),
        )
    _fresh_session(token)
    login_user(user)
    return redirect(safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server too: a copy of the cookie opens nothing afterwards."""
    if TokenForm().validate_on_submit():
        logins.log_out(session.get(SESSION_TOKEN))
        logout_user()
        _fresh_session()
        flash(gettext("You have logged out."), "info")
    return redirect(url_for("account.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; every other session of the user ends."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return render_template("password.html", form=form), 422 if form.errors else 200
    try:
        token = logins.change_own_password(current_user.id, form.current.data, form.new.data)
    except DomainError as error:
        field = form.current if "current" in error.fields else form.new
        field.errors = [error_message(error)]
        return render_template("password.html", form=form), error.status
    _fresh_session(token)
    login_user(current_user._get_current_object())
    flash(gettext("Your password has been changed. Other sessions have been logged out."), "info")
    return redirect(url_for("worklist.index"))


@bp.route("/language", methods=["POST"])
def language():
    """Switch the pages between Vietnamese and English, then go back where the user was."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))


def _fresh_session(token: str | None = None) -> None:
    """Start a new session on login and logout, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    if token:
        session[SESSION_TOKEN] = token
