"""Review rounds, pure: their kinds and dates (data of workflows/rounds/), the steps a household
of a round is at, and which move a round's step asks of each household.

A round is one review of one unit's households (DOMAIN.md, "The annual review"): periodic
(once a year) or regular (monthly, for the households that asked with form 01 or 04).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NoReturn

from caseflow.domain.calendar import BusinessCalendar, Duration, DurationError, parse_duration
from caseflow.domain.engine import check_guards
from caseflow.domain.errors import N_, DomainError, GuardFailed, WorkflowError
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


def parse_rounds(data: Any, source: str, lifecycle: WorkflowDef | None = None) -> RoundsDef:
    """Read the rounds file; raise WorkflowError naming the file and the problem."""
    reader = _Reader(source)
    data = reader.mapping(data, "the rounds file")
    kinds = reader.mapping(data.get("kinds"), "kinds")
    unknown = sorted(str(k) for k in kinds if k not in tuple(RoundKind))
    if unknown or set(kinds) != set(RoundKind):
        reader.fail(
            f"kinds must be exactly {', '.join(RoundKind)}; found {', '.join(map(str, kinds))}"
        )
    timers = reader.mapping(data.get("timers"), "timers")
    found = RoundsDef(
        {name: reader.kind(name, kinds[name]) for name in RoundKind},
        reader.text(timers, "decision_limit", "timers.decision_limit"),
        reader.text(timers, "posting", "timers.posting"),
    )
    if lifecycle is not None:
        known = {t.key for s in lifecycle.states.values() for t in s.timers}
        for name in (found.decision_timer, found.posting_timer):
            if name not in known:
                reader.fail(f"timers: {lifecycle.name} has no timer '{name}'")
    return found


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, problem: str) -> NoReturn:
        raise WorkflowError(self.source, problem)

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.fail(f"{where} must be a mapping")
        return value

    def text(self, data: Mapping, key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where} must be non-empty text")
        return value.strip()

    def label(self, data: Mapping, where: str) -> tuple[str, str]:
        names = self.mapping(data.get("label"), f"{where}.label")
        return self.text(names, "vi", f"{where}.label.vi"), self.text(
            names, "en", f"{where}.label.en"
        )

    def duration(self, value: Any, where: str) -> Duration:
        try:
            found = parse_duration(value)
        except DurationError as error:
            self.fail(f"{where}: {error.message}")
        if found.unit not in ("days", "working_days"):
            self.fail(f"{where} must be days or working days, not {value!r}")
        return found

    def month_day(self, value: Any, where: str) -> tuple[int, int]:
        try:
            found = parse_duration(f"next {value}")
        except DurationError:
            self.fail(f"{where} must be a day of the year as MM-DD, not {value!r}")
        return found.month, found.day

    def kind(self, name: str, value: Any) -> KindDef:
        data = self.mapping(value, f"kinds.{name}")
        label_vi, label_en = self.label(data, f"kinds.{name}")
        titles = self.mapping(data.get("title"), f"kinds.{name}.title")
        title = tuple(
            self.text(titles, lang, f"kinds.{name}.title.{lang}") for lang in ("vi", "en")
        )
        for text in title:
            self.check_names(text, f"kinds.{name}.title", TITLE_FIELDS)
        reminders = data.get("reminders") or []
        if not isinstance(reminders, list):
            self.fail(f"kinds.{name}.reminders must be a list")
        parsed = tuple(
            self.reminder(f"kinds.{name}.reminders[{i}]", r) for i, r in enumerate(reminders)
        )
        keys = [r.key for r in parsed]
        if len(set(keys)) != len(keys):
            self.fail(f"kinds.{name}.reminders: a key is repeated")
        if name == RoundKind.PERIODIC:
            opens = self.month_day(data.get("opens"), f"kinds.{name}.opens")
            closes = self.month_day(data.get("closes"), f"kinds.{name}.closes")
            if closes <= opens:
                self.fail(f"kinds.{name}: closes must come after opens in the same year")
            return KindDef(
                name, label_vi, label_en, *title, opens=opens, closes=closes, reminders=parsed
            )
        day = data.get("opens_day")
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 28:
            self.fail(f"kinds.{name}.opens_day must be a day of the month from 1 to 28")
        lasts = self.duration(data.get("lasts"), f"kinds.{name}.lasts")
        if lasts.unit != "days":
            self.fail(f"kinds.{name}.lasts counts calendar days (e.g. 15 days)")
        return KindDef(
            name, label_vi, label_en, *title, opens_day=day, lasts=lasts, reminders=parsed
        )

    def reminder(self, where: str, value: Any) -> Reminder:
        data = self.mapping(value, where)
        due = self.text(data, "due", f"{where}.due")
        self.check_due(due, f"{where}.due")
        notify = data.get("notify")
        if (
            not isinstance(notify, list)
            or not notify
            or not all(isinstance(r, str) for r in notify)
        ):
            self.fail(f"{where}.notify must be a list of roles")
        months = data.get("in_months") or []
        if not isinstance(months, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in months
        ):
            self.fail(f"{where}.in_months must be a list of months from 1 to 12")
        message = self.mapping(data.get("message"), f"{where}.message")
        texts = (
            self.text(message, "vi", f"{where}.message.vi"),
            self.text(message, "en", f"{where}.message.en"),
        )
        for text in texts:
            self.check_names(text, f"{where}.message", MESSAGE_FIELDS)
        before = data.get("remind_before")
        return Reminder(
            key=self.text(data, "key", f"{where}.key"),
            due=due,
            remind_before=self.duration(before, f"{where}.remind_before") if before else None,
            notify=tuple(notify),
            while_open=bool(data.get("while_open", False)),
            in_months=tuple(months),
            message_vi=texts[0],
            message_en=texts[1],
        )

    def check_due(self, due: str, where: str) -> None:
        if due in ("closes_on", "opens_on"):
            return
        if due.startswith("next month "):
            day = due.removeprefix("next month ")
            if not (day.isdigit() and 1 <= int(day) <= 28):
                self.fail(f"{where}: 'next month DD' takes a day from 01 to 28, not {day!r}")
            return
        self.month_day(due, where)

    def check_names(self, text: str, where: str, allowed: frozenset[str]) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            self.fail(f"{where}: {error}")
        unknown = sorted(names - allowed)
        if unknown:
            self.fail(
                f"{where} uses {{{unknown[0]}}}; it may use "
                + ", ".join(f"{{{n}}}" for n in sorted(allowed))
            )


def fill(message: str, values: Mapping[str, object]) -> str:
    """Fill a reminder's message with the round's values."""
    return message.format_map({name: values.get(name, "") for name in MESSAGE_FIELDS})
