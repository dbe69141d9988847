"""The pages' forms (Flask-WTF: every posted form carries a CSRF token)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext, lazy_gettext
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from caseflow import clock
from caseflow.domain.standards import Standard
from caseflow.domain.workflow import FieldDef, TransitionDef
from caseflow.web.fields import AmountField, DayField, Form, NumberField, not_in_future
from caseflow.web.i18n import LABELS, field_label, label

REQUIRED = lazy_gettext("Please fill in this field.")


class SearchForm(Form):
    """Filters of a listing; read with GET, so no token."""

    class Meta:
        csrf = False


class HouseholdFilterForm(SearchForm):
    q = StringField(lazy_gettext("Name"), validators=[Optional(), Length(max=200)],
                    render_kw={"type": "search"})
    unit = SelectField(lazy_gettext("Unit"), validators=[Optional()])
    state = SelectField(lazy_gettext("State"), validators=[Optional()])
    classification = SelectField(lazy_gettext("Recognised class"), validators=[Optional()])
    overdue = SelectField(lazy_gettext("Late work"), validators=[Optional()])
    page = IntegerField(lazy_gettext("Page"), default=1,
                        validators=[Optional(), NumberRange(min=1)])

    def __init__(self, units: Iterable, states: Iterable[tuple[str, str]],
                 classes: Iterable[tuple[str, str]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", lazy_gettext("All"))]
        self.unit.choices = options(anything + [(u.code, u.name) for u in units])
        self.state.choices = options(anything + list(states))
        self.classification.choices = options(anything + list(classes))
        self.overdue.choices = options(anything + [("1", lazy_gettext("With late work")),
                                                   ("0", lazy_gettext("Without late work"))])

    def filters(self) -> dict:
        """Return the search's filters as the households service takes them."""
        found = {name: getattr(self, name).data or None
                 for name in ("q", "unit", "state", "classification")}
        found["overdue"] = {"1": True, "0": False}.get(self.overdue.data)
        return {k: v for k, v in found.items() if v is not None}


