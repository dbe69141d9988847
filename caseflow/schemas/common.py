"""Shared schema pieces: strict input, past dates, pages."""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from caseflow import clock

#: the largest integer the database columns hold (PostgreSQL integer); money and scores too
MAX_INT = 2_147_483_647
#: pages beyond this are refused rather than turned into an offset the database cannot hold
MAX_PAGE = 1_000_000


class StrictArgs(Schema):
    """Input: unknown fields are refused, naming them; so are NUL characters."""

    class Meta:
        unknown = RAISE

    @pre_load
    def refuse_nul(self, data, **kwargs):
        # PostgreSQL cannot store NUL in text: name the field instead of failing on write
        if isinstance(data, Mapping):
            bad = sorted(str(k) for k, v in data.items() if _has_nul(k) or _has_nul(v))
            if bad:
                raise ValidationError({name: ["Must not contain NUL characters."]
                                       for name in bad})
        return data


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def not_future(value):
    if value > clock.today():
        raise ValidationError("A date cannot be in the future.")


def not_blank(value: str):
    if not value.strip():
        raise ValidationError("Must not be blank.")


class PageArgs(StrictArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a page of `item_schema`."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema)),
        "total": fields.Integer(),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    }, name=name)
