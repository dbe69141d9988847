"""Firing a claimed batch of households' deadlines as one set, in the caller's transaction.

A few statements per batch, whatever its size: the households locked in one query, the
deadlines marked fired in one (only those whose claim is still the caller's), then the alerts,
their outbox rows and the follow-on deadlines inserted in one statement each, and the automatic
transitions (graduation) planned by the domain and written by the one writer. A deadline whose
rule cannot be applied (its timer is gone, a guard refuses) is left claimed and handed back, for
the sweep to fire alone and record its failure; the others are not held up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import selectinload

from caseflow import clock
from caseflow.domain.engine import ends_deadline, transition_for, validate_payload
from caseflow.domain.planner import CLOCK, Move, plan_move
from caseflow.domain.statuses import AlertKind, DeadlineStatus
from caseflow.domain.workflow import TimerDef, WorkflowDef
from caseflow.extensions import db
from caseflow.models import Deadline, Household
from caseflow.models.base import utcnow
from caseflow.services import alerts, moves, outbox
from caseflow.services.definitions import business_calendar, workflow
from caseflow.services.inserts import insert_rows

SUPERVISOR = "supervisor"
#: a follow-on deadline is not added while one of its key is still to fire
LIVE = (DeadlineStatus.PENDING, DeadlineStatus.CLAIMED)
#: what firing reads of a household, and of a deadline
HOUSEHOLD = ("id", "state", "workflow", "workflow_version", "unit_id")
DEADLINE = ("id", "household_id", "key", "timer", "kind", "due_at", "state", "until_states")
DEADLINE += ("status", "claimed_until")
#: the deadlines a reminder's or an escalation's work is due by
KNOWN = (DeadlineStatus.PENDING, DeadlineStatus.CLAIMED, DeadlineStatus.FIRED)


@dataclass
class Fired:
    """What became of a set: each deadline's outcome (fired, cancelled, skipped) by id, and
    the claims to fire alone (`errors` says why, for those whose rule failed)."""

    outcomes: dict[int, str] = field(default_factory=dict)
    alone: list = field(default_factory=list)
    errors: dict[int, Exception] = field(default_factory=dict)


@dataclass
class Plan:
    """What firing the set writes, gathered before anything is."""

    alerts: list[tuple[str, Deadline, TimerDef, str]] = field(default_factory=list)
    follow_ons: list[tuple[Deadline, str, str, datetime]] = field(default_factory=list)
    moves: dict[int, Move] = field(default_factory=dict)
    cancelled: list[int] = field(default_factory=list)


def fire_set(claims: Sequence) -> Fired:
    """Fire these claimed deadlines of households together; the caller commits.

    Alerts and follow-ons go first, then the automatic transitions, as one at a time in due
    order would: a move reads the deadlines the alerts' firing left live, and closes what ends.
    """
    fired, plan = Fired(), Plan()
    by_id = {due.id: due for due in claims}
    households = _lock(sorted({due.household_id for due in claims}))
    together = _up_to_a_move(_rows(by_id), fired, by_id)
    automatic = []
    for row in together:
        if row.status != DeadlineStatus.CLAIMED or row.claimed_until != by_id[row.id].claimed_until:
            fired.outcomes[row.id] = "skipped"  # done, cancelled, or taken over meanwhile
            continue
        try:
            household = households.get(row.household_id)
            if household is None:
                raise LookupError(f"household {row.household_id} not found")
            if ends_deadline(household.state, row.state, _until(row)):
                plan.cancelled.append(row.id)
                continue
            definition = workflow(household.workflow, household.workflow_version)
            timer = timer_of(definition, row)
            if row.kind == "auto":
                automatic.append((row, household, definition, timer))
            else:
                KINDS[row.kind](plan, row, timer)
        # a rule that fails for one deadline (a timer gone from its workflow, a guard) is its
        # own: it is handed back to be fired alone, where its failure is recorded
        except Exception as error:  # noqa: BLE001
            fired.errors[row.id] = error
    later = {row.id for row, *_ in automatic}
    owned = _mark_fired(
        [r for r in together if r.id not in fired.errors and r.id not in later], by_id, fired
    )
    _write(plan, owned, households)
    fired.outcomes.update({i: DeadlineStatus.CANCELLED for i in plan.cancelled if i in owned})
    _plan_moves(automatic, plan, fired)
    moved = _mark_fired([r for r, *_ in automatic if r.id in plan.moves], by_id, fired)
    moves.write([move for deadline_id, move in plan.moves.items() if deadline_id in moved])
    fired.alone += [by_id[deadline_id] for deadline_id in fired.errors]
    return fired


def _lock(household_ids: list[int]) -> dict:
    """Lock the households before their deadlines, in the order transitions take them; read
    what firing needs (the whole household, with its unit, when messages will name them)."""
    if outbox.configured():
        query = db.select(Household).options(selectinload(Household.unit))
        query = query.execution_options(populate_existing=True)
        read = db.session.scalars
    else:
        query, read = db.select(*(getattr(Household, c) for c in HOUSEHOLD)), db.session.execute
    query = query.where(Household.id.in_(household_ids)).order_by(Household.id)
    return {household.id: household for household in read(query.with_for_update(of=Household))}


def _rows(by_id: dict) -> list:
    """The claimed deadlines as their rows say, in the order they fall due."""
    found = db.session.execute(
        db.select(*(getattr(Deadline, c) for c in DEADLINE)).where(Deadline.id.in_(list(by_id)))
    ).all()
    return sorted(found, key=lambda row: (row.due_at, row.id))


def _until(row) -> tuple[str, ...]:
    return tuple(s for s in row.until_states.split(",") if s)


def _up_to_a_move(rows: list[Deadline], fired: Fired, by_id: dict) -> list[Deadline]:
    """Keep a household's deadlines in the set up to its first automatic transition: what
    that moves decides what becomes of those due after it, so they are fired alone, after."""
    together, moving = [], set()
    for row in rows:
        if row.household_id in moving:
            fired.alone.append(by_id[row.id])
            continue
        if row.kind == "auto":
            moving.add(row.household_id)
        together.append(row)
    return together


def timer_of(definition: WorkflowDef, deadline: Deadline) -> TimerDef:
    """Return the workflow timer a deadline row comes from."""
    state = definition.states.get(deadline.state)
    timer = next((t for t in state.timers if t.key == deadline.timer), None) if state else None
    if timer is None:
        raise LookupError(
            f"{definition.name} v{definition.version} has no timer "
            f"'{deadline.timer}' in state '{deadline.state}'"
        )
    return timer


def _remind(plan: Plan, deadline: Deadline, timer: TimerDef) -> None:
    plan.alerts.append((AlertKind.REMINDER, deadline, timer, timer.notify))
    if deadline.key == timer.key and timer.due.unit == "annual":
        due_at = timer.due.apply(max(deadline.due_at, clock.now()), business_calendar())
        plan.follow_ons.append((deadline, timer.key, deadline.kind, due_at))


def _overdue(plan: Plan, deadline: Deadline, timer: TimerDef) -> None:
    plan.alerts.append((AlertKind.OVERDUE, deadline, timer, timer.notify))
    if timer.escalate_after is not None:
        due_at = timer.escalate_after.apply(deadline.due_at, business_calendar())
        plan.follow_ons.append((deadline, f"{timer.key}:escalate", "escalate", due_at))


def _escalate(plan: Plan, deadline: Deadline, timer: TimerDef) -> None:
    plan.alerts.append((AlertKind.ESCALATION, deadline, timer, SUPERVISOR))


def _repeat(plan: Plan, deadline: Deadline, timer: TimerDef) -> None:
    # the next occurrence is scheduled by doing the work (services.visits), not by the clock
    plan.alerts.append((AlertKind.REMINDER, deadline, timer, timer.notify))


KINDS = {"remind": _remind, "overdue": _overdue, "escalate": _escalate, "repeat": _repeat}


def _plan_moves(automatic: list, plan: Plan, fired: Fired) -> None:
    """Plan the automatic transitions as the clock, from the households read in one go."""
    if not automatic:
        return
    views = moves.views([household.id for _, household, _, _ in automatic])
    now, calendar, today = clock.now(), business_calendar(), clock.today()
    firing = {deadline.id for deadline, *_ in automatic}
    for deadline, household, definition, timer in automatic:
        try:
            transition = transition_for(definition, household.state, timer.trigger)
            payload = validate_payload(transition, {}, today)
            # the deadline that fires the move is no longer live: the move does not cancel it
            view = views[household.id]
            view = replace(view, live=tuple(d for d in view.live if d.id not in firing))
            plan.moves[deadline.id] = plan_move(
                view, definition, transition, payload, None, actor=CLOCK, now=now, calendar=calendar
            )
        except Exception as error:  # noqa: BLE001 - handed back, as in fire_set
            fired.errors[deadline.id] = error


def _mark_fired(rows: list[Deadline], by_id: dict, fired: Fired) -> set[int]:
    """Mark fired the deadlines whose claim is still the caller's; return their ids."""
    owned: set[int] = set()
    for claimed_until in {by_id[row.id].claimed_until for row in rows}:
        ids = [row.id for row in rows if by_id[row.id].claimed_until == claimed_until]
        owned.update(
            db.session.scalars(
                db.update(Deadline)
                .where(
                    Deadline.id.in_(ids),
                    Deadline.status == DeadlineStatus.CLAIMED,
                    Deadline.claimed_until == claimed_until,
                )
                .values(status=DeadlineStatus.FIRED, fired_at=clock.now(), claimed_until=None)
                .values(retry_at=None)
                .returning(Deadline.id)
                .execution_options(synchronize_session=False)
            ).all()
        )
    for row in rows:
        # not owned: done by a visit, cancelled by a transition, or taken over by another sweep
        fired.outcomes[row.id] = DeadlineStatus.FIRED if row.id in owned else "skipped"
    return owned


