"""A village's work in a round, as pages: the survey grid, the meeting form, and the chair's
queue of the round's decisions, decided in one batch."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow import clock
from caseflow.domain.errors import N_, DomainError, InvalidInput
from caseflow.domain.inputs import Refused, read_typed_date
from caseflow.domain.rounds import Step
from caseflow.i18n import counted, error_message, field_errors, label, lang
from caseflow.schemas.common import load_typed, typed_input
from caseflow.schemas.rounds import DecideArgs, MeetingArgs, read_surveys
from caseflow.services import (
    round_decisions,
    round_meetings,
    round_roster,
    round_steps,
    rounds,
    supports,
    worklist,
)
from caseflow.services.access import WRITERS, require_role
from caseflow.services.bulk import standard_on
from caseflow.web import casefile
from caseflow.web.casefile import decides, page_number
from caseflow.web.fields import shown_day
from caseflow.web.round_forms import GridForm, MeetingForm, RoundDecisionForm
from caseflow.web.rounds import NOT_SENT, flash_refusals

bp = Blueprint("round_work", __name__, url_prefix="/rounds")
GRID_PAGE = 50
#: the most rows a meeting form lists (a village's classified households)
MEETING_ROWS = 2000
QUEUE_PAGE = 200


def _village(found) -> str | None:
    return round_roster.resolve_village(found, request.values.get("village") or None)


def _rows() -> list[int]:
    """The households whose rows the posted form showed."""
    return [int(v) for v in request.form.getlist("row") if v.isdigit() and len(v) < 10]


def _bases() -> list[tuple[str, str]]:
    return [(code, label("income_basis", code)) for code in ("vnd", "score")]


@bp.route("/<int:round_id>/survey", methods=["GET", "POST"])
def survey(round_id: int):
    """The survey grid of a village: a row per household under review, the indicators of the
    standard in force as columns; valid rows are saved, refused ones stay with the reason."""
    require_role(current_user, *WRITERS)
    found = rounds.get_round(current_user, round_id)
    key = _village(found)
    form = GridForm(_bases(), formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.surveyed_on.data = shown_day(_default_day(found))
    standard = standard_on(_grid_day(form))
    if request.method == "GET":
        return _grid_page(found, key, form, standard)
    refused: dict[int, dict] = {}
    try:
        if not form.posted():
            raise InvalidInput(NOT_SENT)
        items = form.items(request.form, _rows(), standard.indicators)
        if not items:
            raise InvalidInput(N_("Fill in at least one row: its income, or its ticks."))
        with typed_input():
            read = read_surveys(items)
        results = round_steps.record_surveys(current_user, round_id, read)
    except DomainError as error:
        return _grid_page(
            found, key, form, standard, error=error_message(error), status=error.status
        )
    for result in results:
        if result.status == "refused":
            refused[result.household_id] = _reason(result.error)
    saved = sum(1 for r in results if r.status == "recorded")
    flash(
        counted("%(num)s survey recorded.", "%(num)s surveys recorded.", saved),
        "success" if saved else "info",
    )
    if refused:
        status = 200 if saved else 422
        return _grid_page(found, key, form, standard, refused=refused, status=status)
    return redirect(url_for(".survey", round_id=round_id, village=key))


def _default_day(found):
    """Today, or the round's nearest day when today is outside it (a past round typed late)."""
    return min(max(clock.today(), found.opens_on), found.closes_on, clock.today())


def _grid_day(form: GridForm):
    try:
        return read_typed_date(form.surveyed_on.data) if form.surveyed_on.data else clock.today()
    except Refused:
        return clock.today()


def _reason(error: DomainError) -> dict:
    return {"message": error_message(error), "fields": field_errors(error)}


def _grid_page(found, key, form, standard, *, refused=None, error=None, status=200):
    page = page_number()
    items, total = rounds.households_page(
        current_user, found.id, village=key, step=Step.UNDER_REVIEW, page=page, per_page=GRID_PAGE
    )
    shown = {h.id for h in items}
    gone = [h for h in (refused or {}) if h not in shown]  # sent for a row no longer listed
    names = rounds.household_rows([h for h in gone if h])
    elsewhere = [(names.get(h), h, refused[h]) for h in gone]
    return render_template(
        "rounds/survey.html",
        elsewhere=elsewhere,
        found=found,
        key=key,
        name=_name(key),
        form=form,
        standard=standard,
        items=items,
        total=total,
        page=page,
        per_page=GRID_PAGE,
        refused=refused or {},
        posted=request.form if request.method == "POST" else {},
        error=error,
    ), status


def _name(key: str | None) -> str | None:
    return round_roster.village_names([key] if key else []).get(key, key)


