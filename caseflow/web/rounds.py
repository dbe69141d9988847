"""Review rounds as pages: the list of rounds, a round's progress village by village, a
village's households and the steps open now, and the round's documents to print."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow.domain.errors import N_, DomainError, InvalidInput
from caseflow.domain.rounds import LATE_LABELS, STEP_LABELS, STEPS, RoundKind
from caseflow.i18n import counted, error_message, field_errors, lang, number, render
from caseflow.models import Unit
from caseflow.printing import document_response
from caseflow.schemas.common import load_typed
from caseflow.schemas.rounds import (
    DOCUMENTS,
    AddHouseholdsArgs,
    CloseArgs,
    DocumentArgs,
    RoundArgs,
    RoundQueryArgs,
    StepArgs,
)
from caseflow.services import (
    round_documents,
    round_members,
    round_roster,
    round_steps,
    rounds,
    units,
)
from caseflow.services.access import WRITERS
from caseflow.services.round_rules import kind as kind_of
from caseflow.web import casefile
from caseflow.web.casefile import page_number
from caseflow.web.round_charts import progress_bars
from caseflow.web.round_forms import (
    AddForm,
    CloseForm,
    RequestForm,
    RoundForm,
    StartForm,
    form_choices,
)

bp = Blueprint("review", __name__, url_prefix="/rounds")
PER_PAGE = 25
VILLAGE_PAGE = 100
NOT_SENT = N_(
    "The form could not be accepted: it has expired or did not come from this site. "
    "Reload the page and send it again."
)
DOCUMENT_LABELS = {
    "survey_list": N_("Survey list"),
    "meeting_minutes": N_("Meeting minutes"),
    "posting_list": N_("Posting list"),
    "decision": N_("Decision (form 02) with its lists"),
    "certificates": N_("Certificates (form 03)"),
}
FORM_LABELS = {"01": N_("Form 01 (to enter the lists)"), "04": N_("Form 04 (to leave them)")}


def step_label(step: str) -> str:
    return gettext(STEP_LABELS.get(step, step))


def title_of(found) -> str:
    """A round's name in the page's language: "Rà soát định kỳ năm 2026"."""
    text = kind_of(found.kind).title(lang(), found.year, found.month)
    return text[:1].upper() + text[1:]


@bp.app_context_processor
def _helpers() -> dict:
    return {
        "step_label": step_label,
        "round_title": title_of,
        "late_label": lambda reason: gettext(LATE_LABELS.get(reason, reason)),
        "document_label": lambda kind: gettext(DOCUMENT_LABELS[kind]),
        "documents": DOCUMENTS,
        "steps": STEPS,
        "render": render,
    }


def _kinds() -> list[tuple[str, str]]:
    return [(k.value, kind_of(k).label(lang())) for k in RoundKind]


def _communes() -> list[Unit]:
    return [u for u in units.list_units(current_user) if u.level in rounds.ROUND_LEVELS]


@bp.route("")
def index():
    """The rounds the user may see, newest first; a form to make one."""
    return _index_page(RoundForm(_communes(), _kinds(), formdata=None))


def _index_page(form: RoundForm, error: str | None = None, status: int = 200):
    page = page_number()
    query = load_typed(RoundQueryArgs(), {"status": request.args.get("status", "")})
    items, total = rounds.list_rounds(
        current_user, status=query.get("status"), page=page, per_page=PER_PAGE
    )
    return render_template(
        "rounds/index.html",
        items=items,
        total=total,
        page=page,
        per_page=PER_PAGE,
        form=form if current_user.role in WRITERS else None,
        error=error,
        status=query.get("status"),
    ), status


@bp.route("", methods=["POST"])
def create():
    form = RoundForm(_communes(), _kinds())
    try:
        _posted(form)
        made = rounds.create(current_user, load_typed(RoundArgs(), form.body()))
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return _index_page(form, error_message(error), error.status)
    flash(gettext("Round made: %(title)s.", title=title_of(made.round)), "success")
    return redirect(url_for(".show", round_id=made.round.id))


def _posted(form) -> None:
    if not form.posted():
        raise InvalidInput(NOT_SENT)


@bp.route("/<int:round_id>")
def show(round_id: int):
    """A round: its progress per village (a table and a bar chart), what is late, its papers."""
    return _round_page(round_id)


def _round_page(
    round_id: int,
    *,
    add_form: AddForm | None = None,
    close_form: CloseForm | None = None,
    error: str | None = None,
    skipped: list | None = None,
    status: int = 200,
):
    found = rounds.show(current_user, round_id)
    rows = [(v.name, v.progress.steps) for v in found.villages]
    if len(rows) > 1:
        rows.insert(0, (gettext("Whole round"), found.progress.steps))
    chart = progress_bars(
        rows, STEPS, step_label, gettext("Households by step"), "chart-round", number
    )
    writer = current_user.role in WRITERS and found.status == "open"
    return render_template(
        "rounds/show.html",
        found=found,
        chart=chart,
        add_form=(add_form or AddForm(_forms(), formdata=None)) if writer else None,
        close_form=(close_form or CloseForm(formdata=None)) if writer else None,
        error=error,
        skipped=skipped or [],
        undecided=rounds.household_rows(found.round.undecided or []),
    ), status


def _forms() -> list[tuple[str, str]]:
    return form_choices({code: gettext(text) for code, text in FORM_LABELS.items()})


@bp.route("/<int:round_id>/households", methods=["POST"])
def add(round_id: int):
    """Put households on the list: the listed ones of the commune, or those typed by code."""
    listed = request.form.get("select") == "listed"
    form = AddForm(_forms())
    try:
        _posted(form)
        body = {"select": "listed"} if listed else form.body()
        asked = load_typed(AddHouseholdsArgs(), body)
        added = round_members.add_households(
            current_user,
            round_id,
            household_codes=asked.get("household_codes"),
            listed=listed,
            form=asked.get("form"),
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error), {"household_codes": "codes"})
        return _round_page(round_id, add_form=form, error=error_message(error), status=error.status)
    if not added.added:  # nothing written: the page says why, for each
        return _round_page(round_id, skipped=added.skipped, status=409 if added.skipped else 200)
    flash(counted("%(num)s household added.", "%(num)s households added.", added.added), "success")
    flash_refusals([(h, render(reason)) for h, reason in added.skipped])
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/<int:round_id>/close", methods=["POST"])
def close(round_id: int):
    form = CloseForm()
    try:
        _posted(form)
        closed = rounds.close(
            current_user, round_id, load_typed(CloseArgs(), form.body()).get("note")
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return _round_page(
            round_id, close_form=form, error=error_message(error), status=error.status
        )
    flash(
        counted(
            "Round closed; %(num)s household was not decided.",
            "Round closed; %(num)s households were not decided.",
            len(closed.undecided),
        ),
        "info",
    )
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/<int:round_id>/village")
def village(round_id: int):
    """A village of the round: its households, their step, and the steps open now."""
    return village_page(round_id, request.args.get("village") or None)


def village_page(
    round_id: int,
    village_key: str | None,
    *,
    results: list | None = None,
    forms: dict | None = None,
    error: str | None = None,
    status: int = 200,
):
    found = rounds.get_round(current_user, round_id)
    key = round_roster.resolve_village(found, village_key)
    page = page_number()
    items, total = rounds.households_page(
        current_user, round_id, village=key, page=page, per_page=VILLAGE_PAGE
    )
    progress = next(
        (v.progress for v in rounds.view(found, current_user).villages if v.village == key),
        round_roster.Progress(),
    )
    name = round_roster.village_names([key] if key else []).get(key, key)
    forms = forms or {}
    return render_template(
        "rounds/village.html",
        found=found,
        key=key,
        name=name,
        items=items,
        total=total,
        page=page,
        per_page=VILLAGE_PAGE,
        progress=progress,
        start_form=forms.get("start_review") or StartForm(formdata=None, village=key),
        request_form=forms.get("request_decision") or RequestForm(formdata=None, village=key),
        results=_named(results or []),
        error=error,
        can_step=current_user.role in ("case_worker", "admin") and found.status == "open",
        can_decide=current_user.role in ("supervisor", "admin"),
    ), status


def _named(results: list) -> list[dict]:
    """The refused households of a step, with their names, for the page to list."""
    refused = [r for r in results if r.status == "refused"]
    names = rounds.household_rows([r.household_id for r in refused if r.household_id])
    return [
        {
            "household": names.get(r.household_id),
            "household_id": r.household_id,
            "reason": error_message(r.error),
            "fields": field_errors(r.error),
        }
        for r in refused
    ]


@bp.route("/<int:round_id>/steps/<step>", methods=["POST"])
def step(round_id: int, step: str):
    """Start the reviews, or ask for the decisions, of a village's households."""
    form = {"start_review": StartForm, "request_decision": RequestForm}.get(step, StartForm)()
    key = form.village.data or None
    try:
        _posted(form)
        asked = load_typed(StepArgs(), form.body())
        done = round_steps.run_step(
            current_user, round_id, asked["step"], village=asked.get("village"), data=asked["data"]
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error).get("data", {}))
        return village_page(
            round_id, key, forms={step: form}, error=error_message(error), status=error.status
        )
    moved = sum(1 for r in done if r.status != "refused")
    if not moved and done:  # nothing written: the page lists each household's reason
        return village_page(round_id, key, results=done, status=409)
    flash(_step_done(step, moved), "success" if moved else "info")
    flash_refusals([(r.household_id, error_message(r.error)) for r in done if r.error])
    return redirect(url_for(".village", round_id=round_id, village=key))


