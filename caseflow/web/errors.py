"""Errors as pages: the API keeps its JSON envelope, people get a page in their language."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from caseflow.api.base import handle_domain_error, is_api_request
from caseflow.domain.errors import N_, DomainError
from caseflow.i18n import error_message

HTTP_MESSAGES = {
    400: N_(
        "The form could not be accepted: it has expired or did not come from this site. "
        "Go back, reload the page and send it again."
    ),
    403: N_("Your role may not open this page."),
    404: N_("This page does not exist, or it is outside your units."),
    405: N_("This address does not accept that kind of request."),
    413: N_("What you sent is too large."),
    429: N_("Too many attempts; wait a while and try again."),
}


def register(app: Flask) -> None:
    """Answer HTTP errors on pages with a page (the API's own handler stays for /api/)."""
    app.register_error_handler(HTTPException, http_error)


def domain_error(error: DomainError):
    """A broken rule: the JSON envelope under /api/, else a page with the translated reason."""
    if is_api_request():
        return handle_domain_error(error)
    return _page(error.status, error_message(error))


def http_error(error: HTTPException):
    from caseflow.extensions import api

    if is_api_request():
        return api.handle_http_exception(error)
    status = error.code or 500
    message = HTTP_MESSAGES.get(status)
    if message is None:
        return error
    return _page(status, gettext(message))


def _page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status
