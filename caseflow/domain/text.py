"""Text folding for accent-insensitive search: "Nguyễn Thị Hoa" -> "nguyen thi hoa"."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return `text` lower-cased, without diacritics, with single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


def mask(value: str | None) -> str | None:
    """Keep the last three characters of a personal identifier: '0912345678' -> '*******678'."""
    if not value:
        return value
    return "*" * max(len(value) - 3, 0) + value[-3:]
