"""Approving a whole list in one transaction writes what approving each request does, and
decides each on its own merits."""

from __future__ import annotations

from datetime import date

from caseflow.domain.errors import StaleVersion
from caseflow.extensions import db
from caseflow.models import Approval, Deadline, Event
from caseflow.services import approvals, calendar_days, cases, moves
from tests.rounds_support import YEAR, on, recognised

POSTED = date(YEAR, 9, 8)


def asked(world, name: str, decided_on: date = date(YEAR, 9, 15), **where) -> tuple[int, int]:
    """A household recognised last spring, surveyed poor again and posted on 8/9, whose
    recognition is asked for: (household, request)."""
    household = recognised(world, name, **where)
    worker = world.user("outsider" if where.get("unit") == "C2" else "worker")
    with on(date(YEAR, 9, 4)):
        cases.fire(worker, household, "start_review", {"started_on": date(YEAR, 9, 4)})
    with on(date(YEAR, 9, 7)):
        from caseflow.services import assessments
        from tests.factories import POOR_SURVEY

        assessments.record(worker, household, {"surveyed_on": date(YEAR, 9, 7), **POOR_SURVEY})
    with on(POSTED):
        cases.fire(
            worker,
            household,
            "agree",
            {"meeting_on": POSTED, "agreement_pct": 80, "posted_on": POSTED},
        )
    with on(date(YEAR, 9, 15)):
        outcome = cases.fire(worker, household, "recognise", {"decided_on": decided_on})
    return household, outcome.approval.id


def rows(household: int) -> tuple:
    events = db.session.scalars(
        db.select(Event).where(Event.household_id == household).order_by(Event.id)
    )
    deadlines = db.session.scalars(
        db.select(Deadline).where(Deadline.household_id == household).order_by(Deadline.id)
    )
    return (
        [(e.trigger, e.to_state, e.classification, e.actor, e.approved_by, e.data) for e in events],
        [(d.key, d.due_at, d.status) for d in deadlines],
    )


def test_a_batch_writes_the_rows_one_approval_at_a_time_writes(ctx, world) -> None:
    one, one_request = asked(world, "Lê Văn A")
    batch = [asked(world, n) for n in ("Trần Thị B", "Phạm Văn C")]

    with on(date(YEAR, 9, 16)):
        approvals.approve(world.user("chair"), one_request, "QĐ 12")
        results = approvals.approve_many(world.user("chair"), [r for _, r in batch], "QĐ 12")

    assert [(r["status"], r["error"]) for r in results] == [("approved", None)] * 2
    for household, _ in batch:
        assert rows(household) == rows(one)


def test_each_request_of_a_batch_is_decided_on_its_own_merits(ctx, world) -> None:
    good, good_request = asked(world, "Lê Văn A")
    _, too_early = asked(world, "Trần Thị B", decided_on=date(YEAR, 9, 11))
    stale, stale_request = asked(world, "Phạm Văn C")
    _, theirs = asked(world, "Ngô Thị X", unit="C2", village="Tây Sơn")
    with on(date(YEAR, 9, 15)):
        cases.fire(world.user("worker"), stale, "complain", reason="Khiếu nại của hàng xóm")
    # a day off added meanwhile: the posting of 8/9 now ends on 14/9, after what 11/9 asked
    calendar_days.add(date(YEAR, 9, 9), "off", "Nghỉ bù")

    with on(date(YEAR, 9, 16)):
        results = approvals.approve_many(
            world.user("chair"),
            [good_request, too_early, stale_request, theirs, good_request, 2_147_483_648],
        )

    assert [(r["id"], r["status"]) for r in results] == [
        (good_request, "approved"),
        (too_early, "pending"),
        (stale_request, "stale"),
        (theirs, "not_found"),
        (2_147_483_648, "not_found"),
    ]
    assert "posting period" in results[1]["error"].message
    statuses = dict(db.session.execute(db.select(Approval.id, Approval.status)).all())
    assert statuses[too_early] == "pending" and statuses[theirs] == "pending"
    assert statuses[stale_request] == "stale"


def test_no_one_approves_their_own_request_in_a_batch_either(ctx, world) -> None:
    _, request = asked(world, "Lê Văn A")

    with on(date(YEAR, 9, 16)):
        [result] = approvals.approve_many(world.user("worker"), [request])

    assert result["status"] == "pending" and result["error"].status == 403


def test_a_batch_that_loses_a_race_is_decided_one_request_at_a_time(
    ctx, world, monkeypatch
) -> None:
    batch = [asked(world, n) for n in ("Trần Thị B", "Phạm Văn C")]
    real, calls = moves.write, []

    def racing(planned, **kwargs):
        calls.append(len(planned))
        if len(calls) == 1:
            raise StaleVersion("Some households were changed meanwhile")
        return real(planned, **kwargs)

    monkeypatch.setattr(moves, "write", racing)
    with on(date(YEAR, 9, 16)):
        results = approvals.approve_many(world.user("chair"), [r for _, r in batch])

    assert [r["status"] for r in results] == ["approved", "approved"]
    assert calls == [2, 1, 1]
