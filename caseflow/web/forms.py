"""The pages' forms (Flask-WTF: every posted form carries a CSRF token).

They show fields and hand back what was typed, shaped as the API's body (`body()`); the schemas
of caseflow.schemas judge it, for pages and API alike (caseflow.web.fields).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import AnyOf, EqualTo, InputRequired

from caseflow.domain import passwords
from caseflow.domain.standards import Standard
from caseflow.domain.workflow import FieldDef, TransitionDef
from caseflow.i18n import LABELS, field_label, label
from caseflow.web.fields import AmountText, DayText, Form, NumberText, today_typed

REQUIRED = lazy_gettext("Please fill in this field.")
#: a form reads the request's data unless it is given other data (None: none)
_POSTED = object()


class SearchForm(Form):
    """Filters of a listing; read with GET, so no token."""

    class Meta:
        csrf = False


class HouseholdFilterForm(SearchForm):
    q = StringField(lazy_gettext("Name, code, phone or ID number"), render_kw={"type": "search"})
    unit = SelectField(lazy_gettext("Unit"), validate_choice=False)
    state = SelectField(lazy_gettext("State"), validate_choice=False)
    classification = SelectField(lazy_gettext("Recognised class"), validate_choice=False)
    overdue = SelectField(lazy_gettext("Late work"), validate_choice=False)
    page = StringField(lazy_gettext("Page"))
    #: the cursor of a "next" link past the numbered pages
    after = StringField(lazy_gettext("Page"))

    def __init__(
        self,
        units: Iterable,
        states: Iterable[tuple[str, str]],
        classes: Iterable[tuple[str, str]],
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        anything = [("", lazy_gettext("All"))]
        self.unit.choices = options(anything + [(u.code, u.name) for u in units])
        self.state.choices = options(anything + list(states))
        self.classification.choices = options(anything + list(classes))
        self.overdue.choices = options(
            anything
            + [("1", lazy_gettext("With late work")), ("0", lazy_gettext("Without late work"))]
        )

    def body(self) -> dict:
        """Return the search as typed, shaped as the API's query."""
        return {
            name: getattr(self, name).data
            for name in ("q", "unit", "state", "classification", "overdue", "page", "after")
            if getattr(self, name).data is not None
        }


