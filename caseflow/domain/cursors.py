"""Keyset cursors: where a list's next page starts, as an opaque text for `?after=`."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

#: a cursor holds the sort key of the last row shown: a few integers or texts
MAX_PARTS = 4
MAX_LENGTH = 200


def encode(key: Sequence[int | str]) -> str:
    """Return the cursor of a row whose sort key is `key`."""
    body = json.dumps(list(key), separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(body.encode("ascii")).decode("ascii").rstrip("=")


def decode(cursor: str) -> list[int | str]:
    """Return the sort key a cursor holds; ValueError when it is not one of ours."""
    if not cursor or len(cursor) > MAX_LENGTH:
        raise ValueError("not a cursor")
    try:
        body = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(body.decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("not a cursor") from error
    if (
        not isinstance(key, list)
        or not 0 < len(key) <= MAX_PARTS
        or not all(isinstance(part, int | str) and not isinstance(part, bool) for part in key)
    ):
        raise ValueError("not a cursor")
    return key
