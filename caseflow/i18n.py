"""The pages' words: labels of codes, the workflow's own names, dates, money, and errors."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
    gettext,
    to_user_timezone,
)

from caseflow.domain.calendar import Duration
from caseflow.domain.classification import CLASSIFICATION_NAMES, explain, recorded
from caseflow.domain.errors import N_, Bilingual, DomainError, Money, Msg, Points
from caseflow.domain.text import mask
from caseflow.domain.workflow import FieldDef, WorkflowDef

LIFECYCLE = "household_lifecycle"
SUPPORT_ITEM = "support_item"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: labels of the codes the pages show; the msgids are English, the catalog holds Vietnamese
LABELS: dict[str, dict[str, str]] = {
    "role": {
        "case_worker": N_("Case worker"),
        "supervisor": N_("Supervisor"),
        "officer": N_("Officer"),
        "admin": N_("Administrator"),
    },
    "area": {"rural": N_("Rural"), "urban": N_("Urban")},
    "sex": {"male": N_("Male"), "female": N_("Female")},
    "relation": {
        "head": N_("Head of household"),
        "spouse": N_("Spouse"),
        "child": N_("Child"),
        "parent": N_("Parent"),
        "grandchild": N_("Grandchild"),
        "sibling": N_("Brother or sister"),
        "other": N_("Other relative"),
    },
    "approval": {
        "pending": N_("Waiting for a decision"),
        "approved": N_("Approved"),
        "rejected": N_("Rejected"),
        "stale": N_("Closed as stale"),
    },
    "deadline": {
        "pending": N_("Pending"),
        "claimed": N_("Being processed"),
        "fired": N_("Done"),
        "cancelled": N_("Cancelled"),
        "failed": N_("Failed"),
    },
    "deadline_kind": {
        "remind": N_("Reminder"),
        "overdue": N_("Time limit"),
        "escalate": N_("Escalation"),
        "auto": N_("Automatic step"),
        "repeat": N_("Recurring visit"),
    },
    "alert_kind": {
        "reminder": N_("Reminder"),
        "overdue": N_("Overdue"),
        "escalation": N_("Escalation"),
        "failure": N_("Failure"),
        "hardship": N_("Hardship found"),
    },
    "alert_status": {
        "open": N_("Open"),
        "acknowledged": N_("Acknowledged"),
        "closed": N_("Closed"),
    },
    "form": {
        "01": N_("Form 01: asks to be listed as poor or near-poor"),
        "04": N_("Form 04: asks to be recognised as out of poverty"),
    },
    "review_kind": {
        "regular": N_("Regular review (monthly)"),
        "periodic": N_("Periodic review (yearly)"),
    },
    "support": {
        "proposed": N_("Proposed"),
        "approved": N_("Approved"),
        "in_progress": N_("In progress"),
        "completed": N_("Completed"),
        "cancelled": N_("Cancelled"),
    },
    "income_basis": {
        "vnd": N_("Income in VND per person per month"),
        "score": N_("Income score (points)"),
    },
    "decision": {"approve": N_("Approve"), "reject": N_("Reject")},
    "unit_level": {
        "province": N_("Province"),
        "district": N_("District"),
        "commune": N_("Commune"),
        "ward": N_("Ward"),
        "township": N_("Township"),
        "village": N_("Village"),
    },
}
#: history rows that are not transitions of the workflow file
EXTRA_TRIGGERS = {
    "register": N_("Registered"),
    "edit": N_("Facts changed"),
    "import": N_("Imported from a file"),
}
#: payload fields written by the system rather than asked for by a trigger's form
EXTRA_FIELDS = {
    "assessment_classification": N_("Class found by the survey"),
    "surveyed_on": N_("Survey date"),
    "support_items": N_("Support items of the plan"),
    "file": N_("File"),
    "row": N_("Row"),
}
#: which translated label a message parameter holds, by the parameter's name
PARAM_KINDS = {"role": "role", "status": "approval"}
#: message parameters that hold the name of a field
FIELD_PARAMS = ("field", "other")
#: fields of the forms and bodies that are not a trigger's payload
FORM_FIELDS = {
    "recorded_on": N_("the previous recorded date"),
    "visited_on": N_("Visit date"),
    "birth_date": N_("Date of birth"),
    "head_name": N_("Name of the head of household"),
    "national_id": N_("National ID number of the head"),
}


def lang() -> str:
    """Return the language of this request: 'vi' or 'en'."""
    locale = get_locale()
    return locale.language if locale is not None else "vi"


def label(kind: str, code: str | None) -> str:
    """Return the translated label of a code, or the code itself when it has none."""
    if code is None:
        return ""
    text = LABELS.get(kind, {}).get(code)
    return gettext(text) if text else code


def class_label(code: str | None) -> str:
    """Return a class name (poor, near_poor, middle, better_off) in the page's language."""
    if not code:
        return ""
    name = CLASSIFICATION_NAMES["en" if lang() == "en" else "vi"].get(code, code)
    return name[:1].upper() + name[1:]


