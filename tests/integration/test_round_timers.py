"""A round's timers fire through the one sweep: the closing-day reminder to the commune, the
report days to the officers above it; each once, and the closing one not once it closed."""

from __future__ import annotations

from datetime import date

from caseflow.extensions import db
from caseflow.models import Alert, Deadline
from caseflow.services import alerts, deadlines, rounds
from tests.factories import POOR_SURVEY, at
from tests.rounds_support import (
    REQUEST,
    YEAR,
    listed,
    meeting,
    on,
    periodic,
    recognised,
    request,
    start,
    surveys,
)


def _alerts(round_id: int) -> list[Alert]:
    return list(
        db.session.scalars(
            db.select(Alert)
            .join(Deadline, Deadline.id == Alert.deadline_id)
            .where(Deadline.round_id == round_id)
            .order_by(Alert.id)
            .execution_options(populate_existing=True)
        )
    )


def test_the_commune_is_reminded_a_week_before_the_closing_day(ctx, world) -> None:
    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])

    deadlines.sweep(at(date(YEAR, 12, 6)))
    assert len(_alerts(round_id)) == 1  # the preliminary report's, not yet the closing day's
    deadlines.sweep(at(date(YEAR, 12, 7)))

    assert len(_alerts(round_id)) == 3
    closing = [a for a in _alerts(round_id) if a.due_at == at(date(YEAR, 12, 14), 0)]
    assert {(a.role, a.kind, a.household_id, a.unit_id) for a in closing} == {
        ("case_worker", "reminder", None, world.user("worker").unit_id),
        ("supervisor", "reminder", None, world.user("worker").unit_id),
    }
    assert closing[0].message == (
        "Kỳ rà soát định kỳ năm 2026 của Xã Hải Đông kết thúc ngày 14/12/2026; "
        "còn 1 hộ chưa có quyết định."
    )
    assert "periodic review of 2026" in closing[0].message_en
    shown, _ = alerts.list_for(world.user("chair"))
    assert any(a.id in {c.id for c in closing} for a in shown)


def test_the_report_days_remind_the_rounds_case_workers_not_again_the_officers(ctx, world) -> None:
    round_id = periodic(world)

    deadlines.sweep(at(date(YEAR, 11, 10)))

    # the officers are reminded of the report by the reports that go up (test_report_timers)
    [workers] = [a for a in _alerts(round_id) if a.role == "case_worker"]
    assert not [a for a in _alerts(round_id) if a.role == "officer"]
    assert "Báo cáo sơ bộ" in workers.message and "15/11/2026" in workers.message
    seen, _ = alerts.list_for(world.user("worker"))
    assert workers.id in {a.id for a in seen}
    not_theirs, _ = alerts.list_for(world.user("outsider"))
    assert workers.id not in {a.id for a in not_theirs}


def test_each_round_timer_raises_one_alert_however_often_the_sweep_runs(ctx, world) -> None:
    round_id = periodic(world)

    for _ in range(3):
        deadlines.sweep(at(date(YEAR, 12, 16)))

    assert len(_alerts(round_id)) == 4  # closing (case worker, chair), both reports (case worker)
    assert {d.status for d in db.session.scalars(db.select(Deadline))} == {"fired"}


def test_a_closed_rounds_closing_reminder_is_not_raised_but_its_reports_are(ctx, world) -> None:
    round_id = periodic(world)
    with on(date(YEAR, 9, 20)):
        rounds.close(world.user("worker"), round_id)

    deadlines.sweep(at(date(YEAR, 12, 16)))

    assert {a.message.split(" ")[2] for a in _alerts(round_id)} == {"sơ", "chính"}
    statuses = dict(
        db.session.execute(
            db.select(Deadline.key, Deadline.status).where(Deadline.round_id == round_id)
        ).all()
    )
    assert statuses["closing:supervisor"] == "cancelled"


def test_a_round_decided_from_the_approvals_queue_closes_when_its_timer_fires(ctx, world) -> None:
    from caseflow.models import Approval
    from caseflow.services import approvals

    household = recognised(world, "Lê Văn A")
    round_id = periodic(world)
    listed(world, round_id, [household])
    start(world, round_id)
    surveys(world, round_id, {household: POOR_SURVEY})
    meeting(world, round_id, {household: 90})
    request(world, round_id)
    asked = db.session.scalar(db.select(Approval.id).where(Approval.status == "pending"))
    with on(REQUEST):  # the chair decides on the approvals page, not the round's
        approvals.approve(world.user("chair"), asked)
    assert rounds.get_round(world.user("worker"), round_id).status == "open"

    deadlines.sweep(at(date(YEAR, 11, 10)))

    found = rounds.get_round(world.user("worker"), round_id)
    db.session.refresh(found)
    assert (found.status, found.closed_by) == ("closed", "system")


def test_a_round_timer_that_fails_is_retried_then_raised_to_the_supervisors(
    ctx, world, monkeypatch
) -> None:
    from caseflow.services import round_timers

    round_id = periodic(world)
    monkeypatch.setattr(round_timers, "_messages", lambda *a: 1 / 0)

    first = deadlines.sweep(at(date(YEAR, 11, 10)))

    assert first.failed == 1
    rows = db.session.scalars(
        db.select(Deadline)
        .where(Deadline.round_id == round_id, Deadline.timer == "preliminary_report")
        .execution_options(populate_existing=True)
    ).all()
    assert {(d.status, d.attempts) for d in rows} == {("pending", 1)}
    assert "ZeroDivisionError" in rows[0].last_error
    for row in rows:
        row.attempts, row.retry_at = deadlines.MAX_ATTEMPTS - 1, None
    db.session.commit()

    deadlines.sweep(at(date(YEAR, 11, 10)))

    failures = [a for a in _alerts(round_id) if a.kind == "failure"]
    assert {a.role for a in failures} == {"supervisor"}
    assert "preliminary_report" in failures[0].message
