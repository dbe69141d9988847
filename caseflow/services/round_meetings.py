"""A village meeting (họp bình xét), through the one move path: each household agreed and
posted, or sent back to survey, as its agreement calls for; the minutes kept as a row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from caseflow import clock
from caseflow.domain.errors import N_, Conflict, Msg
from caseflow.domain.rounds import AGREE, meeting_trigger
from caseflow.extensions import db
from caseflow.models import RoundMeeting, User
from caseflow.services import bulk, moves, round_roster, rounds, transaction
from caseflow.services.access import require_role
from caseflow.services.bulk import Order, Result
from caseflow.services.definitions import business_calendar, workflow
from caseflow.services.round_steps import CASE_WORKER, _in_order, _open, _targets


@dataclass
class Meeting:
    """A village meeting as recorded: its row, and each household's outcome."""

    row: RoundMeeting
    results: list[dict] = field(default_factory=list)


def hold_meeting(actor: User, round_id: int, fields: Mapping) -> Meeting:
    """Record one village meeting: `agree` or `disagree` per household as its agreement calls
    for; the minutes are kept as a row. Refused when no household could be moved."""
    require_role(actor, CASE_WORKER)
    found = rounds.get_round(actor, round_id)
    _open(found)
    key = round_roster.resolve_village(found, fields["village"])
    agreements = {r["household_id"]: r["agreement_pct"] for r in fields["results"]}
    targets, refused = _targets(actor, found, fields["village"], list(agreements), None)
    posted_on = fields.get("posted_on") or clock.today()
    views = moves.views(targets, actor)
    calendar = business_calendar()
    orders = []
    for household_id in targets:
        view = views.get(household_id)
        trigger = (
            meeting_trigger(
                workflow(view.workflow, view.workflow_version),
                view.facts,
                agreements[household_id],
                calendar,
            )
            if view is not None
            else AGREE
        )
        data = {"meeting_on": fields["meeting_on"], "agreement_pct": agreements[household_id]}
        if trigger == AGREE:
            data["posted_on"] = posted_on
        orders.append(Order(household_id, trigger, data))
    moved = bulk.fire_all(actor, orders, each=True) if orders else []
    triggers = {o.household_id: o.trigger for o in orders}
    results = _in_order(list(agreements), moved + refused)
    outcomes = [_outcome(r, triggers.get(r.household_id), agreements) for r in results]
    if not any(o["outcome"] != "refused" for o in outcomes):
        raise _nothing_moved(results)
    with transaction():
        row = RoundMeeting(
            round_id=found.id,
            village=key,
            meeting_on=fields["meeting_on"],
            posted_on=posted_on,
            attendees=fields.get("attendees"),
            present=fields.get("present"),
            chaired_by=fields.get("chaired_by"),
            secretary=fields.get("secretary"),
            results=[{k: v for k, v in o.items() if k != "error"} | _stored(o) for o in outcomes],
            recorded_by=actor.username,
            recorded_at=clock.now(),
        )
        db.session.add(row)
    return Meeting(row, outcomes)


def _outcome(result: Result, trigger: str | None, agreements: Mapping) -> dict:
    if result.status == "applied":
        outcome = "agreed" if trigger == AGREE else "disagreed"
    else:
        outcome = "refused"
    return {
        "household_id": result.household_id,
        "agreement_pct": agreements.get(result.household_id),
        "outcome": outcome,
        "error": result.error,
    }


def _stored(outcome: dict) -> dict:
    error = outcome["error"]
    return {"error": None if error is None else {"code": error.code, "message": error.message}}


def _nothing_moved(results: Sequence[Result]) -> Conflict:
    error = Conflict(
        N_(
            "No household of this meeting could be moved, so no minutes were kept: "
            "see each household's reason."
        ),
        fields={
            str(r.household_id): [Msg(r.error.template, **r.error.params)]
            for r in results
            if r.error is not None
        },
    )
    return error
