"""Whole lists at once: a village's reviews and surveys, with the engine's rules per household.

The rules are the same as for one household (caseflow.domain.engine); only the writing is
batched: one SELECT per chunk and executemany INSERT/UPDATE, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, insert, update

from caseflow import clock
from caseflow.domain.classification import ClassificationError, classify, explain
from caseflow.domain.engine import check_guards, deadline_changes, transition_for
from caseflow.domain.errors import N_, Forbidden, InvalidInput, NotFound, StaleVersion
from caseflow.domain.guards import CaseFacts
from caseflow.domain.standards import standard_in_force
from caseflow.extensions import db
from caseflow.models import (
    Approval,
    Assessment,
    Deadline,
    Event,
    Household,
    SupportItem,
    Unit,
    User,
)
from caseflow.services import alerts, transaction
from caseflow.services.access import WRITERS, require_role, scoped
from caseflow.services.cases import LIVE, SYSTEM, deadline_row, event_row, validate
from caseflow.services.definitions import business_calendar, standards, workflow

CHUNK = 1000
CLASSIFY = "classify"


@dataclass
class Case:
    """The columns of a household that the rules read, as a plain mutable record."""

    id: int
    unit_id: int
    area: str
    state: str
    classification: str | None
    proposed_classification: str | None
    version: int
    workflow: str
    workflow_version: int
    pending: list = field(default_factory=list)


@dataclass
class Writes:
    """Rows a chunk will write, gathered before anything is written."""

    events: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    new_deadlines: list[dict] = field(default_factory=list)
    ended_deadlines: list[int] = field(default_factory=list)
    #: household id -> the state it enters (the last, if it moves twice)
    moves: dict[int, str] = field(default_factory=dict)


def fire_many(actor: User, household_ids: Sequence[int], trigger: str,
              data: Mapping | None = None, reason: str | None = None) -> int:
    """Fire one trigger on every listed household, all or nothing; return how many moved."""
    require_role(actor, *WRITERS)
    with transaction():
        for chunk in _chunks(list(dict.fromkeys(household_ids))):
            writes = Writes()
            for household in _load(actor, chunk).values():
                _plan_transition(actor, household, trigger, dict(data or {}), reason, writes)
            _write(writes)
    return len(set(household_ids))


def record_surveys(actor: User, surveys: Iterable[Mapping]) -> int:
    """Record many surveys (each with `household_id`); households under review get classified."""
    require_role(actor, *WRITERS)
    count = 0
    with transaction():
        for chunk in _chunks(list(surveys)):
            by_id = _load(actor, [s["household_id"] for s in chunk])
            writes = Writes()
            for survey in chunk:
                household = by_id[survey["household_id"]]
                _plan_survey(actor, household, survey, writes)
                if household.state == "under_review":
                    _plan_transition(actor, household, CLASSIFY, {}, None, writes, system=True)
                count += 1
            _write(writes)
    return count


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _load(actor: User, ids: list[int]) -> dict[int, Case]:
    """Read a chunk's households and their pending deadlines in two queries."""
    columns = [getattr(Household, name) for name in Case.__dataclass_fields__ if name != "pending"]
    query = scoped(db.select(*columns).join(Unit, Unit.id == Household.unit_id), actor)
    found = {row.id: Case(*row) for row in db.session.execute(query.where(Household.id.in_(ids)))}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise NotFound(N_("Households not found in your units: %(ids)s."),
                       params={"ids": ", ".join(map(str, missing[:20]))})
    # by household only, so that no plan can walk ix_deadline_due over every pending row;
    # a household has few deadlines, and the pending ones are picked here
    deadlines = db.select(Deadline.household_id, Deadline.id, Deadline.key, Deadline.state,
                          Deadline.until_states, Deadline.status).where(
        Deadline.household_id.in_(ids))
    for row in db.session.execute(deadlines):
        if row.status in LIVE:
            found[row.household_id].pending.append(row)
    return found


