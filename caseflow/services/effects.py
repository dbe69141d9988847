"""Named actions that change rows besides the household; written with the moves that name them.

The pure actions (household fields) live in caseflow.domain.guards.ACTIONS; these need the
database. Each takes every move of a batch that names it, and reads what the move pinned in
its payload (caseflow.domain.guards.EFFECTS), so that it acts on exactly what was approved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from caseflow.domain import guards
from caseflow.extensions import db
from caseflow.models import SupportItem


def approve_proposed_supports(moves: Sequence) -> None:
    """The approved support plan approves the items it was asked for, and only those."""
    ids = [i for move in moves for i in move.event["data"].get("support_items", ())]
    if ids:
        db.session.execute(
            db.update(SupportItem)
            .where(
                SupportItem.id.in_(ids),
                SupportItem.state == "proposed",
            )
            .values(state="approved", version=SupportItem.version + 1)
        )


EFFECTS: dict[str, Callable[[Sequence], None]] = {
    "approve_proposed_supports": approve_proposed_supports,
}
if set(EFFECTS) != set(guards.EFFECTS):  # the domain names each effect; its body lives here
    raise RuntimeError(f"effects named but not implemented: {set(guards.EFFECTS) ^ set(EFFECTS)}")