#: refusals told on the next page (a session cookie holds them; the page shows the rest)
SHOWN_REFUSALS = 5


def flash_refusals(refused: list[tuple[int | None, str]]) -> None:
    """Tell, after a step that moved some households, why the others did not move."""
    names = rounds.household_rows([h for h, _ in refused[:SHOWN_REFUSALS] if h])
    for household_id, reason in refused[:SHOWN_REFUSALS]:
        household = names.get(household_id)
        if household is not None:
            flash(f"{household.head_name} ({household.code}): {reason}", "error")
        else:  # a code typed that names no household: the reason says which
            flash(reason if household_id is None else f"#{household_id}: {reason}", "error")
    if len(refused) > SHOWN_REFUSALS:
        flash(gettext("…and %(num)s more.", num=number(len(refused) - SHOWN_REFUSALS)), "error")


def _step_done(step: str, moved: int) -> str:
    if step == "start_review":
        return counted(
            "Review started for %(num)s household.", "Review started for %(num)s households.", moved
        )
    return counted(
        "Decision asked for %(num)s household.", "Decisions asked for %(num)s households.", moved
    )


@bp.route("/<int:round_id>/documents/<kind>")
def document(round_id: int, kind: str):
    """A document of the round, to print (A4) or as xlsx."""
    asked = load_typed(DocumentArgs(), request.args.to_dict())
    found = round_documents.build(current_user, round_id, kind, asked.get("village"))
    return document_response(found, asked["format"])


def forms_label(code: str | None) -> str:
    return gettext(FORM_LABELS[code]) if code in FORM_LABELS else ""


bp.add_app_template_global(forms_label, "form_label")
