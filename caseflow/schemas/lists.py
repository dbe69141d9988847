"""Long lists' queries and pages: `after` (a keyset cursor) beside `page`, and `next`."""

from __future__ import annotations

from marshmallow import Schema, fields

from caseflow.domain.cursors import MAX_LENGTH
from caseflow.schemas.common import PageArgs, Text


class KeysetPageArgs(PageArgs):
    #: the `next` of the previous page: the page after its last row (then `page` is ignored)
    after = Text(MAX_LENGTH)


def keyset_page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a long list's page of `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Integer(),
            #: false when `total` is past the bound: an estimate (PostgreSQL) or the bound
            "total_exact": fields.Boolean(),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            #: the cursor of the next page (`?after=`), null on the last page
            "next": fields.String(allow_none=True),
        },
        name=name,
    )
