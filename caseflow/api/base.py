"""The flask-smorest Api, with every error in the envelope of API.md."""

from __future__ import annotations

import marshmallow as ma
from flask import jsonify, request
from flask_babel import gettext
from flask_smorest import Api, abort
from flask_smorest import Blueprint as SmorestBlueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException

from caseflow.api import jsonbody
from caseflow.domain.errors import N_, DomainError
from caseflow.i18n import error_message, render, render_fields

API_PREFIX = "/api/"
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "bad_request",
    422: "invalid_fields",
    429: "too_many_requests",
}


def error_response(
    status: int, code: str, message: str, fields: dict | None = None, extra: dict | None = None
):
    """Return the JSON error envelope of API.md (`extra`: members some errors add)."""
    body = {"status": status, "code": code, "message": message, "fields": fields or {}}
    return jsonify({"error": {**body, **(extra or {})}}), status


def error_body(error: DomainError) -> dict:
    """Return the envelope's body of a domain error, in the request's language."""
    return {
        "status": error.status,
        "code": error.code,
        "message": error_message(error),
        "fields": render_fields(error.fields),
    }


def is_api_request() -> bool:
    """Tell whether this request is one of the JSON API's (the pages answer with pages)."""
    return request.path.startswith(API_PREFIX)


class CheckedParser(FlaskParser):
    """webargs' parser, reading JSON bodies with caseflow.api.jsonbody's limits."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return jsonbody.loads(req.get_data(cache=True))
        except jsonbody.BodyRefused as refused:
            abort(
                400, message=render(refused.message), messages={"json": [render(refused.message)]}
            )


def _flatten(messages: object) -> dict:
    """webargs nests messages by location ({"json": {...}}); keep the field level."""
    if isinstance(messages, dict) and set(messages) <= {
        "json",
        "query",
        "form",
        "files",
        "headers",
        "view_args",
        "path",
    }:
        merged: dict = {}
        for part in messages.values():
            merged.update(part if isinstance(part, dict) else {"_schema": part})
        return merged
    return messages if isinstance(messages, dict) else {"_schema": messages}


class ErrorBodySchema(ma.Schema):
    status = ma.fields.Integer(metadata={"description": "HTTP status"})
    code = ma.fields.String(metadata={"description": "what went wrong, e.g. guard_failed"})
    message = ma.fields.String(metadata={"description": "why, in the request's language"})
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={"description": "field name: its problems"},
    )
    household_id = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "duplicate_national_id, possible_duplicate: the household already "
            "registered (null when it lies outside the caller's units)"
        },
    )


class ErrorSchema(ma.Schema):
    """The error envelope of every API answer that is not a success."""

    error = ma.fields.Nested(ErrorBodySchema)


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint, reading bodies with the checked parser."""

    ARGUMENTS_PARSER = CheckedParser()


class CaseflowApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return error
        data = getattr(error, "data", None) or {}
        fields = render_fields(_flatten(data.get("messages") or data.get("errors") or {}))
        status = error.code or 500
        message = data.get("message") or (
            gettext(N_("Some fields are missing or wrong.")) if status == 422 else error.description
        )
        if status == 400 and not data.get("message"):
            message = gettext(N_("The request body is not valid JSON."))
        if status == 413:
            message = gettext(
                "The request body is larger than the limit of %(mb)s MB.",
                mb=(request.max_content_length or 0) // (1024 * 1024),
            )
        response, status = error_response(status, CODES.get(status, "error"), message, fields)
        for name, value in error.get_headers():  # e.g. Allow on 405
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status


def handle_domain_error(error: DomainError):
    """Turn a domain error into the JSON envelope (API) and let pages handle their own."""
    body = error_body(error)
    response, status = error_response(
        error.status, error.code, body["message"], body["fields"], getattr(error, "extra", None)
    )
    response.headers.update(getattr(error, "headers", {}))  # e.g. Retry-After on 429
    return response, status
