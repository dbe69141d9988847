"""Moving households, one or ten thousand: orders planned by the domain, written in batches.

Every move of a household by a person (an API call, a page, a round's village step, an
import) comes here: the rules are the domain's (caseflow.domain.planner), the rows are the one
writer's (caseflow.services.moves). With `each=True` every household moves or is refused on its
own, with the reason; otherwise the first refusal refuses the whole list and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from caseflow import clock
from caseflow.domain.classification import ClassificationError, classify
from caseflow.domain.engine import transition_for
from caseflow.domain.errors import (
    N_,
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    Msg,
    NotFound,
    StaleVersion,
)
from caseflow.domain.planner import Actor, CaseView, Move, plan_move, plan_request, plan_survey
from caseflow.domain.standards import Standard, StandardError, standard_in_force
from caseflow.models import User
from caseflow.services import moves, transaction
from caseflow.services.access import WRITERS, require_role
from caseflow.services.definitions import business_calendar, standards, workflow

CHUNK = 1000
#: the domain's names for the income fields, and the API's
API_FIELDS = {"income_vnd": "income_per_capita_month", "income_score": "income_score"}


@dataclass(frozen=True)
class Order:
    """One trigger to fire on one household, as a person asks for it."""

    household_id: int
    trigger: str
    data: Mapping = field(default_factory=dict)
    reason: str | None = None
    #: the household version the person saw: a stale one is refused
    version: int | None = None
    #: the data is as a person typed it on a page (05/09/2026), not JSON
    typed: bool = False


@dataclass
class Result:
    """What became of one household: applied, requested (waits for approval), recorded (a
    survey), or refused with the error saying why."""

    household_id: int
    status: str
    error: DomainError | None = None
    event_id: int | None = None
    #: the history row written for it (its columns), when applied
    event: dict | None = None
    approval_id: int | None = None
    assessment_id: int | None = None
    classification: str | None = None


def fire_many(
    actor: User,
    household_ids: Sequence[int],
    trigger: str,
    data: Mapping | None = None,
    reason: str | None = None,
    *,
    each: bool = False,
) -> list[Result]:
    """Fire one trigger on every listed household."""
    return fire_all(
        actor,
        [Order(h, trigger, data or {}, reason) for h in dict.fromkeys(household_ids)],
        each=each,
    )


def fire_all(actor: User, orders: Sequence[Order], *, each: bool = False) -> list[Result]:
    """Apply each order, or ask for its approval; all or nothing unless `each`."""
    require_role(actor, *WRITERS)
    results: list[Result] = []
    with transaction():
        for chunk in _chunks(list(orders)):
            results += _fire_chunk(actor, chunk, each)
    return results


def record_surveys(actor: User, surveys: Iterable[Mapping], *, each: bool = False) -> list[Result]:
    """Record and classify surveys (each with `household_id`); under review, classify."""
    require_role(actor, *WRITERS)
    results: list[Result] = []
    with transaction():
        for chunk in _chunks(list(surveys)):
            results += _survey_chunk(actor, chunk, each)
    return results


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _fire_chunk(actor: User, orders: list[Order], each: bool) -> list[Result]:
    views = moves.views([o.household_id for o in orders], actor)
    pending = _pending_versions(views)
    who, now, calendar = Actor(actor.id, actor.username), clock.now(), business_calendar()
    planned: list[tuple[int, Move]] = []
    asked: list[tuple[int, dict]] = []
    results = [Result(o.household_id, "refused") for o in orders]
    for index, order in enumerate(orders):
        try:
            view = _unchanged(_found(views, order.household_id), order.version)
            definition = workflow(view.workflow, view.workflow_version)
            transition = _transition(actor, definition, view, order.trigger)
            payload, reason = _payload(transition, order)
            if transition.approval:
                if pending.get(view.id) == view.version:
                    raise _already_pending()
                asked.append(
                    (
                        index,
                        plan_request(
                            view, transition, payload, reason, actor=who, now=now, calendar=calendar
                        ),
                    )
                )
                pending[view.id] = view.version
            else:
                planned.append(
                    (
                        index,
                        plan_move(
                            view,
                            definition,
                            transition,
                            payload,
                            reason,
                            actor=who,
                            now=now,
                            calendar=calendar,
                        ),
                    )
                )
                views[view.id] = None  # moved: a second order for it in this list is refused
        except DomainError as error:
            if not each:
                raise
            results[index].error = error
    _write(results, planned, asked)
    return results


def _write(
    results: list[Result], planned: list[tuple[int, Move]], asked: list[tuple[int, dict]]
) -> None:
    written = moves.write([move for _, move in planned], returning=True)
    for (index, move), event_id, assessment_id in zip(
        planned, written.events, written.assessments or [None] * len(planned), strict=True
    ):
        result = results[index]
        result.status, result.event_id, result.assessment_id = "applied", event_id, assessment_id
        result.event = move.event
        result.classification = move.proposed_classification
    for (index, _), approval_id in zip(
        asked, moves.request([row for _, row in asked]), strict=True
    ):
        results[index].status, results[index].approval_id = "requested", approval_id


def _found(views: dict[int, CaseView | None], household_id: int) -> CaseView:
    view = views.get(household_id)
    if view is None:
        if household_id in views:
            raise Conflict(
                N_("Household %(id)s is listed twice; it was moved once."),
                params={"id": household_id},
            )
        raise NotFound(N_("Household %(id)s not found."), params={"id": household_id})
    return view


def _unchanged(view: CaseView, version: int | None) -> CaseView:
    """The household as read, unless the caller saw another version of it (a form sent twice,
    or a change by someone else since the page was shown)."""
    if version is not None and version != view.version:
        raise StaleVersion(
            N_(
                "The household was changed meanwhile (version "
                "%(have)s, you sent %(sent)s); reload it and try again."
            ),
            params={"have": view.version, "sent": version},
        )
    return view


def _transition(actor: User, definition, view: CaseView, trigger: str):
    transition = transition_for(definition, view.state, trigger)
    if transition.automatic:
        raise Forbidden(
            N_("'%(trigger)s' is done by the system, not by hand."), params={"trigger": trigger}
        )
    require_role(actor, *transition.roles)
    return transition


def _payload(transition, order: Order) -> tuple[dict, str | None]:
    from caseflow.services.cases import validate

    return validate(transition, order.data, order.reason, order.typed)


def _pending_versions(views: Mapping[int, CaseView | None]) -> dict[int, int]:
    """The case version each household's pending request was made on (read with its view)."""
    return {
        hid: view.pending_version
        for hid, view in views.items()
        if view is not None and view.pending_version is not None
    }


