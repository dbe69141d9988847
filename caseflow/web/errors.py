"""Errors as pages: the API keeps its JSON envelope, people get a page in their language."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from caseflow.api.base import handle_domain_error, is_api_request
from caseflow.domain.errors import N_, DomainError
from caseflow.i18n import error_message, field_errors

logger = logging.getLogger(__name__)

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
    500: N_(
        "Something went wrong on our side; what you were doing was not saved. Try again, and "
        "if it happens again tell your administrator the time it happened."
    ),
}


def register(app: Flask) -> None:
    """Answer HTTP errors on pages with a page (the API's own handler stays for /api/)."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, server_error)


def server_error(error: InternalServerError):
    """A bug, not the reader's input: logged with its traceback, answered in their language."""
    logger.error(
        "Unhandled error on %s %s",
        request.method,
        request.path,
        exc_info=error.original_exception or error,
    )
    if is_api_request():
        from caseflow.api.base import error_response

        return error_response(500, "server_error", gettext(HTTP_MESSAGES[500]))
    return _page(500, gettext(HTTP_MESSAGES[500]))


def domain_error(error: DomainError):
    """A broken rule: the JSON envelope under /api/, else a page with the translated reason."""
    if is_api_request():
        return handle_domain_error(error)
    said = error_message(error)
    reasons = [
        str(m)
        for messages in field_errors(error).values()
        for m in (messages if isinstance(messages, list) else [messages])
    ]
    # a field's reason that repeats the message is said once
    return _page(error.status, " ".join(dict.fromkeys([said, *reasons])))


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