def _plan_survey(actor: User, household: Case, survey: Mapping, writes: Writes) -> None:
    surveyed_on: date = survey["surveyed_on"]
    standard = standard_in_force(standards(), surveyed_on)
    try:
        result = classify(standard, household.area, survey["deprivations"],
                          income_vnd=survey.get("income_per_capita_month"),
                          income_score=survey.get("income_score"))
    except ClassificationError as error:
        raise InvalidInput(N_("Household %(id)s: the survey cannot be classified."),
                           params={"id": household.id}, fields=error.fields) from error
    writes.assessments.append({
        "household_id": household.id, "surveyed_on": surveyed_on, "standard": standard.code,
        "income_per_capita_month": survey.get("income_per_capita_month"),
        "income_score": survey.get("income_score"), "deprivations": dict(survey["deprivations"]),
        "deprivation_count": result.deprivation_count, "classification": result.classification,
        "income_line": result.income_line, "explanation": explain(result, standard, "vi"),
        "explanation_en": explain(result, standard, "en"),
        "recorded_by_id": actor.id, "created_at": clock.now()})
    household.proposed_classification = result.classification
    writes.households.append(_household_row(household))


def _household_row(household: Case) -> dict:
    return {"b_id": household.id, "b_version": household.version, "b_state": household.state,
            "b_proposed": household.proposed_classification}


def _plan_transition(actor: User, household: Case, trigger: str, data: dict,
                     reason: str | None, writes: Writes, system: bool = False) -> None:
    definition = workflow(household.workflow, household.workflow_version)
    transition = transition_for(definition, household.state, trigger)
    if not system and (transition.automatic or transition.approval or transition.actions):
        raise Forbidden(N_("'%(trigger)s' cannot be done for a whole list this way; use the "
                           "approvals queue."), params={"trigger": trigger})
    if not system:
        require_role(actor, *transition.roles)
    payload, reason = validate(transition, data, reason)
    if transition.conditions:
        facts = CaseFacts(household.state, household.classification,
                          household.proposed_classification, {}, _proposed(household.id))
        check_guards(transition, facts, payload, business_calendar())
    now, source = clock.now(), household.state
    household.state = transition.dest
    writes.events.append(event_row(household, source, definition, transition, payload, reason,
                                   now, actor))
    writes.households.append(_household_row(household))
    _plan_deadlines(household, definition, transition.dest, payload, now, writes)


def _proposed(household_id: int) -> int:
    return db.session.scalar(db.select(db.func.count(SupportItem.id)).where(
        SupportItem.household_id == household_id, SupportItem.state == "proposed")) or 0


def _plan_deadlines(household: Case, definition, dest, payload, now, writes: Writes) -> None:
    ended, created = deadline_changes(household.pending, definition, dest, payload, now,
                                      business_calendar())
    writes.ended_deadlines.extend(ended)
    household.pending = [row for row in household.pending if row.id not in ended]
    writes.moves[household.id] = dest
    writes.new_deadlines.extend(deadline_row(household.id, plan, now) for plan in created)


def _write(writes: Writes) -> None:
    session = db.session
    if writes.ended_deadlines:
        session.execute(update(Deadline).where(Deadline.id.in_(writes.ended_deadlines))
                        .values(status="cancelled"))
    alerts.close_ended(writes.moves)
    if writes.households:
        _update_households(writes.households)
    moved = list(writes.moves)
    if moved:  # as cases.apply does: a request made on a version now gone is stale
        session.execute(update(Approval).where(
            Approval.household_id.in_(moved), Approval.status == "pending",
        ).values(status="stale", decided_by=SYSTEM, decided_at=clock.now()))
    for model, rows in ((Assessment, writes.assessments), (Event, writes.events),
                        (Deadline, writes.new_deadlines)):
        if rows:
            session.execute(insert(model.__table__), rows)
    session.expire_all()


def _update_households(rows: list[dict]) -> None:
    """Move each household once, checking its version like the ORM does for one."""
    latest = {row["b_id"]: row for row in rows}  # a survey then classify: the last state wins
    table = Household.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(state=bindparam("b_state"), proposed_classification=bindparam("b_proposed"),
                version=table.c.version + 1, updated_at=clock.now())
    )
    result = db.session.connection().execute(statement, list(latest.values()))
    if db.engine.dialect.supports_sane_multi_rowcount and result.rowcount != len(latest):
        raise StaleVersion(N_("Some households were changed meanwhile; nothing was saved. "
                              "Reload the list and try again."))