class UnitChoiceForm(SearchForm):
    unit = SelectField(lazy_gettext("Unit"), validate_choice=False)

    def __init__(self, units: Iterable, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = options((u.code, u.name) for u in units)


class LoginForm(Form):
    username = StringField(
        lazy_gettext("User name"), render_kw={"autocomplete": "username", "autocapitalize": "none"}
    )
    password = PasswordField(
        lazy_gettext("Password"), render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()

    def body(self) -> dict:
        return {"username": self.username.data, "password": self.password.data or ""}


DIFFERENT_PASSWORDS = lazy_gettext("The two new passwords differ.")


class PasswordForm(Form):
    """A logged-in user's new password, typed twice, and the current one to prove it is them."""

    current = PasswordField(
        lazy_gettext("Current password"),
        validators=[InputRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        lazy_gettext("New password"),
        validators=[InputRequired(REQUIRED)],
        description=lazy_gettext(
            "At least %(count)s characters, without your user name; not a common password.",
            count=passwords.MIN_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        lazy_gettext("New password again"),
        validators=[InputRequired(REQUIRED), EqualTo("new", DIFFERENT_PASSWORDS)],
        render_kw={"autocomplete": "new-password"},
    )


class TokenForm(Form):
    """A button that changes something and needs nothing but the token (log out, acknowledge)."""

    next = HiddenField()


class LanguageForm(Form):
    lang = HiddenField(validators=[AnyOf(("vi", "en"))])
    next = HiddenField()


class MemberForm(PlainForm):
    """One member row of the registration form; a blank row is ignored."""

    full_name = StringField(lazy_gettext("Full name"))
    birth_date = DayText(lazy_gettext("Date of birth"))
    sex = SelectField(lazy_gettext("Sex"), validate_choice=False)
    relation = SelectField(lazy_gettext("Relation to the head"), validate_choice=False)
    ethnicity = StringField(lazy_gettext("Ethnicity"))
    disability = BooleanField(lazy_gettext("Has a disability"))

    TEXTS = ("full_name", "birth_date", "sex", "relation", "ethnicity")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sex.choices = options([("", "—"), *_choices("sex")])
        self.relation.choices = options([("", "—"), *_choices("relation")])

    def is_blank(self) -> bool:
        return not self.disability.data and not any(
            (self[name].data or "").strip() for name in self.TEXTS
        )

    def body(self) -> dict:
        return {
            **{name: self[name].data for name in self.TEXTS},
            "disability": bool(self.disability.data),
        }


class HouseholdForm(Form):
    head_name = StringField(lazy_gettext("Name of the head of household"))
    unit_code = SelectField(lazy_gettext("Commune or village"), validate_choice=False)
    village = StringField(lazy_gettext("Village or hamlet"))
    address = StringField(lazy_gettext("Address"))
    phone = StringField(lazy_gettext("Phone"), render_kw={"inputmode": "tel"})
    national_id = StringField(
        lazy_gettext("National ID number of the head"), render_kw={"inputmode": "numeric"}
    )
    area = SelectField(lazy_gettext("Area"), validate_choice=False)
    members = FieldList(FormField(MemberForm), min_entries=3, max_entries=50)

    FACTS = ("head_name", "unit_code", "village", "address", "phone", "national_id", "area")

    def __init__(self, units: Iterable, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_code.choices = options([("", "—"), *((u.code, u.name) for u in units)])
        self.area.choices = options([("", lazy_gettext("As the unit")), *_choices("area")])

    def body(self) -> dict:
        """Return the registration as typed, shaped as the API's body; blank rows left out."""
        return {
            **{name: self[name].data for name in self.FACTS},
            "members": [row.form.body() for row in self.members if not row.form.is_blank()],
        }

    def member_rows(self) -> list[int]:
        """The indexes of the rows that were sent (as the body numbers them)."""
        return [i for i, row in enumerate(self.members) if not row.form.is_blank()]


def survey_form(standard: Standard, lang: str, formdata=_POSTED) -> Form:
    """Return the survey form: date, income in VND or as a score, and the indicators of
    `standard` (the one in force on the survey date), estimates marked *."""
    standard_of = standard

    class SurveyForm(Form):
        #: the standard whose indicators the form shows: a survey of another date is shown again
        standard_code = HiddenField(default=standard_of.code)
        #: the household's version when the form was first shown: sent twice, it is refused
        version_seen = HiddenField()
        surveyed_on = DayText(lazy_gettext("Survey date"), default=today_typed)
        income_basis = RadioField(
            lazy_gettext("Income is given as"),
            default="vnd",
            choices=options(_choices("income_basis")),
            validate_choice=False,
        )
        income = AmountText(lazy_gettext("Income"))

        def body(self) -> dict:
            """Return the survey as typed, shaped as the API's body."""
            income = (
                "income_score" if self.income_basis.data == "score" else "income_per_capita_month"
            )
            return {
                "surveyed_on": self.surveyed_on.data,
                income: self.income.data,
                "deprivations": {i.key: bool(self[i.key].data) for i in standard.indicators},
                "version": self.version_seen.data or None,
            }

    for indicator in standard.indicators:
        where = f"indicators.{indicator.key}"
        hint = indicator.deprived_when_en if lang == "en" else indicator.deprived_when_vi
        if standard.is_unconfirmed(f"{where}.deprived_when"):
            hint = f"{hint} *"
        name = indicator.name(lang) + (" *" if standard.is_unconfirmed(f"{where}.name") else "")
        setattr(SurveyForm, indicator.key, BooleanField(name, description=hint))
    return SurveyForm() if formdata is _POSTED else SurveyForm(formdata=formdata)


def action_form(transition: TransitionDef, version: int, formdata=None) -> Form:
    """Return the form of one trigger: exactly the fields the workflow says it needs."""

    class ActionForm(Form):
        version_seen = HiddenField(default=str(version))

        def body(self) -> dict:
            """Return the trigger as typed, shaped as the API's body (TransitionArgs)."""
            data = {spec.name: self[spec.name].data for spec in transition.fields}
            body = {"trigger": transition.trigger, "data": data, "version": self.version_seen.data}
            if transition.field("reason") is None:
                body["reason"] = self.note.data
            return body

    for spec in transition.fields:
        setattr(ActionForm, spec.name, _field_of(spec))
    if transition.field("reason") is None:
        ActionForm.note = TextAreaField(lazy_gettext("Note (why)"), render_kw={"rows": 2})
    return ActionForm(formdata=formdata, prefix=transition.trigger)


def _field_of(spec: FieldDef) -> Field:
    if spec.type == "date":
        return DayText(
            field_label(spec), default=today_typed if spec.default == "today" else spec.default
        )
    if spec.type == "number":
        return NumberText(field_label(spec), default=spec.default)
    if spec.type == "choice":
        choices = options((c, label(spec.name, c)) for c in spec.choices)
        return SelectField(
            field_label(spec), choices=choices, default=spec.default, validate_choice=False
        )
    if spec.type == "bool":
        return BooleanField(field_label(spec), default=spec.default)
    return TextAreaField(field_label(spec), default=spec.default, render_kw={"rows": 2})


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as the options of a select or radio field."""
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(kind: str) -> list[tuple[str, str]]:
    return [(code, label(kind, code)) for code in LABELS[kind]]


class DecisionForm(Form):
    """One decision on one or many approval requests."""

    ids = SelectMultipleField(validate_choice=False)
    decision = StringField()
    comment = TextAreaField(
        lazy_gettext("Comment, or the reason for a rejection"), render_kw={"rows": 2}
    )
    next = HiddenField()

    def body(self) -> dict:
        """Return the decision as typed, shaped as the API's batch body."""
        return {
            "ids": self.ids.data or [],
            "decision": self.decision.data,
            "comment": self.comment.data,
        }


class VisitForm(Form):
    visited_on = DayText(lazy_gettext("Visit date"), default=today_typed)
    notes = TextAreaField(lazy_gettext("What the visit found"), render_kw={"rows": 2})
    hardship = BooleanField(lazy_gettext("The household is in hardship again"))

    def body(self) -> dict:
        return {
            "visited_on": self.visited_on.data,
            "notes": self.notes.data,
            "hardship": bool(self.hardship.data),
        }


class SupportForm(Form):
    program = SelectField(lazy_gettext("Programme"), validate_choice=False)
    note = StringField(lazy_gettext("Note"))

    def body(self) -> dict:
        return {"program": self.program.data, "note": self.note.data}

    def __init__(self, programs: Iterable, lang: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.program.choices = options(
            [("", "—"), *((p.code, p.name_en if lang == "en" else p.name_vi) for p in programs)]
        )
