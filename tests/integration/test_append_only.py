"""The database itself keeps history and decisions: whatever SQL is sent, by whatever code or
person, a history event is never changed or removed, and a decision once taken stays taken."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Approval, Event
from caseflow.models.append_only import empty_all_tables
from caseflow.services import cases
from tests.factories import at, build_world
from tests.timers_support import Case, posted_case

POSTED_ON = date(2027, 10, 4)
DECIDED_ON = date(2027, 10, 20)
DECIDED = ("approved", "rejected", "stale")


@pytest.fixture
def case(world, ctx) -> Case:
    return posted_case(world, POSTED_ON)


def request_recognition(case: Case) -> int:
    """A pending request of the case worker to recognise the household."""
    with clock.frozen_at(at(DECIDED_ON)):
        outcome = cases.fire(
            case.world.user("worker"), case.id, "recognise", {"decided_on": DECIDED_ON}
        )
    return outcome.approval.id


def decide(approval_id: int, status: str) -> None:
    """Decide a request in one UPDATE, as the services do: status, who and when together."""
    db.session.execute(
        text(
            "UPDATE approval SET status = :status, decided_by = 'chair', "
            "decided_at = requested_at, comment = 'ok' WHERE id = :id"
        ),
        {"status": status, "id": approval_id},
    )
    db.session.commit()


HISTORY = "history events are append-only"
FINAL = "a decided approval cannot be changed"
ONCE = "an approval request changes only by being decided"
KEPT = "approval requests cannot be deleted"


def refused(because: str, statement: str, **params) -> None:
    with pytest.raises(DatabaseError, match=because):
        db.session.execute(text(statement), params)
    db.session.rollback()


def history_count() -> int:
    return db.session.scalar(db.select(db.func.count(Event.id)))


def test_a_history_event_cannot_be_deleted(case):
    before = history_count()
    first = db.session.scalar(db.select(db.func.min(Event.id)))
    refused(HISTORY, "DELETE FROM event WHERE id = :id", id=first)
    assert history_count() == before


def test_the_whole_history_cannot_be_deleted_at_once(case):
    before = history_count()
    refused(HISTORY, "DELETE FROM event")  # on SQLite, the "truncate" form of DELETE
    assert history_count() == before


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    ("statement", "because"),
    [
        ("TRUNCATE event", HISTORY),
        ("TRUNCATE household CASCADE", f"{HISTORY}|{KEPT}"),  # it would empty both
    ],
)
def test_the_history_cannot_be_truncated(case, on_postgres, statement, because):
    before = history_count()
    refused(because, statement)
    assert history_count() == before


@pytest.mark.parametrize("status", DECIDED)
@pytest.mark.parametrize(
    "change",
    [
        "status = 'pending'",
        "status = 'approved'",
        "comment = 'changed afterwards'",
        "decided_by = 'someone else'",
        "decided_at = NULL",
        "reason = 'another reason'",
    ],
)
def test_a_decided_approval_cannot_be_changed(case, status, change):
    approval_id = request_recognition(case)
    decide(approval_id, status)
    refused(FINAL, f"UPDATE approval SET {change} WHERE id = :id", id=approval_id)
    row = db.session.get(Approval, approval_id, populate_existing=True)
    assert (row.status, row.decided_by, row.comment) == (status, "chair", "ok")


@pytest.mark.parametrize("status", DECIDED)
def test_a_decided_approval_cannot_be_deleted(case, status):
    approval_id = request_recognition(case)
    decide(approval_id, status)
    refused(KEPT, "DELETE FROM approval WHERE id = :id", id=approval_id)
    assert db.session.get(Approval, approval_id, populate_existing=True) is not None


@pytest.mark.postgres_only
def test_the_approvals_cannot_be_truncated(case, on_postgres):
    decide(request_recognition(case), "approved")
    refused(f"{KEPT}|{HISTORY}", "TRUNCATE approval CASCADE")
    assert db.session.scalar(db.select(db.func.count(Approval.id))) == 1


@pytest.mark.parametrize("status", DECIDED)
def test_a_pending_approval_is_decided_once_in_one_update(case, status):
    approval_id = request_recognition(case)
    decide(approval_id, status)
    row = db.session.get(Approval, approval_id, populate_existing=True)
    assert (row.status, row.decided_by, row.comment) == (status, "chair", "ok")


@pytest.mark.parametrize(
    "change",
    [
        "comment = 'a note, no decision'",
        "status = 'approved'",  # a decision names who took it and when
        "status = 'withdrawn', decided_by = 'chair', decided_at = requested_at",
        "status = 'approved', decided_by = 'chair', decided_at = requested_at, "
        'data = \'{"decided_on": "2027-10-01"}\'',
        "status = 'approved', decided_by = 'chair', decided_at = requested_at, "
        "requested_by = 'chair'",
    ],
)
def test_a_pending_approval_changes_only_by_being_decided(case, change):
    approval_id = request_recognition(case)
    refused(ONCE, f"UPDATE approval SET {change} WHERE id = :id", id=approval_id)
    row = db.session.get(Approval, approval_id, populate_existing=True)
    assert (row.status, row.decided_by, row.comment) == ("pending", None, None)


def test_a_pending_request_cannot_be_deleted(case):
    approval_id = request_recognition(case)
    refused(KEPT, "DELETE FROM approval WHERE id = :id", id=approval_id)


def test_emptying_all_tables_for_tests_keeps_the_guards(committed, case):
    decide(request_recognition(case), "approved")
    db.session.remove()
    with db.engine.begin() as connection:
        empty_all_tables(connection)
    assert history_count() == 0
    assert db.session.scalar(db.select(db.func.count(Approval.id))) == 0
    again = posted_case(build_world(), POSTED_ON)
    refused(HISTORY, "DELETE FROM event")
    decide(request_recognition(again), "rejected")
    refused(KEPT, "DELETE FROM approval")
