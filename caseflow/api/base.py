"""The flask-smorest Api, with every error in the envelope of API.md."""

from __future__ import annotations

import marshmallow as ma
from flask import jsonify, request
from flask_babel import gettext
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from caseflow.domain.errors import DomainError

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "bad_request",
         422: "invalid_fields", 429: "too_many_requests"}


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   extra: dict | None = None):
    """Return the JSON error envelope of API.md (`extra`: members some errors add)."""
    body = {"status": status, "code": code, "message": message, "fields": fields or {}}
    return jsonify({"error": {**body, **(extra or {})}}), status


def translate(error: DomainError) -> str:
    """Return the error's message in the request's language."""
    try:
        return gettext(error.template, **error.params) if error.params else gettext(error.template)
    except (KeyError, ValueError, TypeError):
        return error.message


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _flatten(messages: object) -> dict:
    """webargs nests messages by location ({"json": {...}}); keep the field level."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files",
                                                        "headers", "view_args", "path"}:
        merged: dict = {}
        for part in messages.values():
            merged.update(part if isinstance(part, dict) else {"_schema": part})
        return merged
    return messages if isinstance(messages, dict) else {"_schema": messages}


class ErrorBodySchema(ma.Schema):
    status = ma.fields.Integer(metadata={"description": "HTTP status"})
    code = ma.fields.String(metadata={"description": "what went wrong, e.g. guard_failed"})
    message = ma.fields.String(metadata={"description": "why, in the request's language"})
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw(),
                            metadata={"description": "field name: its problems"})
    household_id = ma.fields.Integer(allow_none=True, metadata={
        "description": "duplicate_national_id, possible_duplicate: the household already "
                       "registered (null when it lies outside the caller's units)"})


class ErrorSchema(ma.Schema):
    """The error envelope of every API answer that is not a success."""

    error = ma.fields.Nested(ErrorBodySchema)


class CaseflowApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        if not wants_json():
            return error
        data = getattr(error, "data", None) or {}
        fields = _flatten(data.get("messages") or data.get("errors") or {})
        status = error.code or 500
        message = data.get("message") or (
            "Some fields are missing or wrong." if status == 422 else error.description
        )
        if status == 400 and not data.get("message"):
            message = "The request body is not valid JSON."
        response, status = error_response(status, CODES.get(status, "error"), message, fields)
        for name, value in error.get_headers():  # e.g. Allow on 405
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status


def handle_domain_error(error: DomainError):
    """Turn a domain error into the JSON envelope (API) and let pages handle their own."""
    return error_response(error.status, error.code, translate(error), error.fields,
                          getattr(error, "extra", None))
