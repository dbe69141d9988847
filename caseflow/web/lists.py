"""Long lists on pages: the page or the cursor a link asks for, by the API's rules."""

from __future__ import annotations

from flask import request

from caseflow.schemas.common import load_typed
from caseflow.schemas.lists import KeysetPageArgs


def keyset_args() -> dict:
    """Return `page` and `after` of the link (?page=, ?after=), checked as the API checks them."""
    given = {"page": request.args.get("page", "1")}
    if request.args.get("after"):
        given["after"] = request.args["after"]
    found = load_typed(KeysetPageArgs(), given)
    return {"page": found["page"], "after": found.get("after")}
