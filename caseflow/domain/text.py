"""Text folding for accent-insensitive search: "Nguyễn Thị Hoa" -> "nguyen thi hoa"."""

from __future__ import annotations

import unicodedata


class _Marks(dict):
    """str.translate's table: a combining mark (category Mn) to nothing, any other character
    to itself, each worked out the first time it is met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, with single spaces."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join(decomposed.translate(_MARKS).lower().split())


def mask(value: str | None) -> str | None:
    """Keep the last three characters of a personal identifier: '0912345678' -> '*******678'."""
    if not value:
        return value
    return "*" * max(len(value) - 3, 0) + value[-3:]