def _write(plan: Plan, owned: set[int], households: dict[int, Household]) -> None:
    cancelled = [i for i in plan.cancelled if i in owned]
    if cancelled:
        db.session.execute(
            db.update(Deadline)
            .where(Deadline.id.in_(cancelled))
            .values(status=DeadlineStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        alerts.close_for_deadlines(cancelled)
    raised = [a for a in plan.alerts if a[1].id in owned]
    due = _work_due(raised)
    alerts.raise_many(
        [
            {
                "kind": str(kind),
                "household_id": deadline.household_id,
                "deadline_id": deadline.id,
                "role": role,
                "unit_id": households[deadline.household_id].unit_id,
                "message": timer.message_vi or timer.key,
                "message_en": timer.message_en or None,
                "due_at": due.get((deadline.household_id, timer.key), deadline.due_at)
                if deadline.key != timer.key
                else deadline.due_at,
                "created_at": clock.now(),
                "status": "open",
            }
            for kind, deadline, timer, role in raised
        ],
        households,
    )
    _add_follow_ons([f for f in plan.follow_ons if f[0].id in owned])


def _work_due(raised: list) -> dict[tuple[int, str], datetime]:
    """When each reminder's or escalation's work is due: its own timer's latest row says."""
    pairs = {(d.household_id, t.key) for _, d, t, _ in raised if d.key != t.key}
    if not pairs:
        return {}
    rows = db.session.execute(
        db.select(Deadline.household_id, Deadline.key, Deadline.due_at)
        .where(
            Deadline.household_id.in_({h for h, _ in pairs}),
            Deadline.key.in_({k for _, k in pairs}),
            Deadline.status.in_(KNOWN),
        )
        .order_by(Deadline.id)
    )
    return {(r.household_id, r.key): r.due_at for r in rows if (r.household_id, r.key) in pairs}


def _add_follow_ons(follow_ons: list) -> None:
    """Add each follow-on deadline in its span, unless one of its key is still to fire."""
    if not follow_ons:
        return
    live = set(
        db.session.execute(
            db.select(Deadline.household_id, Deadline.key).where(
                Deadline.household_id.in_({d.household_id for d, _, _, _ in follow_ons}),
                Deadline.key.in_({key for _, key, _, _ in follow_ons}),
                Deadline.status.in_(LIVE),
            )
        ).all()
    )
    rows = []
    for after, key, kind, due_at in follow_ons:
        if (after.household_id, key) in live:
            continue
        live.add((after.household_id, key))
        rows.append(
            {
                "household_id": after.household_id,
                "key": key,
                "timer": after.timer,
                "kind": kind,
                "due_at": due_at,
                "state": after.state,
                "until_states": after.until_states,
                "status": DeadlineStatus.PENDING,
                "attempts": 0,
                "created_at": utcnow(),
            }
        )
    if rows:
        insert_rows(Deadline.__table__, rows)
