"""No duplicate by accident: the refusals, and how a household registered twice is told.

The same head (folded name and birth date) in the same village of the same unit is probably
the same household, so registering it asks for confirmation; a national ID number belongs to
one household only, so a second one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from caseflow.domain.errors import Conflict, DomainError
from caseflow.domain.text import fold

HEAD = "head"


class DuplicateNationalId(Conflict):
    """Another household already holds this national ID number."""

    code = "duplicate_national_id"

    def __init__(self, message: str, *, household_id: int | None, **kwargs):
        super().__init__(message, **kwargs)
        self.household_id = household_id
        #: more members of the API's error body
        self.extra = {"household_id": household_id}


class PossibleDuplicate(Conflict):
    """A household with the same head and village is registered: confirm it is another."""

    code = "possible_duplicate"

    def __init__(self, message: str, *, household_id: int, **kwargs):
        super().__init__(message, **kwargs)
        self.household_id = household_id
        self.extra = {"household_id": household_id}


class KeyReused(DomainError):
    """An idempotency key was sent again with another request."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Identity:
    """What tells a household from another in a unit: its head and its village, folded."""

    unit_id: int
    head_name: str
    head_born: date | None
    village: str

    def matches(self, other: Identity) -> bool:
        """Tell whether `other` is probably the same household (never on an unknown date)."""
        return self.head_born is not None and self == other


def head_birth_date(members: Sequence[Mapping]) -> date | None:
    """Return the birth date of the member who is the head, else of the first member."""
    head = next((m for m in members if m.get("relation") == HEAD), None)
    if head is None and members:
        head = members[0]
    return head.get("birth_date") if head is not None else None


def identity(
    unit_id: int, head_name: str, village: str | None, members: Sequence[Mapping]
) -> Identity:
    """Return a household's identity from its facts and members."""
    return Identity(unit_id, fold(head_name), head_birth_date(members), fold(village or ""))
