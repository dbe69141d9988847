"""The household page: everything about one case and what this user may do with it now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import render_template
from flask_login import current_user
from wtforms import FieldList

from caseflow.domain.workflow import TransitionDef
from caseflow.i18n import field_labels, lang
from caseflow.services import assessments, households, supports, visits
from caseflow.services.access import WRITERS
from caseflow.services.definitions import workflow
from caseflow.services.households import SEES_IDENTIFIERS
from caseflow.web import changes
from caseflow.web.fields import Form
from caseflow.web.forms import DecisionForm, SupportForm, VisitForm, action_form


@dataclass
class Action:
    """One trigger this user may fire now, with its form."""

    transition: TransitionDef
    form: Form


def render(
    household_id: int,
    *,
    forms: Mapping[str, Form] | None = None,
    refused: Mapping[str, str] | None = None,
    notice: str | None = None,
    support_form: SupportForm | None = None,
    support_error: str | None = None,
    visit_form: VisitForm | None = None,
    visit_error: str | None = None,
    status: int = 200,
):
    """Render the household page; posted forms and refusals are shown where they were made."""
    actor, forms = current_user, forms or {}
    household = households.annotate(actor, [households.get(actor, household_id)])[0]
    definition = workflow(household.workflow, household.workflow_version)
    actions = []
    for trigger in household.available_triggers:
        transition = definition.transition(trigger, household.state)
        actions.append(
            Action(transition, forms.get(trigger) or action_form(transition, household.version))
        )
    shown = {action.transition.trigger for action in actions}
    notice = notice or next((m for t, m in (refused or {}).items() if t not in shown), None)
    programs = supports.programs()
    items = supports.list_for(actor, household_id)
    names = {p.code: p.name_en if lang() == "en" else p.name_vi for p in programs}
    eligible = supports.eligible_programs(household)
    approval = household.pending_approval
    monitored = any(t.kind == "repeat" for t in definition.states[household.state].timers)
    return render_template(
        "households/page.html",
        household=household,
        definition=definition,
        actions=actions,
        refused=refused or {},
        notice=notice,
        history=households.history(actor, household_id),
        surveys=assessments.list_for(actor, household_id),
        supports=items,
        support_names={i.id: names.get(i.program_code, i.program_code) for i in items},
        deadlines=households.deadlines(actor, household_id),
        programs={p.code: p for p in programs},
        support_form=(support_form or SupportForm(eligible, lang(), formdata=None))
        if actor.role in WRITERS and eligible
        else None,
        support_error=support_error,
        field_labels=field_labels(definition),
        visits=visits.list_for(actor, household_id),
        visit_form=(visit_form or VisitForm(formdata=None))
        if monitored and actor.role in WRITERS
        else None,
        visit_error=visit_error,
        can_write=actor.role in WRITERS,
        show_identifiers=actor.role in SEES_IDENTIFIERS,
        change_lines=changes.lines,
        decision_form=DecisionForm(formdata=None)
        if approval is not None and decides(actor, approval)
        else None,
    ), status


def attach(form, errors: Mapping[str, object], renamed: Mapping | None = None) -> list[str]:
    """Show a service's per-field messages beside the form's fields; return those that fit none.

    `errors` may nest, as marshmallow reports a list of rows ({"members": {"0": {...}}});
    `renamed` maps a body's field to the form's (income_score -> income) or, for a list, the
    body's row numbers to the form's.
    """
    renamed = renamed or {}
    left: list[str] = []
    form._errors = None  # WTForms keeps the errors it found in validate(); these are new
    for name, messages in errors.items():
        target = renamed.get(name, name)
        if isinstance(messages, Mapping):
            field = form[name] if name in form else None  # noqa: SIM401 - a form has no get()
            if isinstance(field, FieldList):
                left += _attach_rows(field, messages, target if isinstance(target, Mapping) else {})
            else:
                left += attach(form, messages)
        elif isinstance(target, str) and target in form:
            form[target].errors = [*form[target].errors, *map(str, messages)]
        else:
            left += [str(m) for m in messages]
    return left


def _attach_rows(field: FieldList, errors: Mapping, rows: Mapping) -> list[str]:
    left: list[str] = []
    for index, messages in errors.items():
        row = rows.get(int(index), int(index)) if str(index).isdigit() else None
        if row is not None and row < len(field.entries) and isinstance(messages, Mapping):
            left += attach(field.entries[row].form, messages)
        else:
            left += [str(m) for m in (messages if isinstance(messages, list) else [messages])]
    field.errors = [entry.errors for entry in field.entries if entry.errors]
    return left


def page_number() -> int:
    """The page of a listing the link asks for (?page=), by the rules of the API's lists."""
    from flask import request

    from caseflow.schemas.common import PageArgs, load_typed

    return load_typed(PageArgs(), {"page": request.args.get("page", "1")})["page"]


def decides(actor, approval) -> bool:
    """Tell whether `actor` may decide this request (its approver role, never its requester)."""
    return actor.role in (approval.approver_role, "admin") and approval.requested_by_id != actor.id
