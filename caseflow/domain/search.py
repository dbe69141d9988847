"""What a household is found by: the folded text of its names, code, phone and national ID."""

from __future__ import annotations

from collections.abc import Iterable

from caseflow.domain.text import fold

#: LIKE's wildcards and the escape: a word holding one is matched literally, by a scan
WILDCARDS = frozenset("%_/\\")


def searched_words(q: str | None) -> list[str]:
    """Return the folded words of a search, each to be found somewhere in the text."""
    return fold(q or "").split()


#: trigrams: a shorter word cannot be looked up in the index
SHORTEST_INDEXED = 3


def indexed(word: str) -> bool:
    """Tell whether the index answers `word`: three characters or more, and no wildcard."""
    return len(word) >= SHORTEST_INDEXED and not WILDCARDS.intersection(word)


def document(
    head_name: str,
    code: str | None,
    phone: str | None,
    national_id: str | None,
    member_names: Iterable[str] = (),
) -> str:
    """Return the text a household is found by: "0912 345 678" is found as "0912345678" too."""
    parts = [head_name, *member_names, code, phone, national_id]
    if phone and not phone.isdigit():
        parts.append("".join(c for c in phone if c.isdigit()))
    return " | ".join(fold(part) for part in parts if part)
