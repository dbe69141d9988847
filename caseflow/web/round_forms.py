"""The round pages' forms: they show fields and hand back what was typed, shaped as the API's
bodies (caseflow.schemas.rounds judges it, for pages and API alike)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from flask_babel import lazy_gettext
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from caseflow.domain.rounds import FORMS
from caseflow.domain.standards import Indicator
from caseflow.web.fields import DayText, Form, NumberText, today_typed
from caseflow.web.forms import options

MONTHS = [(str(m), f"{m:02d}") for m in range(1, 13)]
#: what separates the household codes a person pastes: spaces, commas, semicolons, new lines
SEPARATORS = re.compile(r"[\s,;]+")


class RoundForm(Form):
    unit_code = SelectField(lazy_gettext("Commune or ward"), validate_choice=False)
    kind = RadioField(lazy_gettext("Kind of round"), default="periodic", validate_choice=False)
    year = StringField(lazy_gettext("Year"), render_kw={"inputmode": "numeric"})
    month = SelectField(lazy_gettext("Month (regular rounds)"), validate_choice=False)
    opens_on = DayText(lazy_gettext("Opens on (leave empty for the usual day)"))
    closes_on = DayText(lazy_gettext("Closes on (leave empty for the usual day)"))

    def __init__(self, units: Iterable, kinds: Iterable[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_code.choices = options((u.code, u.name) for u in units)
        self.kind.choices = options(kinds)
        self.month.choices = options([("", "—"), *MONTHS])

    def body(self) -> dict:
        return {
            name: self[name].data
            for name in ("unit_code", "kind", "year", "month", "opens_on", "closes_on")
        }


class AddForm(Form):
    """Households to put on a round's list, by the codes (or numbers) people read on paper."""

    codes = TextAreaField(
        lazy_gettext("Household codes"),
        description=lazy_gettext("One or more codes (HH-…), separated by spaces or new lines."),
        render_kw={"rows": 3, "autocapitalize": "characters"},
    )
    form = SelectField(lazy_gettext("Request form"), validate_choice=False)

    def __init__(self, forms: Iterable[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.choices = options([("", lazy_gettext("By the household's standing")), *forms])

    def body(self) -> dict:
        codes = [c for c in SEPARATORS.split(self.codes.data or "") if c]
        return {"household_codes": codes, "form": self.form.data}


class StartForm(Form):
    started_on = DayText(lazy_gettext("Started on"), default=today_typed)
    village = HiddenField()

    def body(self) -> dict:
        return {
            "step": "start_review",
            "village": self.village.data,
            "data": {"started_on": self.started_on.data},
        }


class RequestForm(Form):
    decided_on = DayText(lazy_gettext("Decided on"), default=today_typed)
    village = HiddenField()

    def body(self) -> dict:
        return {
            "step": "request_decision",
            "village": self.village.data,
            "data": {"decided_on": self.decided_on.data},
        }


class CloseForm(Form):
    note = TextAreaField(lazy_gettext("Why it closes now"), render_kw={"rows": 2})

    def body(self) -> dict:
        return {"note": self.note.data}


class GridForm(Form):
    """The survey grid's own fields; each household's row is read from the posted form by its
    names (`income-12`, `water-12`, `surveyed_on-12`)."""

    surveyed_on = DayText(lazy_gettext("Survey date of every row"), default=today_typed)
    income_basis = RadioField(
        lazy_gettext("Income is given as"), default="vnd", validate_choice=False
    )

    def __init__(self, bases: Iterable[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.income_basis.choices = options(bases)

    def items(
        self, posted: Mapping, households: Sequence[int], indicators: Sequence[Indicator]
    ) -> list[dict]:
        """Return the rows that were filled in, shaped as the API's survey items."""
        income = "income_score" if self.income_basis.data == "score" else "income_per_capita_month"
        found = []
        for household in households:
            typed = (posted.get(f"income-{household}") or "").strip()
            ticked = {i.key: bool(posted.get(f"{i.key}-{household}")) for i in indicators}
            day = (posted.get(f"surveyed_on-{household}") or "").strip()
            if not typed and not any(ticked.values()) and not day:
                continue  # a row left as it was: not a survey
            found.append(
                {
                    "household_id": household,
                    "surveyed_on": day or self.surveyed_on.data,
                    income: typed,
                    "deprivations": ticked,
                }
            )
        return found


class MeetingForm(Form):
    """One village meeting; each household's agreement is read from `pct-12`, and a row left
    empty takes the figure for all."""

    meeting_on = DayText(lazy_gettext("Meeting date"), default=today_typed)
    posted_on = DayText(lazy_gettext("Posted on"), default=today_typed)
    chaired_by = StringField(lazy_gettext("Chaired by"))
    secretary = StringField(lazy_gettext("Secretary"))
    present = StringField(lazy_gettext("People present"), render_kw={"inputmode": "numeric"})
    attendees = TextAreaField(lazy_gettext("Who attended (names and roles)"), render_kw={"rows": 3})
    agreement_pct = NumberText(
        lazy_gettext("Agreement (%) for every household"),
        description=lazy_gettext("A household's own figure below replaces it."),
    )
    village = HiddenField()

    def body(self, posted: Mapping, households: Sequence[int]) -> dict:
        everyone = (self.agreement_pct.data or "").strip()
        results = []
        for household in households:
            own = (posted.get(f"pct-{household}") or "").strip()
            results.append({"household_id": household, "agreement_pct": own or everyone})
        return {
            **{
                name: self[name].data
                for name in (
                    "village",
                    "meeting_on",
                    "posted_on",
                    "chaired_by",
                    "secretary",
                    "present",
                    "attendees",
                )
            },
            "results": results,
        }


class RoundDecisionForm(Form):
    """One decision on the ticked households' requests."""

    ids = SelectMultipleField(validate_choice=False)
    decision = StringField()
    comment = TextAreaField(
        lazy_gettext("Comment, or the reason for a rejection"), render_kw={"rows": 2}
    )
    village = HiddenField()

    def body(self) -> dict:
        return {
            "household_ids": self.ids.data or [],
            "decision": self.decision.data,
            "comment": self.comment.data,
            "village": self.village.data,
        }


def form_choices(labels: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(code, labels[code]) for code in FORMS]
