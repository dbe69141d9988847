"""Bearer tokens: issue one for a user name and password; revoke the one in use."""

from __future__ import annotations

from flask import g, request
from flask_login import current_user

from caseflow.api.base import Blueprint, error_response
from caseflow.schemas.others import TokenArgs, TokenSchema
from caseflow.services import logins, users

blp = Blueprint("auth", __name__, description="API tokens")

PUBLIC_ENDPOINTS = {"auth.Tokens"}


def require_token():
    """Refuse every API request without a valid bearer token (except asking for one)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return None
    # the caller is read for this request (users.user_for_token, detached from the session),
    # never taken over from an earlier request run in the same app context
    g.pop("_login_user", None)
    if not current_user.is_authenticated:
        return error_response(401, "unauthorized", "A valid bearer token is required.")
    return None


def bearer_token() -> str | None:
    """Return the token of the request's `Authorization: Bearer ...` header, if any."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.startswith("Bearer ") else None


@blp.route("/auth/tokens", methods=["POST"], endpoint="Tokens")
@blp.arguments(TokenArgs)
@blp.response(201, TokenSchema)
def create_token(args):
    """Exchange a user name and password for an API token (valid CASEFLOW_TOKEN_DAYS days).

    Repeated failures from one address wait before they are checked: 429 with Retry-After.
    """
    return {
        "token": logins.issue_token(args["username"], args["password"], request.remote_addr or "-")
    }


@blp.route("/auth/tokens/current", methods=["DELETE"], endpoint="CurrentToken")
@blp.response(204)
def revoke_current_token():
    """Revoke the token this request was sent with; it is refused (401) from now on."""
    users.revoke_token(bearer_token())


def actor():
    return current_user._get_current_object()