def lifecycle() -> WorkflowDef:
    from caseflow.services.definitions import definitions

    return definitions().current[LIFECYCLE]


def state_label(name: str | None, definition: WorkflowDef | None = None) -> str:
    """Return a state's name from the workflow file, in the page's language."""
    state = (definition or lifecycle()).states.get(name or "")
    if state is None:
        return name or ""
    return state.label_en if lang() == "en" else state.label_vi


def trigger_label(name: str, definition: WorkflowDef | None = None) -> str:
    """Return a trigger's name from the workflow file, in the page's language."""
    if name in EXTRA_TRIGGERS:
        return gettext(EXTRA_TRIGGERS[name])
    transition = next(
        (t for t in (definition or lifecycle()).transitions if t.trigger == name), None
    )
    if transition is None:
        return name
    return transition.label_en if lang() == "en" else transition.label_vi


def field_label(spec: FieldDef) -> str:
    return spec.label_en if lang() == "en" else spec.label_vi


def field_labels(definition: WorkflowDef | None = None) -> dict[str, str]:
    """Return the label of every payload field history may hold, by field name."""
    labels = {name: gettext(text) for name, text in EXTRA_FIELDS.items()}
    labels.update(
        {
            spec.name: field_label(spec)
            for t in (definition or lifecycle()).transitions
            for spec in t.fields
        }
    )
    return labels


def show_value(name: str, value: object) -> object:
    """Show a payload value: dates as dates, codes by their labels."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, int | float):
        return number(value)
    if name.endswith("classification"):
        return class_label(str(value))
    if isinstance(value, str) and name in LABELS:
        return label(name, value)
    return show_param(name, value)


def timer_message(deadline, definition: WorkflowDef | None = None) -> str:
    """Return the workflow file's words for what a deadline is about."""
    state = (definition or lifecycle()).states.get(deadline.state)
    timer = next((t for t in state.timers if t.key == deadline.timer), None) if state else None
    if timer is None:
        return deadline.timer
    message = timer.message_en if lang() == "en" else timer.message_vi
    return message or trigger_label(timer.trigger or deadline.timer, definition)


def support_state(name: str) -> str:
    """Return a support item's state name from its workflow file."""
    from caseflow.services.definitions import definitions

    return state_label(name, definitions().current.get(SUPPORT_ITEM) or lifecycle())


def show_date(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy in Vietnamese, '5 Mar 2025' in English; a moment shows its local date."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return format_date(value, "d MMM yyyy" if lang() == "en" else "dd/MM/yyyy")


def show_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "d MMM yyyy, HH:mm" if lang() == "en" else "dd/MM/yyyy HH:mm")


def money(value: int | float | None) -> str:
    """1.500.000 đ in Vietnamese, 1,500,000 VND in English."""
    if value is None:
        return ""
    return f"{format_decimal(value)}\u00a0{'VND' if lang() == 'en' else 'đ'}"


def number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value)


def counted(singular: str, plural: str, num: int) -> str:
    """ngettext with the count grouped the reader's way: 10.017 hộ, 10,017 households."""
    return get_translations().ungettext(singular, plural, num) % {"num": number(num)}


def percent(value: float | None) -> str:
    return "" if value is None else format_percent(value, "#,##0.0%")


def show_param(name: str, value: object) -> object:
    """Show a message parameter as the page would: dates, classes, states and triggers named."""
    if isinstance(value, Duration):
        return duration(value)
    if isinstance(value, date):
        return show_date(value)
    if not isinstance(value, str):
        return value
    if ISO_DATE.match(value):
        return show_date(value)
    if name in ("cls", "status") and value in CLASSIFICATION_NAMES["en"]:
        return class_label(value).lower()
    if name in PARAM_KINDS:  # inside a sentence: "(đã phê duyệt)", "(officer)"
        shown = label(PARAM_KINDS[name], value)
        return shown[:1].lower() + shown[1:]
    if name == "classes":
        return ", ".join(class_label(v.strip()).lower() or v for v in value.split(","))
    if name == "state":
        return state_label(value)
    if name == "trigger":
        return trigger_label(value)
    if name in FIELD_PARAMS:
        return any_field_label(value)
    return value


