"""Households: search, the household page and its actions, registration, surveys, supports."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow import clock
from caseflow.domain.duplicates import PossibleDuplicate
from caseflow.domain.errors import DomainError, StaleVersion
from caseflow.domain.inputs import Refused, read_typed_date
from caseflow.domain.standards import standard_in_force
from caseflow.domain.statuses import LISTED
from caseflow.i18n import (
    class_label,
    error_message,
    field_errors,
    lang,
    lifecycle,
    state_label,
    trigger_label,
)
from caseflow.models import Unit
from caseflow.schemas.alerts import VisitArgs
from caseflow.schemas.common import load_typed
from caseflow.schemas.households import (
    AssessmentArgs,
    HouseholdArgs,
    HouseholdPatchArgs,
    HouseholdQueryArgs,
    TransitionArgs,
)
from caseflow.schemas.others import SupportArgs
from caseflow.services import (
    assessments,
    cases,
    households,
    supports,
    units,
    visits,
    worklist,
)
from caseflow.services.access import WRITERS, require_role
from caseflow.services.bulk import standard_on
from caseflow.services.definitions import standard_by_code, standards, workflow
from caseflow.web import casefile
from caseflow.web.forms import (
    HouseholdFilterForm,
    SupportForm,
    VisitForm,
    action_form,
    survey_form,
)
from caseflow.web.household_forms import HouseholdEditForm, RegistrationForm

bp = Blueprint("casework", __name__, url_prefix="/households")
PER_PAGE = 25
#: the API's names of survey fields, as the survey form names them
SURVEY_FIELDS = {"income_per_capita_month": "income", "income_score": "income"}


@bp.route("")
def search():
    """Find households by name, code, phone or national ID (accents ignored), unit, state,
    class and late work."""
    form = HouseholdFilterForm(
        units.list_units(current_user),
        [(s, state_label(s)) for s in lifecycle().states],
        [(c, class_label(c)) for c in LISTED],
        formdata=request.args,
    )
    try:
        query = load_typed(HouseholdQueryArgs(), form.body())
        query["per_page"] = PER_PAGE
        page = households.search(current_user, **query)
    except DomainError as error:
        left = casefile.attach(form, field_errors(error))
        # page and after have no box: their errors join the message
        message = " ".join([error_message(error), *left, *form.page.errors, *form.after.errors])
        return render_template(
            "households/search.html", form=form, page=None, error=message
        ), error.status
    late = worklist.overdue_among(h.id for h in page.items)
    return render_template("households/search.html", form=form, page=page, late=late)


@bp.route("/new", methods=["GET", "POST"])
def register():
    """Register a household with its members; 'one more member' adds a row without saving.

    The form's one-time key registers it once: sent again (the back button, a double click),
    it shows the household it made."""
    require_role(current_user, *WRITERS)
    communes = [u for u in units.list_units(current_user) if u.level in Unit.COMMUNE_LEVELS]
    form = RegistrationForm(communes)
    if "add_member" in request.form and len(form.members) < form.members.max_entries:
        form.members.append_entry()
        return render_template("households/new.html", form=form)
    if not form.posted():
        return render_template("households/new.html", form=form), 422 if form.errors else 200
    try:
        household = households.register(
            current_user, load_typed(HouseholdArgs(), form.body()), form.key(), same_request=False
        )
    except PossibleDuplicate as error:
        return render_template(
            "households/new.html", form=form, duplicate=_other(error)
        ), error.status
    except DomainError as error:
        return _refused(
            "households/new.html",
            form,
            error,
            {"members": dict(enumerate(form.member_rows()))},
            holder=_other(error),
        )
    if getattr(household, "registered_again", False):
        flash(
            gettext(
                "This form had already been sent: the household was registered once, here it is."
            ),
            "info",
        )
    else:
        flash(gettext("Household %(name)s registered.", name=household.head_name), "success")
    return redirect(url_for(".show", household_id=household.id))


@bp.route("/<int:household_id>")
def show(household_id: int):
    return casefile.render(household_id)


@bp.route("/<int:household_id>/edit", methods=["GET", "POST"])
def edit(household_id: int):
    """Change a household's facts and members; a page seen before someone else's change is
    refused with a link to reload it."""
    household = households.get(current_user, household_id)
    require_role(current_user, *WRITERS)
    form = HouseholdEditForm() if request.method == "POST" else HouseholdEditForm.of(household)
    context = {"household": household}
    if "add_member" in request.form and len(form.members) < form.members.max_entries:
        form.members.append_entry()
        return render_template("households/edit.html", form=form, **context)
    if not form.posted():
        return render_template(
            "households/edit.html", form=form, **context
        ), 422 if form.errors else 200
    try:
        fields = load_typed(HouseholdPatchArgs(), form.body())
        version = fields.pop("version")
        saved = households.update(current_user, household_id, fields, version)
    except StaleVersion:
        return render_template("households/edit.html", form=form, stale=True, **context), 409
    except DomainError as error:
        return _refused(
            "households/edit.html",
            form,
            error,
            {"members": dict(enumerate(form.rows()))},
            holder=_other(error),
            **context,
        )
    changed = saved.version != version
    flash(
        gettext("The household's facts were saved.")
        if changed
        else gettext("Nothing was changed."),
        "success" if changed else "info",
    )
    return redirect(url_for(".show", household_id=household_id))


@bp.route("/<int:household_id>/survey", methods=["GET", "POST"])
def survey(household_id: int):
    """Record a survey: income and the indicators of the standard in force on its date."""
    household = households.get(current_user, household_id)
    require_role(current_user, *WRITERS)
    shown = _standard_shown()
    form = survey_form(shown, lang())
    context = {"household": household, "reviewing": household.state == assessments.REVIEWING}
    if not form.posted():
        form.version_seen.data = str(household.version)
        return render_template(
            "households/survey.html", form=form, standard=shown, **context
        ), 422 if form.errors else 200
    due = _standard_of(form.surveyed_on.data) or shown
    if "refresh" in request.form or due.code != shown.code:
        form = survey_form(due, lang())
        moved = (
            None
            if "refresh" in request.form
            else gettext(
                "The standard in force on that date is %(name)s, with other indicators: tick them "
                "again.",
                name=due.name,
            )
        )
        return render_template(
            "households/survey.html", form=form, standard=due, error=moved, **context
        ), 200 if moved is None else 422
    try:
        survey = load_typed(AssessmentArgs(), form.body())
        assessment = assessments.record(current_user, household_id, survey)
    except DomainError as error:
        return _refused(
            "households/survey.html", form, error, SURVEY_FIELDS, standard=shown, **context
        )
    flash(
        gettext("Survey recorded: %(cls)s.", cls=class_label(assessment.classification)), "success"
    )
    return redirect(url_for(".show", household_id=household_id))


def _standard_shown():
    """The standard whose indicators the posted form showed, else the one in force today."""
    return standard_by_code(request.form.get("standard_code", "")) or standard_in_force(
        standards(), clock.today()
    )


def _standard_of(typed: str | None):
    """The standard in force on a typed survey date, if the date is one that has a standard."""
    try:
        return standard_on(read_typed_date(typed or ""))
    except (Refused, DomainError):
        return None


@bp.route("/<int:household_id>/actions/<trigger>", methods=["POST"])
def act(household_id: int, trigger: str):
    """Fire one trigger; a refusal re-shows the page with the reason beside that action."""
    household = households.get(current_user, household_id)
    definition = workflow(household.workflow, household.workflow_version)
    transition = definition.transition(trigger, household.state)
    if transition is None:
        return casefile.render(
            household_id,
            notice=gettext(
                "This action cannot be done now: the household is '%(state)s'.",
                state=state_label(household.state, definition),
            ),
            status=409,
        )
    form = action_form(transition, household.version, request.form)
    if not form.posted():
        return casefile.render(household_id, forms={trigger: form}, status=422)
    try:
        asked = load_typed(TransitionArgs(), form.body())
        outcome = cases.fire(
            current_user,
            household_id,
            trigger,
            asked["data"],
            asked.get("reason"),
            asked.get("version"),
            typed=True,
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return casefile.render(
            household_id,
            forms={trigger: form},
            refused={trigger: error_message(error)},
            status=error.status,
        )
    flash(_done(outcome, definition), "success")
    return redirect(url_for(".show", household_id=household_id))


@bp.route("/<int:household_id>/supports", methods=["POST"])
def propose_support(household_id: int):
    form = SupportForm(supports.programs(), lang())
    if not form.posted():
        return casefile.render(household_id, support_form=form, status=422)
    try:
        asked = load_typed(SupportArgs(), form.body())
        supports.propose(current_user, household_id, asked["program"], asked.get("note"))
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return casefile.render(
            household_id, support_form=form, support_error=error_message(error), status=error.status
        )
    flash(gettext("Support proposed."), "success")
    return redirect(url_for(".show", household_id=household_id))


@bp.route("/<int:household_id>/visits", methods=["POST"])
def record_visit(household_id: int):
    """Record a monitoring visit of a household in follow-up."""
    form = VisitForm()
    if not form.posted():
        return casefile.render(household_id, visit_form=form, status=422)
    try:
        visit = load_typed(VisitArgs(), form.body())
        visits.record(
            current_user, household_id, visit["visited_on"], visit.get("notes"), visit["hardship"]
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return casefile.render(
            household_id, visit_form=form, visit_error=error_message(error), status=error.status
        )
    flash(gettext("Visit recorded."), "success")
    return redirect(url_for(".show", household_id=household_id))


def _done(outcome: cases.Outcome, definition) -> str:
    if outcome.approval is not None:
        return gettext(
            "Request sent: '%(action)s' waits for a supervisor's decision.",
            action=trigger_label(outcome.approval.trigger, definition),
        )
    return gettext(
        "Done: the household is now '%(state)s'.",
        state=state_label(outcome.household.state, definition),
    )


def _other(error: DomainError) -> dict | None:
    """The household a duplicate refusal names, as the page links to it (when it may)."""
    if getattr(error, "household_id", None) is None:
        return None
    return {"id": error.household_id, **error.params}


def _refused(template: str, form, error: DomainError, renamed: dict | None = None, **context):
    left = casefile.attach(form, field_errors(error), renamed)
    message = " ".join([error_message(error), *left])
    return render_template(template, form=form, error=message, **context), error.status
