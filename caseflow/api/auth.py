"""Bearer tokens: issue one for a user name and password."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.api.base import error_response
from caseflow.schemas.others import TokenArgs, TokenSchema
from caseflow.services import users

blp = Blueprint("auth", __name__, description="API tokens")

PUBLIC_ENDPOINTS = {"auth.Tokens"}


def require_token():
    """Refuse every API request without a valid bearer token (except asking for one)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return None
    if not current_user.is_authenticated:
        return error_response(401, "unauthorized", "A valid bearer token is required.")
    return None


@blp.route("/auth/tokens", methods=["POST"], endpoint="Tokens")
@blp.arguments(TokenArgs)
@blp.response(201, TokenSchema)
def create_token(args):
    """Exchange a user name and password for an API token."""
    return {"token": users.issue_token(args["username"], args["password"],
                                       request.remote_addr or "-")}


def actor():
    return current_user._get_current_object()
