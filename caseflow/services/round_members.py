"""A round's list: the households put on it, by id or code (those who asked with form 01 or
04) or all the unit's listed ones; one open round per household."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from caseflow import clock
from caseflow.domain.errors import N_, Msg
from caseflow.domain.rounds import RoundKind, request_form
from caseflow.extensions import db
from caseflow.models import Event, Household, ReviewRound, RoundHousehold, Unit, User
from caseflow.services import transaction
from caseflow.services.access import WRITERS, require_role, storable_id
from caseflow.services.rounds import CHUNK, open_round

#: the states of the households on a unit's lists (poor and near-poor, and newly out)
LISTED_STATES = ("recognised", "supported", "follow_up")


@dataclass
class Added:
    """What adding households did: how many joined, and why the others did not."""

    added: int = 0
    skipped: list[tuple[int | None, Msg]] = field(default_factory=list)


def add_households(
    actor: User,
    round_id: int,
    *,
    household_ids: Sequence[int] | None = None,
    household_codes: Sequence[str] | None = None,
    listed: bool = False,
    form: str | None = None,
) -> Added:
    """Put households on the round's list: those given by id or code (who asked with form 01
    or 04), or every listed household of the unit. One open round per household; the others
    are skipped, with the reason."""
    require_role(actor, *WRITERS)
    with transaction():
        found = open_round(actor, round_id)
        result = Added()
        wanted = list(dict.fromkeys(household_ids or ()))
        if household_codes:
            wanted, unknown = _by_codes(actor, found, household_codes)
            result.skipped += [
                (None, Msg(N_("No household with code %(code)s here."), code=c)) for c in unknown
            ]
        candidates = _listed(actor, found) if listed else _given(actor, found, wanted)
        if not listed:
            missing = [i for i in wanted if i not in candidates]
            result.skipped += [(i, Msg(N_("Household %(id)s not found."), id=i)) for i in missing]
        busy = _in_open_rounds(list(candidates))
        rows = []
        for household_id, household in candidates.items():
            if household_id in busy:
                other = busy[household_id]
                reason = (
                    Msg(N_("Already on this round's list."))
                    if other == found.id
                    else Msg(N_("Already on the list of round %(id)s, still open."), id=other)
                )
                result.skipped.append((household_id, reason))
                continue
            rows.append(_member_row(actor, found, household, form))
        _since(rows)
        if rows:
            db.session.execute(insert(RoundHousehold), rows)
        result.added = len(rows)
    return result


def _by_codes(actor: User, found: ReviewRound, codes: Sequence[str]) -> tuple[list[int], list[str]]:
    """The ids of the households with these codes in the round's unit, and the unknown codes."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes))
    known: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(Household.code, Household.id)
            .join(Unit, Unit.id == Household.unit_id)
            .where(
                Household.code.in_(wanted[start : start + CHUNK]),
                Unit.path.startswith(found.unit.path, autoescape=True),
            )
        )
        if actor.scope_path:
            query = query.where(Unit.path.startswith(actor.scope_path, autoescape=True))
        known.update(db.session.execute(query).all())
    return [known[c] for c in wanted if c in known], [c for c in wanted if c not in known]


def _listed(actor: User, found: ReviewRound) -> dict[int, tuple]:
    return _households(actor, found, Household.state.in_(LISTED_STATES))


def _given(actor: User, found: ReviewRound, ids: Sequence[int]) -> dict[int, tuple]:
    found_rows: dict[int, tuple] = {}
    usable = [i for i in ids if storable_id(i)]
    for start in range(0, len(usable), CHUNK):
        found_rows.update(
            _households(actor, found, Household.id.in_(usable[start : start + CHUNK]))
        )
    return found_rows


def _households(actor: User, found: ReviewRound, condition) -> dict[int, tuple]:
    """The households of the round's unit meeting `condition` that the actor may see."""
    query = (
        select(Household.id, Household.classification)
        .join(Unit, Unit.id == Household.unit_id)
        .where(Unit.path.startswith(found.unit.path, autoescape=True), condition)
    )
    if actor.scope_path:
        query = query.where(Unit.path.startswith(actor.scope_path, autoescape=True))
    return {row.id: tuple(row) for row in db.session.execute(query.order_by(Household.id))}


def _in_open_rounds(ids: list[int]) -> dict[int, int]:
    busy: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        busy.update(
            db.session.execute(
                select(RoundHousehold.household_id, RoundHousehold.round_id).where(
                    RoundHousehold.household_id.in_(ids[start : start + CHUNK]),
                    RoundHousehold.active.is_(True),
                )
            ).all()
        )
    return busy


def _member_row(actor: User, found: ReviewRound, household: tuple, form: str | None) -> dict:
    household_id, classification = household
    regular = found.kind == RoundKind.REGULAR
    form = (form or request_form(classification)) if regular else None
    return {
        "round_id": found.id,
        "household_id": household_id,
        "form": form,
        "active": True,
        "since_event_id": 0,
        "classification_before": classification,
        "added_by": actor.username,
        "added_at": clock.now(),
    }


def _since(rows: list[dict]) -> None:
    """Mark where each household's history stands: the round's decisions come after."""
    ids = [row["household_id"] for row in rows]
    latest: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        latest.update(
            db.session.execute(
                select(Event.household_id, func.max(Event.id))
                .where(Event.household_id.in_(ids[start : start + CHUNK]))
                .group_by(Event.household_id)
            ).all()
        )
    for row in rows:
        row["since_event_id"] = latest.get(row["household_id"], 0)
