"""Read the rounds file (workflows/rounds/rounds.yaml): every mistake names the file and itself."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from caseflow.domain.calendar import DurationError, parse_duration
from caseflow.domain.file_reader import FileReader
from caseflow.domain.rounds import (
    MESSAGE_FIELDS,
    TITLE_FIELDS,
    KindDef,
    Reminder,
    RoundKind,
    RoundsDef,
)
from caseflow.domain.workflow import WorkflowDef


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


class _Reader(FileReader):
    def label(self, data: Mapping, where: str) -> tuple[str, str]:
        names = self.mapping(data.get("label"), f"{where}.label")
        return self.text(names, "vi", f"{where}.label.vi"), self.text(
            names, "en", f"{where}.label.en"
        )

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