def any_field_label(name: str) -> str:
    """Return the label of a payload or form field by its name, else the name itself."""
    labels = field_labels()
    if name in labels:
        return labels[name]
    return gettext(FORM_FIELDS[name]) if name in FORM_FIELDS else name


def render(message: object) -> str:
    """Return a message in the reader's language: a Msg by its id with its parameters shown
    the local way, a fixed text (marshmallow's, WTForms') by the catalog."""
    if isinstance(message, Msg):
        return _filled(message.template, message.params)
    text = str(message)
    return gettext(text) if text else text


def _filled(template: str, params: Mapping[str, object]) -> str:
    translated = gettext(template)
    if not params:
        return translated
    try:
        return translated % {k: _shown(k, v) for k, v in params.items()}
    except (KeyError, ValueError, TypeError):  # a translation that lost a parameter
        return template % params


def _shown(name: str, value: object) -> object:
    if isinstance(value, Msg):
        return render(value)
    if isinstance(value, Bilingual):
        return value.vi if lang() == "vi" else str(value)
    if isinstance(value, Money):
        return money(int(value)).replace("\u00a0", " ")
    if isinstance(value, Points):
        return gettext("%(points)s points", points=number(int(value)))
    return show_param(name, value)


def explanation(assessment) -> str:
    """Say why a stored survey got its class, in the reader's language, from its numbers."""
    from caseflow.services.definitions import standard_by_code

    standard = standard_by_code(assessment.standard)
    if standard is None:
        return class_label(assessment.classification)
    result = recorded(
        standard,
        assessment.classification,
        assessment.deprivations,
        assessment.income_per_capita_month,
        assessment.income_score,
        assessment.income_line,
        assessment.middle_line,
        assessment.area,
    )
    return render(explain(result, standard))


def error_message(error: DomainError) -> str:
    """Return a domain error's message in the reader's language, its dates and codes named."""
    return _filled(error.template, error.params)


def field_errors(error: DomainError) -> dict[str, object]:
    """Return a domain error's per-field messages in the reader's language."""
    return render_fields(error.fields)


def render_fields(fields: object) -> dict[str, object]:
    """Render nested field messages ({"members": {0: {"full_name": [...]}}}) for the reader."""
    if isinstance(fields, Mapping):
        return {str(name): _rendered(value) for name, value in fields.items()}
    return {"_schema": _rendered(fields)}


def _rendered(value: object) -> object:
    if isinstance(value, Mapping):
        return render_fields(value)
    if isinstance(value, list | tuple):
        return [_rendered(item) for item in value]
    return render(value)


def duration(value: Duration) -> str:
    """Say a workflow duration in the reader's language: 3 ngày làm việc, 3 working days."""
    words = {
        "days": (N_("%(num)s day"), N_("%(num)s days")),
        "working_days": (N_("%(num)s working day"), N_("%(num)s working days")),
        "months": (N_("%(num)s month"), N_("%(num)s months")),
    }
    if value.unit == "annual":
        return gettext("every year on %(day)s", day=f"{value.day:02d}/{value.month:02d}")
    singular, plural = words[value.unit]
    return gettext(singular if value.amount == 1 else plural, num=value.amount)


@lru_cache(maxsize=32)
def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """Return a static file's URL with its content hash, so browsers may cache it for long."""
    from flask import current_app

    return url_for(
        "static", filename=filename, v=_digest(str(Path(current_app.static_folder) / filename))
    )


def register(app: Flask) -> None:
    """Give the templates their filters and helpers."""
    app.jinja_env.filters.update(
        date=show_date,
        datetime=show_datetime,
        money=money,
        number=number,
        percent=percent,
    )
    app.jinja_env.globals.update(
        label=label,
        class_label=class_label,
        state_label=state_label,
        trigger_label=trigger_label,
        field_label=field_label,
        timer_message=timer_message,
        lang=lang,
        static_url=static_url,
        show_value=show_value,
        mask=mask,
        support_state=support_state,
        explanation=explanation,
    )
