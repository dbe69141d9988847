"""Review rounds, pure: their kinds and dates (data of workflows/rounds/), the steps a household
of a round is at, and which move a round's step asks of each household.

A round is one review of one unit's households (DOMAIN.md, "The annual review"): periodic
(once a year) or regular (monthly, for the households that asked with form 01 or 04).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from caseflow.domain.calendar import BusinessCalendar, Duration
from caseflow.domain.engine import check_guards
from caseflow.domain.errors import N_, DomainError, GuardFailed
from caseflow.domain.guards import CaseFacts
from caseflow.domain.statuses import LISTED
from caseflow.domain.workflow import WorkflowDef


class RoundKind(StrEnum):
    """How often a round comes (stored; API contract)."""

    #: once a year, 1 September to 14 December by default
    PERIODIC = "periodic"
    #: monthly from the 15th, for the households that asked (form 01 or 04)
    REGULAR = "regular"


class RoundStatus(StrEnum):
    #: households are still being reviewed
    OPEN = "open"
    #: every household decided, or closed by hand (the undecided ones listed)
    CLOSED = "closed"


class Step(StrEnum):
    """Where a household of a round is; each household is at exactly one step."""

    #: on the round's list, its review not started
    LISTED = "listed"
    #: its review started; the survey is due
    UNDER_REVIEW = "under_review"
    #: surveyed and classified; the village meeting is due
    CLASSIFIED = "classified"
    #: agreed at the meeting and posted; the decision is asked once the posting is over
    POSTED = "posted"
    #: the chair's decision is asked
    AWAITING_DECISION = "awaiting_decision"
    #: decided since it joined the round (recognised, exited or declined)
    DECIDED = "decided"


STEPS: tuple[str, ...] = tuple(Step)
#: how the pages name each step, and each reason to be late
STEP_LABELS = {
    "listed": N_("On the list"),
    "under_review": N_("Under review"),
    "classified": N_("Surveyed, meeting due"),
    "posted": N_("Posted"),
    "awaiting_decision": N_("Awaiting the chair's decision"),
    "decided": N_("Decided"),
}
LATE_LABELS = {
    "closing_day": N_("past the round's closing day"),
    "decision_limit": N_("past the 15-day limit"),
    "posting_over": N_("posting over, no decision asked"),
}
#: the household states that are steps of their own (any other state is before the review)
STEP_OF_STATE: Mapping[str, Step] = {
    "under_review": Step.UNDER_REVIEW,
    "classified": Step.CLASSIFIED,
    "posted": Step.POSTED,
}
#: the chair's decisions that end a household's review
DECISIONS: tuple[str, ...] = ("recognise", "exit", "decline")
START = "start_review"
AGREE, DISAGREE = "agree", "disagree"
FORMS = ("01", "04")
#: why a household of a round is late
LATE_REASONS = ("closing_day", "decision_limit", "posting_over")


@dataclass(frozen=True)
class SurveyRow:
    """One survey of a round's list as read by its schema, or why it could not be read."""

    household_id: int | None
    survey: Mapping | None = None
    error: DomainError | None = None


def decision_for(facts: CaseFacts) -> str:
    """Return the decision a posted household's survey and standing call for."""
    if facts.proposed_classification in LISTED:
        return "recognise"
    if facts.classification in LISTED:
        return "exit"
    return "decline"


def request_form(classification: str | None) -> str:
    """Return the form a regular review is asked with: 04 to leave the lists, else 01."""
    return "04" if classification in LISTED else "01"


def meeting_trigger(
    definition: WorkflowDef, facts: CaseFacts, pct: float, calendar: BusinessCalendar
) -> str:
    """Return what a village meeting's agreement fires: `agree` where its guards let it
    through (the workflow's threshold), else `disagree` (surveyed again)."""
    agree = definition.transition(AGREE, facts.state)
    if agree is None:
        return AGREE  # not classified: the move path refuses it, saying why
    try:
        check_guards(agree, facts, {"agreement_pct": pct}, calendar)
    except GuardFailed:
        return DISAGREE
    return AGREE


