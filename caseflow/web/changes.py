"""A change of facts as the timeline reads it: "Số điện thoại: 0912345678 → 0987654321"."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from caseflow.domain.errors import N_
from caseflow.i18n import label, show_date
from caseflow.services.households import shown_data

#: the words of each fact a change may touch, the household's and its members'
FACT_LABELS = {
    "head_name": N_("Name of the head of household"),
    "village": N_("Village or hamlet"),
    "address": N_("Address"),
    "phone": N_("Phone number"),
    "national_id": N_("National ID number of the head"),
    "area": N_("Area"),
    "full_name": N_("Full name"),
    "birth_date": N_("Date of birth"),
    "sex": N_("Sex"),
    "relation": N_("Relation to the head"),
    "ethnicity": N_("Ethnicity"),
    "disability": N_("Has a disability"),
}
#: facts whose values are codes with labels of their own
CODED = ("area", "sex", "relation")
NOTHING = "—"


def lines(event) -> list[str]:
    """Return one line per change an `edit` event records, identifiers masked as the reader
    must see them."""
    record = shown_data(event)
    found = [_change(name, change) for name, change in record.get("facts", {}).items()]
    members = record.get("members", {})
    found += [
        gettext("Member added: %(member)s", member=_member(m)) for m in members.get("added", ())
    ]
    found += [
        gettext("Member removed: %(member)s", member=_member(m)) for m in members.get("removed", ())
    ]
    for member in members.get("changed", ()):
        found += [
            f"{member.get('full_name') or NOTHING}: {_change(name, change)}"
            for name, change in member.get("facts", {}).items()
        ]
    return found


def _change(name: str, change: Mapping) -> str:
    return f"{_label(name)}: {_value(name, change.get('old'))} → {_value(name, change.get('new'))}"


def _member(member: Mapping) -> str:
    """A member's name, and what else tells them apart: relation and date of birth."""
    details = [_value(n, member.get(n)) for n in ("relation", "birth_date") if member.get(n)]
    name = member.get("full_name") or NOTHING
    return f"{name} ({', '.join(details)})" if details else name


def _label(name: str) -> str:
    return gettext(FACT_LABELS[name]) if name in FACT_LABELS else name


def _value(name: str, value: object) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if name == "birth_date":
        return show_date(str(value))
    if name in CODED:
        return label(name, str(value))
    return str(value)