def _already_pending() -> Conflict:
    return Conflict(N_("A request is already waiting for a decision on this household."))


def _survey_chunk(actor: User, surveys: list[Mapping], each: bool) -> list[Result]:
    views = moves.views([s["household_id"] for s in surveys], actor)
    who, now, calendar = Actor(actor.id, actor.username), clock.now(), business_calendar()
    planned: list[tuple[int, Move]] = []
    results = [Result(s["household_id"], "refused") for s in surveys]
    for index, survey in enumerate(surveys):
        try:
            view = _unchanged(_found(views, survey["household_id"]), survey.get("version"))
            standard = standard_on(survey["surveyed_on"])
            move = plan_survey(
                view,
                workflow(view.workflow, view.workflow_version),
                classified(standard, view.area, survey),
                survey,
                standard,
                actor=who,
                now=now,
                calendar=calendar,
            )
            planned.append((index, move))
            views[view.id] = None
        except DomainError as error:
            if not each:
                raise
            results[index].error = error
    _write(results, planned, [])
    for index, _ in planned:
        results[index].status = "recorded"
    return results


def standard_on(surveyed_on) -> Standard:
    """Return the standard in force on a survey's date, or refuse naming the field."""
    try:
        return standard_in_force(standards(), surveyed_on)
    except StandardError as error:  # the date is the caller's: name the field
        raise InvalidInput(
            N_("No poverty standard is in force on %(day)s."),
            params={"day": surveyed_on},
            fields={
                "surveyed_on": [
                    Msg(N_("No poverty standard is in force on %(day)s."), day=surveyed_on)
                ]
            },
        ) from error


def classified(standard: Standard, area: str, survey: Mapping):
    """Classify a survey under `standard`; a survey that cannot be is refused naming fields."""
    try:
        return classify(
            standard,
            area,
            survey["deprivations"],
            income_vnd=survey.get("income_per_capita_month"),
            income_score=survey.get("income_score"),
        )
    except ClassificationError as error:
        renamed = {API_FIELDS.get(k, k): v for k, v in error.fields.items()}
        raise InvalidInput(N_("The survey cannot be classified."), fields=renamed) from error
