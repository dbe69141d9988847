"""The approvals queue: each request with its context, and one decision for all those ticked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from caseflow.domain.errors import N_, DomainError, InvalidInput
from caseflow.i18n import counted, error_message, field_errors, field_labels
from caseflow.schemas.common import load_typed
from caseflow.schemas.households import BatchArgs
from caseflow.services import approvals, supports, worklist
from caseflow.web import casefile
from caseflow.web.auth import safe_next
from caseflow.web.casefile import decides
from caseflow.web.forms import DecisionForm
from caseflow.web.lists import keyset_args

bp = Blueprint("decisions", __name__, url_prefix="/approvals")
PER_PAGE = 50


@bp.route("")
def queue():
    """List pending requests in the user's units; ?select=all ticks every box without script."""
    return _queue_page(DecisionForm(formdata=None))


def _queue_page(form: DecisionForm, status: int = 200, ticked: set[int] | None = None):
    asked = keyset_args()
    found = approvals.approvals_page(
        current_user, "pending", asked["page"], PER_PAGE, asked["after"]
    )
    items, total, page = found.items, found.total, found.page
    decidable = {a.id for a in items if decides(current_user, a)}
    ticked = ticked or (decidable if request.args.get("select") == "all" else set())
    return render_template(
        "approvals.html",
        items=items,
        total=total,
        listing=found,
        page=page,
        per_page=PER_PAGE,
        context=worklist.request_context(items),
        decidable=decidable,
        ticked=ticked,
        form=form,
        field_labels=field_labels(),
        programs={p.code: p for p in supports.programs()},
    ), status


@bp.route("/decide", methods=["POST"])
def decide():
    """Approve or reject every ticked request; each is decided on its own merits."""
    form = DecisionForm()
    back = safe_next(form.next.data) if form.next.data else url_for(".queue")
    try:
        if not form.posted():
            raise InvalidInput(
                N_(
                    "The form could not be accepted: it has expired or did not "
                    "come from this site. Reload the page and send it again."
                )
            )
        asked = load_typed(BatchArgs(), form.body())
    except DomainError as error:
        return _refused(form, error, back)
    results = approvals.decide_many(
        current_user, asked["ids"], asked["decision"], asked.get("comment")
    )
    _report(results, asked["decision"])
    return redirect(back)


def _refused(form: DecisionForm, error: DomainError, back: str):
    """A decision that cannot be taken as sent: say why where it was made."""
    messages = [*casefile.attach(form, field_errors(error))] or [error_message(error)]
    if form.next.data:
        for message in [*messages, *(m for f in form for m in f.errors)]:
            flash(message, "error")
        return redirect(back)
    ticked = {int(i) for i in form.ids.data or () if str(i).isdigit() and len(str(i)) < 10}
    return _queue_page(form, error.status, ticked)


def _report(results: list[dict], decision: str) -> None:
    done = sum(1 for r in results if r["error"] is None)
    if done:
        flash(
            counted("%(num)s request approved.", "%(num)s requests approved.", done)
            if decision == "approve"
            else counted("%(num)s request rejected.", "%(num)s requests rejected.", done),
            "success",
        )
    for result in results:
        if result["error"] is not None:
            flash(
                gettext(
                    "Request %(id)s was not decided: %(reason)s",
                    id=result["id"],
                    reason=error_message(result["error"]),
                ),
                "error",
            )
