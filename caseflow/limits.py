"""How large a request body may be: MAX_CONTENT_LENGTH for every request, more for uploads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request

View = TypeVar("View", bound=Callable)


def accepts_upload(view: View) -> View:
    """Let `view` take bodies up to CASEFLOW_UPLOAD_MAX_MB (a spreadsheet to import).

    Put it right under the route decorator. The limit is set before any other hook reads the
    body (CSRF included), so a form posted to the view is measured against the larger limit.
    """
    view.accepts_upload = True
    return view


def init_app(app: Flask) -> None:
    """Apply the upload limit to views marked with accepts_upload; call before other hooks."""
    app.before_request(_apply_upload_limit)


def _apply_upload_limit() -> None:
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "accepts_upload", False):
        request.max_content_length = current_app.config["CASEFLOW_UPLOAD_MAX_BYTES"]
