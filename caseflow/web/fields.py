"""The form base and field kinds of the pages.

A page's form shows fields and carries a CSRF token; it does not judge what was typed. The text
goes, as typed, to the same schema the API's body goes to (caseflow.schemas, read with
`typed_input`), so that a page accepts exactly what the API accepts: dates as dd/mm/yyyy,
amounts as 1.500.000. The fields here only say how a box looks on a phone and an old computer.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import StringField

from caseflow import clock
from caseflow.domain.errors import N_

#: WTForms' own messages, which it has no Vietnamese for: ours are in the catalog
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Invalid input."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
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

    def posted(self) -> bool:
        """Tell whether the form was sent with a valid token (what was typed is not judged)."""
        return self.validate_on_submit()


def shown_day(day: date | None) -> str:
    """A date as people type it on the pages: dd/mm/yyyy."""
    return f"{day:%d/%m/%Y}" if day else ""


def today_typed() -> str:
    return shown_day(clock.today())


def DayText(label, **kwargs) -> StringField:  # noqa: N802 - a field kind, like WTForms' own
    """A date typed as dd/mm/yyyy in a plain text box: the same on every browser, old or new."""
    kwargs.setdefault(
        "render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
    )
    return StringField(label, **kwargs)


def AmountText(label, **kwargs) -> StringField:  # noqa: N802
    """A whole number typed the Vietnamese way: 1.500.000 or 1 500 000 (đ) are all fine."""
    kwargs.setdefault("render_kw", {"inputmode": "numeric"})
    return StringField(label, **kwargs)


def NumberText(label, **kwargs) -> StringField:  # noqa: N802
    """A number that may have decimals, with a comma or a point."""
    kwargs.setdefault("render_kw", {"inputmode": "decimal"})
    return StringField(label, **kwargs)
