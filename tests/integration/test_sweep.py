"""The sweep: bounded claims in due order, one transaction per deadline, exactly once."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Alert, Deadline
from caseflow.services import alerts, deadlines
from tests.factories import at
from tests.timers_support import (
    Case,
    WallClock,
    caseflow_process,
    hang_after_firing,
    kill_9,
    posted_case,
    short_lease,
    wait_for,
)

POSTED_ON = date(2027, 10, 4)
#: due moments of the deadlines these tests add; the case's own posting_end falls later
DUE = at(date(2027, 10, 5), 8)
LATER = DUE + timedelta(days=1)
KEYS = itertools.count()


@pytest.fixture
def case(world, ctx) -> Case:
    return posted_case(world, POSTED_ON)


@pytest.fixture
def wall(monkeypatch) -> WallClock:
    return WallClock(monkeypatch)


def add_due(
    case: Case,
    count: int,
    due_at: datetime = DUE,
    *,
    timer: str = "posting_end",
    state: str = "posted",
    step: timedelta = timedelta(0),
) -> list[int]:
    """Add `count` reminders of the posted household, due from `due_at` on, `step` apart."""
    rows = [
        Deadline(
            household_id=case.id,
            key=f"test:{next(KEYS)}",
            timer=timer,
            kind="remind",
            due_at=due_at + n * step,
            state=state,
        )
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return [row.id for row in rows]


def statuses(ids: list[int]) -> dict[str, int]:
    rows = db.session.execute(
        db.select(Deadline.status, db.func.count())
        .where(Deadline.id.in_(ids))
        .group_by(Deadline.status)
    ).all()
    return dict(rows)


def alerts_of(ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            db.select(Alert.deadline_id)
            .where(Alert.deadline_id.in_(ids))
            .order_by(Alert.deadline_id)
        )
    )


def test_sweep_fires_what_is_due_and_leaves_the_rest_pending(case):
    due = add_due(case, 3)
    later = add_due(case, 2, LATER)
    assert deadlines.sweep(DUE).fired == 3
    assert statuses(due) == {"fired": 3}
    assert statuses(later) == {"pending": 2}
    assert alerts_of(due) == due


def test_second_sweep_at_the_same_moment_raises_no_new_alert(case):
    due = add_due(case, 3)
    deadlines.sweep(DUE)
    assert deadlines.sweep(DUE).fired == 0
    assert alerts_of(due) == due


def test_claims_are_bounded_and_oldest_due_first(case):
    ids = add_due(case, 5, step=-timedelta(minutes=1))  # the last added is due first
    with clock.frozen_at(DUE):
        claimed = deadlines.claim_due(2)
    assert [c.id for c in claimed] == [ids[4], ids[3]]
    assert statuses(ids) == {"claimed": 2, "pending": 3}


def test_sweep_of_many_runs_in_batches_to_the_end(case):
    ids = add_due(case, 25)
    assert deadlines.sweep(DUE, batch=4).fired == 25
    assert statuses(ids) == {"fired": 25}


def test_a_live_claim_is_left_to_its_sweep(case, wall):
    ids = add_due(case, 5)
    with clock.frozen_at(DUE):
        deadlines.claim_due(2)
    wall.advance(deadlines.LEASE - timedelta(seconds=1))
    assert deadlines.sweep(DUE).fired == 3
    assert statuses(ids) == {"claimed": 2, "fired": 3}


def test_sweep_killed_halfway_then_run_again_fires_the_rest_exactly_once(case, wall):
    ids = add_due(case, 25)
    with clock.frozen_at(DUE):
        batch = deadlines.claim_due(10)
        for claimed in batch[:4]:  # then the process dies with 6 claimed, unfired
            assert deadlines.fire(claimed) == "fired"
    wall.advance(deadlines.LEASE + timedelta(seconds=1))
    result = deadlines.sweep(DUE)
    assert result.fired == 21
    assert statuses(ids) == {"fired": 25}
    assert alerts_of(ids) == ids


def test_claims_expire_on_the_wall_clock_not_as_of_the_sweeps_moment(case, wall):
    ids = add_due(case, 3)
    with clock.frozen_at(DUE + timedelta(days=31)):  # `sweep --as-of` next month, then killed
        deadlines.claim_due(3)
    assert deadlines.sweep(DUE).fired == 0  # the claims are live
    wall.advance(deadlines.LEASE + timedelta(seconds=1))
    assert deadlines.sweep(DUE).fired == 3
    assert statuses(ids) == {"fired": 3}


def test_an_expired_claim_fires_only_once_due(case, wall):
    [tomorrow] = add_due(case, 1, LATER)
    with clock.frozen_at(LATER):  # a sweep as of tomorrow claims it, then is killed
        deadlines.claim_due(1)
    wall.advance(deadlines.LEASE + timedelta(seconds=1))
    assert deadlines.sweep(DUE).fired == 0
    assert deadlines.sweep(LATER).fired == 1
    assert statuses([tomorrow]) == {"fired": 1}


def test_a_sweep_as_of_next_month_killed_midway_leaves_its_claims_to_the_real_time_sweep(
    case, committed, tmp_path
):
    now, lease = datetime.now(UTC), timedelta(seconds=2)
    ids = add_due(case, 50, now - timedelta(hours=1))  # due on the wall clock too
    marker = tmp_path / "fired-two"
    sweep = caseflow_process(
        committed,
        "sweep",
        "--as-of",
        (now + timedelta(days=31)).isoformat(),
        prelude=short_lease(lease.total_seconds()) + hang_after_firing(2, marker),
    )
    wait_for(sweep, marker.exists)
    kill_9(sweep)
    killed_at = datetime.now(UTC)

    db.session.rollback()  # a new transaction sees what the killed sweep committed
    assert statuses(ids) == {"fired": 2, "claimed": 2, "pending": 46}  # the set it hung in: none
    leases = db.session.scalars(
        db.select(Deadline.claimed_until).where(Deadline.id.in_(ids), Deadline.status == "claimed")
    ).all()
    assert max(leases) <= killed_at + lease  # not next month + lease
    time.sleep(max(0.0, (max(leases) - datetime.now(UTC)).total_seconds()) + 0.1)
    assert deadlines.sweep().fired == 48  # now, on the wall clock
    assert statuses(ids) == {"fired": 50}
    assert alerts_of(ids) == ids


def test_stale_sweeper_does_not_fire_a_claim_taken_over_by_another(case, wall):
    [deadline_id] = add_due(case, 1)
    with clock.frozen_at(DUE):
        [old] = deadlines.claim_due(1)
    wall.advance(deadlines.LEASE + timedelta(seconds=1))
    with clock.frozen_at(DUE):
        [new] = deadlines.claim_due(1)
        assert deadlines.fire(old) == "skipped"
        assert deadlines.fire(new) == "fired"
    assert new.id == old.id == deadline_id
    assert alerts_of([deadline_id]) == [deadline_id]


def test_deadline_of_a_case_that_moved_on_is_cancelled_not_fired(case):
    [stray] = add_due(case, 1, state="recognised", timer="support_plan")
    result = deadlines.sweep(DUE)
    assert (result.fired, result.cancelled) == (0, 1)
    assert statuses([stray]) == {"cancelled": 1}
    assert alerts_of([stray]) == []


def test_transition_while_a_deadline_is_claimed_cancels_it(case):
    [deadline_id] = add_due(case, 1)
    with clock.frozen_at(DUE):
        [claimed] = deadlines.claim_due(1)
    case.fire(date(2027, 10, 5), "complain", reason="Khiếu nại")
    with clock.frozen_at(DUE):
        assert deadlines.fire(claimed) == "skipped"
    assert statuses([deadline_id]) == {"cancelled": 1}


def test_failed_deadline_is_retried_later_then_raised_to_the_supervisors(case, world, wall):
    [broken] = add_due(case, 1, timer="no_such_timer")
    for attempt in range(1, deadlines.MAX_ATTEMPTS):
        assert deadlines.sweep(DUE).failed == 1
        row = db.session.get(Deadline, broken, populate_existing=True)
        assert (row.status, row.attempts) == ("pending", attempt)
        assert "no_such_timer" in row.last_error
        wall.move_to(row.retry_at - timedelta(seconds=1))
        assert deadlines.sweep(DUE).failed == 0
        wall.move_to(row.retry_at)
    assert deadlines.sweep(DUE).failed == 1
    assert statuses([broken]) == {"failed": 1}
    wall.advance(timedelta(days=1))
    assert deadlines.sweep(DUE + timedelta(days=1)).failed == 0
    [failure] = alerts.list_for(world.user("chair"))[0]
    assert (failure.kind, failure.deadline_id, failure.role) == ("failure", broken, "supervisor")
    assert alerts.list_for(world.user("worker")) == ([], 0)


def test_deadline_claimed_too_often_is_given_up(case, wall):
    [deadline_id] = add_due(case, 1)
    for _ in range(deadlines.MAX_ATTEMPTS + 1):  # each claim dies before it fires
        with clock.frozen_at(DUE):
            [claimed] = deadlines.claim_due(1)
        wall.advance(deadlines.LEASE + timedelta(seconds=1))
    with clock.frozen_at(DUE):
        assert deadlines.fire(claimed) == "failed"
    assert statuses([deadline_id]) == {"failed": 1}
    assert [a.kind for a in case.alerts()] == ["failure"]


@pytest.mark.postgres_only
def test_two_sweeps_at_once_fire_each_of_1000_deadlines_exactly_once(
    on_postgres, committed, case, ctx
):
    ids = add_due(case, 1000, step=timedelta(milliseconds=1))
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        with ctx.app_context():
            try:
                start.wait()
                results.append(deadlines.sweep(DUE + timedelta(seconds=2), batch=50))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(r.fired for r in results) == 1000
    assert all(r.fired > 0 for r in results), results  # both sweeps took a share
    assert statuses(ids) == {"fired": 1000}
    assert alerts_of(ids) == ids
