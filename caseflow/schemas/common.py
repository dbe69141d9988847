"""Shared schema pieces: strict input, past dates, pages."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from caseflow import clock


class StrictArgs(Schema):
    """Input: unknown fields are refused, naming them."""

    class Meta:
        unknown = RAISE


def not_future(value):
    if value > clock.today():
        raise ValidationError("A date cannot be in the future.")


class PageArgs(StrictArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a page of `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }, name=name)
