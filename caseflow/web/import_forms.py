"""The import page's forms: the upload, and the confirmation of a checked file."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField

from caseflow.web.fields import Form
from caseflow.web.forms import options


class UploadForm(Form):
    unit = SelectField(lazy_gettext("Import into the unit"), validate_choice=False)
    file = FileField(
        lazy_gettext("File (.xlsx or .csv)"),
        description=lazy_gettext(
            "Fill in the template: sheets Hộ, Thành viên and Khảo sát; a CSV file holds the "
            "sheet Hộ alone."
        ),
        render_kw={"accept": ".xlsx,.csv"},
    )

    def __init__(self, units: Iterable, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = options((u.code, u.name) for u in units)


class ConfirmForm(Form):
    token = HiddenField()
    filename = HiddenField()
    unit = HiddenField()
