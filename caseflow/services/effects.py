"""Named actions that change rows besides the household; run inside the transition's transaction.

The pure actions (household fields) live in caseflow.domain.guards.ACTIONS; these need the
database. A workflow file names either kind in a transition's `actions`.
"""

from __future__ import annotations

from collections.abc import Callable

from caseflow.domain import guards
from caseflow.extensions import db
from caseflow.models import Household, SupportItem


def approve_proposed_supports(household: Household) -> None:
    """The approved support plan approves the items it was made of."""
    db.session.execute(db.update(SupportItem).where(
        SupportItem.household_id == household.id, SupportItem.state == "proposed",
    ).values(state="approved", version=SupportItem.version + 1))


EFFECTS: dict[str, Callable[[Household], None]] = {
    "approve_proposed_supports": approve_proposed_supports,
}
if set(EFFECTS) != set(guards.EFFECTS):  # the domain names each effect; its body lives here
    raise RuntimeError(f"effects named but not implemented: {set(guards.EFFECTS) ^ set(EFFECTS)}")