@bp.route("/<int:round_id>/meeting", methods=["GET", "POST"])
def meeting(round_id: int):
    """The village meeting: its date, who came, each household's agreement (one figure for all
    by default); each household is agreed and posted, or sent back to survey."""
    require_role(current_user, *WRITERS)
    found = rounds.get_round(current_user, round_id)
    key = _village(found)
    if request.method == "GET":
        day = shown_day(_default_day(found))
        form = MeetingForm(formdata=None, village=key, meeting_on=day, posted_on=day)
        return _meeting_page(found, key, form)
    form = MeetingForm()
    try:
        if not form.posted():
            raise InvalidInput(NOT_SENT)
        held = round_meetings.hold_meeting(
            current_user, round_id, load_typed(MeetingArgs(), form.body(request.form, _rows()))
        )
    except DomainError as error:
        errors = field_errors(error)
        rows = errors.pop("results", None) or ({} if error.status == 422 else errors)
        casefile.attach(form, errors if error.status == 422 else {})
        return _meeting_page(
            found, key, form, error=error_message(error), rows=rows, status=error.status
        )
    agreed = sum(1 for r in held.results if r["outcome"] == "agreed")
    again = sum(1 for r in held.results if r["outcome"] == "disagreed")
    flash(
        gettext(
            "Meeting recorded: %(agreed)s agreed and posted, %(again)s to survey again.",
            agreed=agreed,
            again=again,
        ),
        "success",
    )
    flash_refusals(
        [(r["household_id"], error_message(r["error"])) for r in held.results if r["error"]]
    )
    return redirect(url_for("review.village", round_id=round_id, village=key))


def _meeting_page(found, key, form, *, error=None, rows: Mapping | None = None, status=200):
    items, total = rounds.households_page(
        current_user, found.id, village=key, step=Step.CLASSIFIED, per_page=MEETING_ROWS
    )
    return render_template(
        "rounds/meeting.html",
        found=found,
        key=key,
        name=_name(key),
        form=form,
        items=items,
        total=total,
        rows=rows or {},
        posted=request.form if request.method == "POST" else {},
        error=error,
    ), status


@bp.route("/<int:round_id>/decisions")
def queue(round_id: int):
    """The chair's queue of the round: what its households wait for, by village; ?select=all
    ticks every box without script."""
    return _queue_page(round_id, RoundDecisionForm(formdata=None))


def _queue_page(round_id: int, form: RoundDecisionForm, *, results=None, error=None, status=200):
    found = rounds.get_round(current_user, round_id)
    key = _village(found)
    page = page_number()
    items, total = round_decisions.waiting(current_user, round_id, key, page, QUEUE_PAGE)
    decidable = {a.household_id for a in items if decides(current_user, a)}
    ticked = decidable if request.args.get("select") == "all" else set()
    return render_template(
        "rounds/decisions.html",
        found=found,
        key=key,
        name=_name(key),
        villages=rounds.view(found, current_user).villages,
        items=items,
        total=total,
        page=page,
        per_page=QUEUE_PAGE,
        context=worklist.request_context(items),
        decidable=decidable,
        ticked=ticked,
        form=form,
        results=results or [],
        error=error,
        programs={p.code: p for p in supports.programs()},
        lang=lang,
    ), status


@bp.route("/<int:round_id>/decisions", methods=["POST"])
def decide(round_id: int):
    """Approve or reject every ticked household's request, each on its own merits."""
    form = RoundDecisionForm()
    try:
        if not form.posted():
            raise InvalidInput(NOT_SENT)
        asked = load_typed(DecideArgs(), form.body())
        decided = round_decisions.decide(
            current_user,
            round_id,
            asked["decision"],
            asked.get("comment"),
            village=asked.get("village"),
            household_ids=asked.get("household_ids"),
        )
    except DomainError as error:
        casefile.attach(form, field_errors(error))
        return _queue_page(round_id, form, error=error_message(error), status=error.status)
    done = [r for r in decided if r["error"] is None]
    if done:
        flash(
            counted("%(num)s request approved.", "%(num)s requests approved.", len(done))
            if asked["decision"] == "approve"
            else counted("%(num)s request rejected.", "%(num)s requests rejected.", len(done)),
            "success",
        )
    failed = [r for r in decided if r["error"] is not None]
    if failed and not done:  # nothing decided: the queue lists each household's reason
        names = rounds.household_rows([r["household_id"] for r in failed])
        shown = [
            {"household": names.get(r["household_id"]), "reason": error_message(r["error"])}
            for r in failed
        ]
        return _queue_page(round_id, RoundDecisionForm(formdata=None), results=shown, status=409)
    flash_refusals([(r["household_id"], error_message(r["error"])) for r in failed])
    return redirect(url_for(".queue", round_id=round_id, village=asked.get("village")))