@dataclass(frozen=True)
class Reminder:
    """A round timer: an alert to `notify` at the round's unit, `remind_before` its day."""

    key: str
    #: "closes_on", "opens_on", "MM-DD" (in the round's year) or "next month DD"
    due: str
    remind_before: Duration | None
    notify: tuple[str, ...]
    #: only while the round is open (the closing reminder); else it comes anyway (a report)
    while_open: bool = False
    #: the months the due day may fall in (empty: any)
    in_months: tuple[int, ...] = ()
    message_vi: str = ""
    message_en: str = ""

    def message(self, lang: str) -> str:
        return self.message_en if lang == "en" and self.message_en else self.message_vi


@dataclass(frozen=True)
class KindDef:
    """One kind of round: when it opens and closes, and its reminders."""

    kind: str
    label_vi: str
    label_en: str
    #: what a round of this kind is called, with {year} and {month}
    title_vi: str = ""
    title_en: str = ""
    #: periodic: (month, day) of the opening and closing days in the round's year
    opens: tuple[int, int] | None = None
    closes: tuple[int, int] | None = None
    #: regular: the day of the month it opens, and how long until its closing day
    opens_day: int | None = None
    lasts: Duration | None = None
    reminders: tuple[Reminder, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_vi

    def title(self, lang: str, year: int, month: int | None) -> str:
        """Name one round of this kind: "rà soát định kỳ năm 2026"."""
        text = self.title_en if lang == "en" else self.title_vi
        return text.format(year=year, month=month or "")

    def window(self, year: int, month: int | None) -> tuple[date, date]:
        """Return the round's opening and closing days."""
        if self.kind == RoundKind.PERIODIC:
            return date(year, *self.opens), date(year, *self.closes)
        opens = date(year, month, self.opens_day)
        # `lasts` counts calendar days: the decision is due within them
        return opens, opens + timedelta(days=self.lasts.amount)

    def reminder(self, key: str) -> Reminder | None:
        return next((r for r in self.reminders if r.key == key), None)


@dataclass(frozen=True)
class RoundsDef:
    """The rounds file: its kinds, and the household timers a round reads to tell lateness."""

    kinds: Mapping[str, KindDef]
    #: the household timer of a regular review's decision limit (late when it passed)
    decision_timer: str
    #: the household timer that ends the public posting (late with no decision asked)
    posting_timer: str

    def kind(self, name: str) -> KindDef:
        return self.kinds[name]


@dataclass(frozen=True)
class PlannedReminder:
    """A round timer row to make: key, when it fires, and the day it is about."""

    key: str
    reminder: Reminder
    role: str
    fires_at: datetime
    due_on: date


def plan_reminders(
    kind: KindDef,
    opens_on: date,
    closes_on: date,
    year: int,
    month: int | None,
    calendar: BusinessCalendar,
) -> list[PlannedReminder]:
    """Return the timer rows a new round makes: one per reminder and role notified."""
    planned = []
    for reminder in kind.reminders:
        due_on = due_day(reminder.due, opens_on, closes_on, year, month)
        if reminder.in_months and due_on.month not in reminder.in_months:
            continue
        start = calendar.start_of_day(due_on)
        fires_at = (
            reminder.remind_before.before(start, calendar) if reminder.remind_before else start
        )
        for role in reminder.notify:
            planned.append(
                PlannedReminder(f"{reminder.key}:{role}", reminder, role, fires_at, due_on)
            )
    return planned


def due_day(due: str, opens_on: date, closes_on: date, year: int, month: int | None) -> date:
    """Return the day a reminder is about (its grammar is checked when the file is read)."""
    if due == "closes_on":
        return closes_on
    if due == "opens_on":
        return opens_on
    if due.startswith("next month "):
        after = opens_on.replace(day=1) + timedelta(days=32)
        return after.replace(day=int(due.rsplit(" ", 1)[1]))
    month_part, day_part = due.split("-")
    return date(year, int(month_part), int(day_part))


#: the names a reminder's message may use: {round}, {unit}, {due_on}, {undecided}
MESSAGE_FIELDS = frozenset({"round", "unit", "due_on", "undecided"})
#: the names a kind's title may use
TITLE_FIELDS = frozenset({"year", "month"})


def fill(message: str, values: Mapping[str, object]) -> str:
    """Fill a reminder's message with the round's values."""
    return message.format_map({name: values.get(name, "") for name in MESSAGE_FIELDS})
