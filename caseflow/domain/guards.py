"""Named guards a workflow file may use; each returns None, or the reason it refuses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from caseflow.domain.calendar import BusinessCalendar, parse_duration
from caseflow.domain.errors import N_
from caseflow.domain.statuses import LISTED


@dataclass(frozen=True)
class CaseFacts:
    """What guards may know of a case, gathered by the service before it fires."""

    state: str
    classification: str | None
    proposed_classification: str | None
    state_data: Mapping[str, object] = field(default_factory=dict)
    #: ids of the support items proposed and not yet decided
    proposed_supports: tuple[int, ...] = ()


@dataclass(frozen=True)
class Refusal:
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    field: str | None = None


Guard = Callable[
    [CaseFacts, Mapping[str, object], Mapping[str, object], BusinessCalendar], Refusal | None
]
GUARDS: dict[str, Guard] = {}


def guard(name: str, *required: str) -> Callable[[Guard], Guard]:
    """Register a guard under `name`; `required`: the parameters a workflow file must give it
    (the rules of the field live in the file, never as a default here)."""

    def register(function: Guard) -> Guard:
        function.required = required  # type: ignore[attr-defined]
        GUARDS[name] = function
        return function

    return register


@guard("meeting_agreed", "min_pct")
def meeting_agreed(facts, data, params, calendar):
    threshold = params["min_pct"]
    if data.get("agreement_pct") is None or data["agreement_pct"] < threshold:
        return Refusal(
            N_(
                "The village meeting must agree with at least %(pct)s%% of those "
                "present; record a new survey instead."
            ),
            {"pct": threshold},
            "agreement_pct",
        )
    return None


@guard("meeting_disagreed", "min_pct")
def meeting_disagreed(facts, data, params, calendar):
    threshold = params["min_pct"]
    pct = data.get("agreement_pct")
    if pct is not None and pct >= threshold:
        return Refusal(
            N_("The meeting agreed (%(pct)s%% or more): use 'agree' instead."),
            {"pct": threshold},
            "agreement_pct",
        )
    return None


@guard("posting_period_over", "period")
def posting_period_over(facts, data, params, calendar):
    posted_on = facts.state_data.get("posted_on")
    if not posted_on:
        return None
    period = parse_duration(str(params["period"]))
    posted = date.fromisoformat(str(posted_on))
    ends = calendar.local_date(period.apply(posted, calendar))
    decided_on = data.get("decided_on")
    if decided_on is not None and decided_on < ends:
        return Refusal(
            N_(
                "The results were posted on %(posted)s; the posting period of "
                "%(period)s ends on %(ends)s, so the decision can be dated from then."
            ),
            {"posted": posted, "period": period, "ends": ends},
            "decided_on",
        )
    return None


@guard("proposed_listed")
def proposed_listed(facts, data, params, calendar):
    if facts.proposed_classification not in LISTED:
        return Refusal(
            N_(
                "The latest survey does not classify the household as poor or "
                "near-poor (it says: %(cls)s)."
            ),
            {"cls": facts.proposed_classification or "-"},
        )
    return None


@guard("proposed_not_listed")
def proposed_not_listed(facts, data, params, calendar):
    if facts.proposed_classification in LISTED:
        return Refusal(
            N_("The latest survey classifies the household as %(cls)s: recognise it instead."),
            {"cls": facts.proposed_classification},
        )
    if facts.proposed_classification is None:
        return Refusal(N_("No survey has been recorded for this review."))
    return None


@guard("was_listed")
def was_listed(facts, data, params, calendar):
    if facts.classification not in LISTED:
        return Refusal(N_("The household is not on the poor or near-poor lists: use 'decline'."))
    return None


@guard("was_not_listed")
def was_not_listed(facts, data, params, calendar):
    if facts.classification in LISTED:
        return Refusal(
            N_("The household is on the %(cls)s list: use 'exit' to take it off."),
            {"cls": facts.classification},
        )
    return None


@guard("has_proposed_support")
def has_proposed_support(facts, data, params, calendar):
    if len(facts.proposed_supports) < int(params.get("min", 1)):  # at least one: not a rule
        return Refusal(N_("Propose at least one support item before asking for approval."))
    return None


Action = Callable[[CaseFacts], dict[str, object]]
ACTIONS: dict[str, Action] = {
    #: the commune decision recognises the class the latest survey proposed
    "set_recognised_class": lambda facts: {"classification": facts.proposed_classification},
    #: the household leaves the poor or near-poor lists
    "clear_recognised_class": lambda facts: {"classification": None},
}

#: actions the services carry out on rows other than the household (caseflow.services.effects),
#: each with what it pins when it is asked for: a request covers exactly what the approver saw
EFFECTS: dict[str, Callable[[CaseFacts], dict[str, object]]] = {
    #: the support plan approves the items proposed when it was asked for, not later ones
    "approve_proposed_supports": lambda facts: {"support_items": list(facts.proposed_supports)},
}
#: every action name a workflow file may use
ACTION_NAMES = frozenset(ACTIONS) | frozenset(EFFECTS)


def pinned(actions: Iterable[str], facts: CaseFacts) -> dict[str, object]:
    """Return what the effects among `actions` will act on, as the case is now."""
    found: dict[str, object] = {}
    for action in actions:
        if action in EFFECTS:
            found.update(EFFECTS[action](facts))
    return found
