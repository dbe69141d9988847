"""Field types and the form base of the pages: dates typed dd/mm/yyyy, amounts typed the
Vietnamese way (1.500.000), and WTForms' own messages answered from the app's catalog."""

from __future__ import annotations

import math
import re

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import DateField, Field
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from caseflow import clock
from caseflow.domain.errors import N_

#: dates are typed dd/mm/yyyy whatever the browser's language (ISO is accepted too)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
#: WTForms' own messages, which it has no Vietnamese for: ours are in the catalog
WTFORMS_MESSAGES = (
    N_("This field is required."), N_("Not a valid date value."),
    N_("Not a valid integer value."), N_("Not a valid choice."), N_("Invalid input."),
    N_("The CSRF token is missing."), N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."), N_("The CSRF tokens do not match."),
    N_("The CSRF session token is missing."),
)


class _Translations:
    """WTForms asks for its own messages through this; the app's catalog answers."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """A page's form: a CSRF token, and WTForms' messages in the page's language."""

    class Meta:
        def get_translations(self, form):
            return _Translations()


def not_in_future(form, field) -> None:
    if field.data and field.data > clock.today():
        raise ValidationError(gettext("A date cannot be in the future."))


class DayField(DateField):
    """A date typed as dd/mm/yyyy in a plain text box: the same on every browser, old or new."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                        "autocomplete": "off"})
        super().__init__(label, validators, format=DATE_FORMATS, **kwargs)


class _Typed(Field):
    """A number typed as text: when the text is not understood, say so and nothing more."""

    widget = TextInput()
    inputmode = "numeric"

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": self.inputmode})
        super().__init__(label, validators, **kwargs)

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else ("" if self.data is None else str(self.data))

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()


class AmountField(_Typed):
    """A whole number typed the Vietnamese way: 1.500.000 or 1 500 000 (đ) are all fine."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = re.sub(r"[\s.,_]|đ|vnd", "", (valuelist[0] if valuelist else "").lower())
        if not text:
            return
        if not text.isdigit():
            raise ValueError(gettext("Give a whole number, for example 1.500.000."))
        self.data = int(text)


class NumberField(_Typed):
    """A number that may have decimals, with a comma or a point."""

    inputmode = "decimal"

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        if not text:
            return
        try:
            value = float(text)
        except ValueError:
            raise ValueError(gettext("Not a valid number.")) from None
        if not math.isfinite(value):
            raise ValueError(gettext("Not a valid number."))
        self.data = int(value) if value.is_integer() else value
