"""Long sequences a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield the items as lists of `size` (the last shorter): itertools.batched, which comes
    with Python 3.12, as lists."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk
