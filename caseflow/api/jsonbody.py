"""Read a JSON body within limits that hold before any schema sees it.

A body nested a thousand deep, a number of five thousand digits or `1e999` would make the
parser or the code after it fail (RecursionError, ValueError, infinity); they are refused as a
bad body instead, with a reason.
"""

from __future__ import annotations

import json

from caseflow.domain.errors import N_, Msg
from caseflow.domain.inputs import MAX_DIGITS

#: deeper than any body of the API (a household's members are at depth 3)
MAX_DEPTH = 32


class BodyRefused(ValueError):
    """The body is not JSON caseflow reads; `message` says why."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message


def loads(data: bytes | str) -> object:
    """Parse a JSON body, refusing what is malformed, too deep or numbers too large."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text, parse_int=_whole, parse_float=_finite, parse_constant=_constant)
    except RecursionError:
        raise BodyRefused(_too_deep()) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BodyRefused(Msg(N_("The request body is not valid JSON."))) from None
    _check_depth(value)
    return value


def _whole(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BodyRefused(
            Msg(N_("A number in the body has more than %(digits)s digits."), digits=MAX_DIGITS)
        )
    return int(text)


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise BodyRefused(Msg(N_("A number in the body is too large.")))
    return number


def _constant(text: str) -> None:
    raise BodyRefused(Msg(N_("%(word)s is not a number JSON allows."), word=text))


def _check_depth(value: object) -> None:
    todo = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise BodyRefused(_too_deep())
        if isinstance(item, dict):
            todo.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            todo.extend((child, depth + 1) for child in item)


def _too_deep() -> Msg:
    return Msg(N_("The request body is nested deeper than %(depth)s levels."), depth=MAX_DEPTH)
