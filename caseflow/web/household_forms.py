"""The forms of a household's own facts: registering it once, and editing what it holds."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext
from wtforms import BooleanField, FieldList, FormField, HiddenField, IntegerField, SelectField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from caseflow.web.fields import Form
from caseflow.web.forms import REQUIRED, HouseholdForm, MemberForm, _choices, options


class RegistrationForm(HouseholdForm):
    """The registration form, sent once: its key is made when the form is shown."""

    submission_key = HiddenField(
        default=lambda: secrets.token_urlsafe(18), validators=[Optional(), Length(max=200)]
    )
    confirm_duplicate = BooleanField(lazy_gettext("Register this household anyway"))

    def household_fields(self) -> dict:
        return {
            **super().household_fields(),
            "confirm_duplicate": bool(self.confirm_duplicate.data),
        }


class MemberEditForm(MemberForm):
    """One member row of the edit form: an existing member carries its id."""

    member_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    remove = BooleanField(lazy_gettext("Remove this member"))

    def member_fields(self) -> dict:
        return {
            "id": self.member_id.data,
            "full_name": self.full_name.data.strip(),
            "birth_date": self.birth_date.data,
            "sex": self.sex.data or None,
            "relation": self.relation.data or None,
            "ethnicity": self.ethnicity.data or None,
            "disability": bool(self.disability.data),
        }


class HouseholdEditForm(Form):
    """A household's facts and members, as the user saw them (`version_seen`)."""

    # the registration form's own fields, with their checks
    head_name = HouseholdForm.head_name
    village = HouseholdForm.village
    address = HouseholdForm.address
    phone = HouseholdForm.phone
    national_id = HouseholdForm.national_id
    area = SelectField(lazy_gettext("Area"), validators=[InputRequired(REQUIRED)])
    members = FieldList(FormField(MemberEditForm), min_entries=1)
    version_seen = IntegerField(widget=HiddenInput(), validators=[InputRequired(REQUIRED)])
    validate_members = HouseholdForm.validate_members

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = options(_choices("area"))

    @classmethod
    def of(cls, household) -> HouseholdEditForm:
        """Return the form filled with what the household holds now, and a row for one more."""
        members = [
            {
                "member_id": m.id,
                **{
                    name: getattr(m, name)
                    for name in (
                        "full_name",
                        "birth_date",
                        "sex",
                        "relation",
                        "ethnicity",
                        "disability",
                    )
                },
            }
            for m in household.members
        ]
        form = cls(
            formdata=None,
            data={
                **{
                    name: getattr(household, name)
                    for name in ("head_name", "village", "address", "phone", "national_id", "area")
                },
                "members": members,
                "version_seen": household.version,
            },
        )
        form.members.append_entry()
        return form

    def household_fields(self) -> dict:
        """Return the facts as the service takes them; rows removed or left blank left out."""
        fields = {
            name: (getattr(self, name).data or None)
            for name in ("head_name", "village", "address", "phone", "national_id", "area")
        }
        fields["members"] = [
            row.form.member_fields()
            for row in self.members
            if not row.form.is_blank() and not row.form.remove.data
        ]
        return fields
