"""A round's village steps, through the one move path: start the reviews, record the surveys,
hold the village meeting, ask for the chair's decisions, and decide them in one batch.

Each household moves or is refused on its own, with the reason (services.bulk with
`each=True`); a household outside the round, or outside the caller's units, is refused and
the others go on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from caseflow import clock
from caseflow.domain.errors import N_, Conflict, DomainError, InvalidInput, Msg, NotFound
from caseflow.domain.rounds import (
    DECISIONS,
    START,
    STEP_LABELS,
    RoundKind,
    Step,
    SurveyRow,
    decision_for,
)
from caseflow.extensions import db
from caseflow.models import ReviewRound, RoundHousehold, User
from caseflow.services import bulk, moves, round_roster, rounds, transaction
from caseflow.services.access import WRITERS, require_role
from caseflow.services.bulk import Order, Result

CASE_WORKER = "case_worker"
REQUEST = "request_decision"
#: the step each of a round's steps takes households from, when none are named
STARTS_AT = {START: Step.LISTED, REQUEST: Step.POSTED}


def run_step(
    actor: User,
    round_id: int,
    step: str,
    *,
    village: str | None = None,
    household_ids: Sequence[int] | None = None,
    data: Mapping | None = None,
) -> list[Result]:
    """Start the reviews, or ask for the decisions, of the round's households (a village's, or
    those named); each moves, waits for the chair, or is refused with the reason."""
    require_role(actor, CASE_WORKER)
    found = rounds.get_round(actor, round_id)
    _open(found)
    data = dict(data or {})
    targets, refused = _targets(actor, found, village, household_ids, STARTS_AT[step])
    if step == START:
        _check_start(found, data)
        forms = _forms(found, targets)
        orders = [Order(h, START, _start_data(found, data, forms.get(h))) for h in targets]
    else:
        views = moves.views(targets, actor)
        orders = [
            Order(h, decision_for(views[h].facts) if h in views else DECISIONS[0], data)
            for h in targets
        ]
    results = bulk.fire_all(actor, orders, each=True) if orders else []
    return _in_order(household_ids, results + refused)


def _open(found: ReviewRound) -> None:
    if found.status != "open":
        raise Conflict(
            N_("Round %(id)s is closed: nothing more can be done in it."),
            params={"id": found.id},
        )


def _targets(
    actor: User,
    found: ReviewRound,
    village: str | None,
    household_ids: Sequence[int] | None,
    starts_at: str | None,
) -> tuple[list[int], list[Result]]:
    """The households a step acts on: those named (each that is not on the round's list, or
    not in the village, is refused), else those of the village (or round) at `starts_at`."""
    key = round_roster.resolve_village(found, village)
    if household_ids is None:
        members, _ = round_roster.members(actor, found.id, village=key, step=starts_at)
        return [m.household_id for m in members], []
    wanted = list(dict.fromkeys(household_ids))
    members, _ = round_roster.members(actor, found.id, household_ids=wanted)
    where = {m.household_id: m.village for m in members}
    targets, refused = [], []
    for household_id in wanted:
        if household_id not in where:
            refused.append(Result(household_id, "refused", _not_on_list(household_id)))
        elif key is not None and where[household_id] != key:
            refused.append(
                Result(
                    household_id,
                    "refused",
                    InvalidInput(
                        N_("Household %(id)s is not in village %(village)s."),
                        params={"id": household_id, "village": village},
                    ),
                )
            )
        else:
            targets.append(household_id)
    return targets, refused


def _not_on_list(household_id: int) -> NotFound:
    return NotFound(
        N_("Household %(id)s is not on this round's list."), params={"id": household_id}
    )


def _check_start(found: ReviewRound, data: Mapping) -> None:
    started_on = data.get("started_on") or clock.today()
    if started_on < found.opens_on:
        raise InvalidInput(
            N_("A review of this round cannot start before the round opens (%(day)s)."),
            params={"day": found.opens_on},
            fields={
                "started_on": [
                    Msg(
                        N_("%(field)s (%(day)s) cannot be before %(other)s (%(after)s)."),
                        field="started_on",
                        day=started_on,
                        other="opens_on",
                        after=found.opens_on,
                    )
                ]
            },
        )


def _forms(found: ReviewRound, ids: Sequence[int]) -> dict[int, str | None]:
    if found.kind != RoundKind.REGULAR or not ids:
        return {}
    return dict(
        db.session.execute(
            db.select(RoundHousehold.household_id, RoundHousehold.form).where(
                RoundHousehold.round_id == found.id, RoundHousehold.household_id.in_(ids)
            )
        ).all()
    )


def _start_data(found: ReviewRound, data: Mapping, form: str | None) -> dict:
    started = {"review_kind": found.kind, **data}
    if form is not None:
        started["form"] = form
    return started


def _in_order(named: Sequence[int] | None, results: list[Result]) -> list[Result]:
    """Results in the order the households were named (or as the round lists them)."""
    if named is None:
        return results
    order = {h: i for i, h in enumerate(dict.fromkeys(named))}
    return sorted(results, key=lambda r: order.get(r.household_id, len(order)))


def _settle(actor: User, round_id: int) -> None:
    """Only a decision completes a round: after the chair's batch, see whether it did."""
    with transaction():
        rounds.settle(rounds.get_round(actor, round_id, lock=True))