class UnitChoiceForm(SearchForm):
    unit = SelectField(lazy_gettext("Unit"), validators=[Optional()])

    def __init__(self, units: Iterable, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = options((u.code, u.name) for u in units)


class LoginForm(Form):
    username = StringField(lazy_gettext("User name"),
                           validators=[InputRequired(REQUIRED), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(lazy_gettext("Password"), validators=[InputRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class TokenForm(Form):
    """A button that changes something and needs nothing but the token (log out, acknowledge)."""

    next = HiddenField()


class LanguageForm(Form):
    lang = HiddenField(validators=[AnyOf(("vi", "en"))])
    next = HiddenField()


class MemberForm(PlainForm):
    """One member row of the registration form; a blank row is ignored."""

    full_name = StringField(lazy_gettext("Full name"), validators=[Optional(), Length(max=200)])
    birth_date = DayField(lazy_gettext("Date of birth"), validators=[Optional(), not_in_future])
    sex = SelectField(lazy_gettext("Sex"), validators=[Optional()])
    relation = SelectField(lazy_gettext("Relation to the head"), validators=[Optional()])
    ethnicity = StringField(lazy_gettext("Ethnicity"), validators=[Optional(), Length(max=50)])
    disability = BooleanField(lazy_gettext("Has a disability"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sex.choices = options([("", "—"), *_choices("sex")])
        self.relation.choices = options([("", "—"), *_choices("relation")])

    def is_blank(self) -> bool:
        return not any((self.full_name.data, self.birth_date.data, self.sex.data,
                        self.relation.data, self.ethnicity.data, self.disability.data))


class HouseholdForm(Form):
    head_name = StringField(lazy_gettext("Name of the head of household"),
                            validators=[InputRequired(REQUIRED), Length(max=200)])
    unit_code = SelectField(lazy_gettext("Commune or village"),
                            validators=[InputRequired(REQUIRED)])
    village = StringField(lazy_gettext("Village or hamlet"),
                          validators=[Optional(), Length(max=200)])
    address = StringField(lazy_gettext("Address"), validators=[Optional(), Length(max=300)])
    phone = StringField(lazy_gettext("Phone"), render_kw={"inputmode": "tel"}, validators=[
        Optional(), Regexp(r"^[0-9 +().-]{6,30}$",
                           message=lazy_gettext("A phone number has 6 to 30 digits."))])
    national_id = StringField(
        lazy_gettext("National ID number of the head"), render_kw={"inputmode": "numeric"},
        validators=[Optional(), Regexp(r"^[0-9]{9,12}$", message=lazy_gettext(
            "A national ID number has 9 to 12 digits."))])
    area = SelectField(lazy_gettext("Area"), validators=[Optional()])
    members = FieldList(FormField(MemberForm), min_entries=3)

    def __init__(self, units: Iterable, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_code.choices = options([("", "—"), *((u.code, u.name) for u in units)])
        self.area.choices = options([("", lazy_gettext("As the unit")), *_choices("area")])

    def validate_members(self, field) -> None:
        for row in field:
            if not row.form.is_blank() and not row.form.full_name.data:
                row.form.full_name.errors.append(gettext("Give the member's full name."))
                raise ValidationError(gettext("Every member needs a full name."))

    def household_fields(self) -> dict:
        """Return the registration as the service takes it; blank member rows left out."""
        fields = {name: (getattr(self, name).data or None) for name in (
            "head_name", "unit_code", "village", "address", "phone", "national_id", "area")}
        fields["members"] = [
            {"full_name": row.form.full_name.data.strip(),
             "birth_date": row.form.birth_date.data, "sex": row.form.sex.data or None,
             "relation": row.form.relation.data or None,
             "ethnicity": row.form.ethnicity.data or None,
             "disability": bool(row.form.disability.data)}
            for row in self.members if not row.form.is_blank()]
        return fields


def survey_form(standard: Standard, lang: str) -> Form:
    """Return the survey form: date, income in VND or as a score, and the twelve indicators."""

    class SurveyForm(Form):
        surveyed_on = DayField(lazy_gettext("Survey date"), default=clock.today,
                               validators=[InputRequired(REQUIRED), not_in_future])
        income_basis = RadioField(lazy_gettext("Income is given as"), default="vnd",
                                  choices=options(_choices("income_basis")),
                                  validators=[InputRequired(REQUIRED)])
        income = AmountField(lazy_gettext("Income"), validators=[InputRequired(REQUIRED)])

        def survey_fields(self) -> dict:
            income = ("income_per_capita_month" if self.income_basis.data == "vnd"
                      else "income_score")
            return {"surveyed_on": self.surveyed_on.data, income: self.income.data,
                    "deprivations": {i.key: bool(self[i.key].data)
                                     for i in standard.indicators}}

    for indicator in standard.indicators:
        hint = indicator.deprived_when_en if lang == "en" else indicator.deprived_when_vi
        setattr(SurveyForm, indicator.key,
                BooleanField(indicator.name(lang), description=hint))
    return SurveyForm()


def action_form(transition: TransitionDef, version: int, formdata=None) -> Form:
    """Return the form of one trigger: exactly the fields the workflow says it needs."""

    class ActionForm(Form):
        version_seen = IntegerField(widget=HiddenInput(), default=version)

        def payload(self) -> tuple[dict, str | None, int | None]:
            """Return the trigger's data, the reason and the version the user saw."""
            data = {spec.name: self[spec.name].data for spec in transition.fields
                    if self[spec.name].data not in (None, "")}
            reason = data.get("reason") if transition.field("reason") else self.note.data
            return data, (reason or None), self.version_seen.data

    for spec in transition.fields:
        setattr(ActionForm, spec.name, _field_of(spec))
    if transition.field("reason") is None:
        ActionForm.note = TextAreaField(lazy_gettext("Note (why)"),
                                        validators=[Optional(), Length(max=2000)],
                                        render_kw={"rows": 2})
    return ActionForm(formdata=formdata, prefix=transition.trigger)


def _field_of(spec: FieldDef) -> Field:
    checks = [InputRequired(REQUIRED) if spec.required else Optional()]
    kwargs: dict = {"validators": checks}
    if spec.type == "date":
        kwargs["default"] = clock.today if spec.default == "today" else spec.default
        return DayField(field_label(spec), **{**kwargs, "validators": [*checks, not_in_future]})
    if spec.type == "number":
        checks.append(NumberRange(spec.minimum, spec.maximum, message=_range_message(spec)))
        return NumberField(field_label(spec), default=spec.default, **kwargs)
    if spec.type == "choice":
        choices = options((c, label(spec.name, c)) for c in spec.choices)
        return SelectField(field_label(spec), choices=choices, default=spec.default, **kwargs)
    if spec.type == "bool":
        return BooleanField(field_label(spec), default=spec.default)
    checks.append(Length(max=2000))
    return TextAreaField(field_label(spec), default=spec.default, render_kw={"rows": 2},
                         **kwargs)


def _range_message(spec: FieldDef) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return gettext("Give a number from %(low)s to %(high)s.", low=_plain(spec.minimum),
                       high=_plain(spec.maximum))
    if spec.minimum is not None:
        return gettext("Must be at least %(minimum)s.", minimum=_plain(spec.minimum))
    return gettext("Must be at most %(maximum)s.", maximum=_plain(spec.maximum))


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Return (value, label) pairs as the options of a select or radio field."""
    return [SelectChoice(value, label) for value, label in pairs]


def _choices(kind: str) -> list[tuple[str, str]]:
    return [(code, label(kind, code)) for code in LABELS[kind]]


class DecisionForm(Form):
    """One decision on one or many approval requests."""

    ids = SelectMultipleField(coerce=int, validate_choice=False)
    decision = StringField(validators=[AnyOf(("approve", "reject"))])
    comment = TextAreaField(lazy_gettext("Comment, or the reason for a rejection"),
                            validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    next = HiddenField()

    def validate_ids(self, field) -> None:
        if not field.data:
            raise ValidationError(gettext("Select at least one request."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "reject" and not (self.comment.data or "").strip():
            self.comment.errors.append(gettext("A rejection needs a reason."))
            return False
        return valid


class VisitForm(Form):
    visited_on = DayField(lazy_gettext("Visit date"), default=clock.today,
                          validators=[InputRequired(REQUIRED), not_in_future])
    notes = TextAreaField(lazy_gettext("What the visit found"),
                          validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    hardship = BooleanField(lazy_gettext("The household is in hardship again"))


class SupportForm(Form):
    program = SelectField(lazy_gettext("Programme"), validators=[InputRequired(REQUIRED)])
    note = StringField(lazy_gettext("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, programs: Iterable, lang: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.program.choices = options([("", "—"), *(
            (p.code, p.name_en if lang == "en" else p.name_vi) for p in programs)])
