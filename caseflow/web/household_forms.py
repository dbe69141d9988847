"""The forms of a household's own facts: registering it once, and editing what it holds.

As every page form, they show fields and hand back what was typed (`body()`), which the API's
schemas judge (HouseholdArgs, HouseholdPatchArgs).
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext
from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectField, StringField

from caseflow.web.fields import Form, shown_day
from caseflow.web.forms import HouseholdForm, MemberForm, _choices, options

FACTS = ("head_name", "village", "address", "phone", "national_id", "area")


class RegistrationForm(HouseholdForm):
    """The registration form, sent once: its key is made when the form is shown."""

    submission_key = HiddenField(default=lambda: secrets.token_urlsafe(18))
    confirm_duplicate = BooleanField(lazy_gettext("Register this household anyway"))

    def body(self) -> dict:
        return {**super().body(), "confirm_duplicate": bool(self.confirm_duplicate.data)}

    def key(self) -> str | None:
        """The form's one-time key, if it looks like one (a page never sends another)."""
        key = (self.submission_key.data or "").strip()
        return key if 0 < len(key) <= 200 and key.isascii() and key.isprintable() else None


class MemberEditForm(MemberForm):
    """One member row of the edit form: an existing member carries its id."""

    member_id = HiddenField()
    remove = BooleanField(lazy_gettext("Remove this member"))

    def body(self) -> dict:
        return {"id": self.member_id.data, **super().body()}


class HouseholdEditForm(Form):
    """A household's facts and members, as the user saw them (`version_seen`)."""

    head_name = StringField(lazy_gettext("Name of the head of household"))
    village = StringField(lazy_gettext("Village or hamlet"))
    address = StringField(lazy_gettext("Address"))
    phone = StringField(lazy_gettext("Phone"), render_kw={"inputmode": "tel"})
    national_id = StringField(
        lazy_gettext("National ID number of the head"), render_kw={"inputmode": "numeric"}
    )
    area = SelectField(lazy_gettext("Area"), validate_choice=False)
    members = FieldList(FormField(MemberEditForm), min_entries=1, max_entries=50)
    version_seen = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = options(_choices("area"))

    @classmethod
    def of(cls, household) -> HouseholdEditForm:
        """Return the form filled with what the household holds now, and a row for one more."""
        members = [
            {
                "member_id": str(m.id),
                "full_name": m.full_name,
                "birth_date": shown_day(m.birth_date),
                "sex": m.sex or "",
                "relation": m.relation or "",
                "ethnicity": m.ethnicity or "",
                "disability": m.disability,
            }
            for m in household.members
        ]
        form = cls(
            formdata=None,
            data={
                **{name: getattr(household, name) or "" for name in FACTS},
                "members": members,
                "version_seen": str(household.version),
            },
        )
        form.members.append_entry()
        return form

    def rows(self) -> list[int]:
        """The member rows sent: neither blank nor ticked to be removed (as the body numbers
        them)."""
        return [
            i
            for i, row in enumerate(self.members)
            if not row.form.is_blank() and not row.form.remove.data
        ]

    def body(self) -> dict:
        """Return the facts as typed, shaped as the API's PATCH body; a box emptied clears its
        fact (None), which the name of the head may not be."""
        return {
            **{name: (self[name].data or "").strip() or None for name in FACTS},
            "members": [self.members[i].form.body() for i in self.rows()],
            "version": self.version_seen.data,
        }