def record_surveys(actor: User, round_id: int, rows: Sequence[SurveyRow]) -> list[Result]:
    """Record the surveys of the round's households under review, each on its own: valid rows
    are saved, each refusal stays on its row. A household already surveyed is refused (a list
    sent twice records nothing twice); the meeting sends back one that must be surveyed again."""
    require_role(actor, *WRITERS)
    found = rounds.get_round(actor, round_id)
    _open(found)
    readable = [r.household_id for r in rows if r.error is None]
    _, refused = _targets(actor, found, None, readable, None)
    outside = {r.household_id: r for r in refused}
    members, _ = round_roster.members(actor, found.id, household_ids=readable)
    outside.update(
        (m.household_id, Result(m.household_id, "refused", _not_surveying(m)))
        for m in members
        if m.step != Step.UNDER_REVIEW
    )
    results: dict[int, Result] = {}
    surveys = []
    for index, row in enumerate(rows):
        if row.error is not None:
            results[index] = Result(row.household_id, "refused", row.error)
        elif row.household_id in outside:
            results[index] = outside[row.household_id]
        else:
            try:
                _check_indicators(row.survey)
                surveys.append((index, {**row.survey, "household_id": row.household_id}))
            except DomainError as error:
                results[index] = Result(row.household_id, "refused", error)
    recorded = bulk.record_surveys(actor, [s for _, s in surveys], each=True) if surveys else []
    for (index, _), result in zip(surveys, recorded, strict=True):
        results[index] = result
    return [results[i] for i in range(len(rows))]


def _not_surveying(member) -> Conflict:
    return Conflict(
        N_("Household %(id)s is not waiting for its survey (it is at the step: %(step)s)."),
        params={"id": member.household_id, "step": Msg(STEP_LABELS[member.step])},
    )


def _check_indicators(survey: Mapping) -> None:
    """A survey names exactly the indicators of the standard in force on its date."""
    standard = bulk.standard_on(survey["surveyed_on"])
    given = set(survey["deprivations"])
    missing = [k for k in standard.indicator_keys if k not in given]
    unknown = sorted(given - set(standard.indicator_keys))
    problems = []
    if missing:
        problems.append(Msg(N_("Missing indicators: %(keys)s."), keys=", ".join(missing)))
    if unknown:
        problems.append(Msg(N_("Unknown indicators: %(keys)s."), keys=", ".join(unknown)))
    if problems:
        raise InvalidInput(
            N_("Some fields are missing or wrong."), fields={"deprivations": problems}
        )
