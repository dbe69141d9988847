"""A whole list at once follows the same rules as one household at a time."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from caseflow import clock
from caseflow.domain.errors import Forbidden, InvalidTrigger, NotFound, StaleVersion
from caseflow.extensions import db
from caseflow.models import Assessment, Deadline, Event, Household
from caseflow.services import bulk, households, moves
from caseflow.services.inserts import COPIED
from tests.factories import POOR_SURVEY


def _register(world, count: int, who: str = "worker") -> list[int]:
    actor = world.user(who)
    return [
        households.register(actor, {"head_name": f"Hộ {i}", "unit_code": "C1-V1"}).id
        for i in range(count)
    ]


def _survey(hid: int) -> dict:
    return {"household_id": hid, "surveyed_on": clock.today(), **POOR_SURVEY}


def test_fire_many_moves_every_household_with_history_and_timers(ctx, world):
    ids = _register(world, 5)
    moved = bulk.fire_many(world.user("worker"), ids, "start_review", {"review_kind": "regular"})
    assert [r.status for r in moved] == ["applied"] * 5
    states = db.session.scalars(db.select(Household.state).where(Household.id.in_(ids))).all()
    assert set(states) == {"under_review"}
    events = db.session.scalars(db.select(Event).where(Event.trigger == "start_review")).all()
    assert {e.household_id for e in events} == set(ids)
    keys = db.session.scalars(db.select(Deadline.key).where(Deadline.status == "pending")).all()
    assert sorted(keys) == sorted(["review_decision", "review_decision:remind"] * 5)


@pytest.mark.parametrize("count", [3, COPIED + 5])  # on PostgreSQL, COPIED: by a copied table
def test_record_surveys_classifies_households_under_review(ctx, world, count):
    ids = _register(world, count)
    bulk.fire_many(world.user("worker"), ids, "start_review")
    recorded = bulk.record_surveys(world.user("worker"), [_survey(h) for h in ids])
    assert [(r.status, r.classification) for r in recorded] == [("recorded", "poor")] * count
    rows = db.session.execute(
        db.select(Household.state, Household.proposed_classification, Household.version).where(
            Household.id.in_(ids)
        )
    ).all()
    assert [tuple(r) for r in rows] == [("classified", "poor", 3)] * count
    assert db.session.scalar(db.select(db.func.count(Assessment.id))) == count


@pytest.mark.parametrize("count", [1, 3, COPIED + 5])
def test_a_household_changed_between_reading_and_writing_saves_nothing(
    ctx, world, monkeypatch, count
):
    """Another writer's change to one household after the list was read: 409, none moved."""
    ids = _register(world, count)
    read = moves.views

    def read_then_changed_by_another(*args, **kwargs):
        found = read(*args, **kwargs)
        changed = Household.id == ids[-1]
        db.session.execute(update(Household).where(changed).values(version=Household.version + 1))
        return found

    monkeypatch.setattr(moves, "views", read_then_changed_by_another)
    with pytest.raises(StaleVersion) as refused:
        bulk.fire_many(world.user("worker"), ids, "start_review", {"review_kind": "regular"})
    assert refused.value.status == 409
    states = db.session.scalars(db.select(Household.state).where(Household.id.in_(ids))).all()
    assert states == ["registered"] * count
    assert (
        db.session.scalar(db.select(db.func.count(Event.id)).where(Event.trigger == "start_review"))
        == 0
    )


def test_a_list_with_one_household_in_the_wrong_state_moves_none(ctx, world):
    ids = _register(world, 3)
    bulk.fire_many(world.user("worker"), ids[:1], "start_review")
    with pytest.raises(InvalidTrigger):
        bulk.fire_many(world.user("worker"), ids, "start_review")
    states = db.session.scalars(db.select(Household.state).where(Household.id.in_(ids))).all()
    assert sorted(states) == ["registered", "registered", "under_review"]


def test_a_list_reaching_outside_the_callers_units_is_refused(ctx, world):
    ids = _register(world, 2)
    with pytest.raises(NotFound):
        bulk.fire_many(world.user("outsider"), ids, "start_review")


def test_automatic_triggers_are_not_fired_by_hand_in_bulk(ctx, world):
    ids = _register(world, 1)
    bulk.fire_many(world.user("worker"), ids, "start_review")
    with pytest.raises(Forbidden):
        bulk.fire_many(world.user("worker"), ids, "classify")


def test_moving_a_list_closes_requests_made_on_the_old_state(ctx, world):
    from datetime import timedelta

    from caseflow.models import Approval
    from caseflow.services import assessments, cases

    worker = world.user("worker")
    hid = _register(world, 1)[0]
    day = clock.today() - timedelta(days=14)
    cases.fire(worker, hid, "start_review", {"started_on": day})
    assessments.record(worker, hid, {"surveyed_on": day, **POOR_SURVEY})
    cases.fire(worker, hid, "agree", {"meeting_on": day, "posted_on": day, "agreement_pct": 90})
    request = cases.fire(worker, hid, "recognise").approval
    bulk.fire_many(worker, [hid], "complain", reason="Khiếu nại của hộ bên cạnh")
    assert db.session.get(Approval, request.id).status == "stale"


def test_moving_a_list_closes_the_alerts_whose_work_ended_as_one_move_does(ctx, world):
    from datetime import timedelta

    from caseflow.models import Alert
    from caseflow.services import assessments, cases, deadlines

    worker = world.user("worker")
    hid = _register(world, 1)[0]
    day = clock.today() - timedelta(days=14)
    cases.fire(worker, hid, "start_review", {"review_kind": "periodic", "started_on": day})
    assessments.record(worker, hid, {"surveyed_on": day, **POOR_SURVEY})
    cases.fire(worker, hid, "agree", {"meeting_on": day, "posted_on": day, "agreement_pct": 90})
    deadlines.sweep(deliver=False)
    assert db.session.scalars(db.select(Alert.status)).all() == ["open"]

    bulk.fire_many(worker, [hid], "complain", reason="Khiếu nại của hộ bên cạnh")

    assert db.session.scalars(db.select(Alert.status)).all() == ["closed"]


def test_a_household_listed_twice_moves_once_and_the_second_order_is_refused(ctx, world):
    hid = _register(world, 1)[0]
    orders = [bulk.Order(hid, "start_review"), bulk.Order(hid, "start_review")]

    results = bulk.fire_all(world.user("worker"), orders, each=True)

    assert [r.status for r in results] == ["applied", "refused"]
    assert "listed twice" in results[1].error.message
    events = db.session.scalars(db.select(Event.trigger).where(Event.household_id == hid)).all()
    assert events == ["register", "start_review"]
