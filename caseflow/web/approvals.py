"""The approvals queue: each request with its context, and one decision for all those ticked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_translations, gettext
from flask_login import current_user

from caseflow.services import approvals, supports, worklist
from caseflow.web.auth import safe_next
from caseflow.web.casefile import decides
from caseflow.web.forms import DecisionForm
from caseflow.web.i18n import field_labels, number, translate_text

bp = Blueprint("decisions", __name__, url_prefix="/approvals")
PER_PAGE = 50


@bp.route("")
def queue():
    """List pending requests in the user's units; ?select=all ticks every box without script."""
    return _queue_page(DecisionForm(formdata=None))


def _queue_page(form: DecisionForm, status: int = 200):
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = approvals.list_approvals(current_user, "pending", page, PER_PAGE)
    decidable = {a.id for a in items if decides(current_user, a)}
    ticked = set(form.ids.data or ()) or (decidable if request.args.get("select") == "all"
                                          else set())
    return render_template("approvals.html", items=items, total=total, page=page,
                           per_page=PER_PAGE, context=worklist.request_context(items),
                           decidable=decidable, ticked=ticked, form=form,
                           field_labels=field_labels(),
                           programs={p.code: p for p in supports.programs()}), status


@bp.route("/decide", methods=["POST"])
def decide():
    """Approve or reject every ticked request; each is decided on its own merits."""
    form = DecisionForm()
    back = safe_next(form.next.data) if form.next.data else url_for(".queue")
    if not form.validate_on_submit():
        if form.next.data:
            for messages in form.errors.values():
                for message in messages:
                    flash(message, "error")
            return redirect(back)
        return _queue_page(form, 422)
    results = approvals.decide_many(current_user, form.ids.data, form.decision.data,
                                    (form.comment.data or "").strip() or None)
    _report(results, form.decision.data)
    return redirect(back)


def _report(results: list[dict], decision: str) -> None:
    done = sum(1 for r in results if r["error"] is None)
    if done:
        flash(ngettext("%(num)s request approved.", "%(num)s requests approved.", done)
              if decision == "approve" else
              ngettext("%(num)s request rejected.", "%(num)s requests rejected.", done),
              "success")
    for result in results:
        if result["error"] is not None:
            flash(gettext("Request %(id)s was not decided: %(reason)s", id=result["id"],
                          reason=translate_text(result["error"]["message"])), "error")


def ngettext(singular: str, plural: str, num: int) -> str:
    """Babel's ngettext, with the count grouped the reader's way (10.017 hộ, 10,017 households)."""
    return get_translations().ungettext(singular, plural, num) % {"num": number(num)}
