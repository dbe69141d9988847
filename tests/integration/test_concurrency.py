"""Two requests on the same case at once, on PostgreSQL: exactly one wins, the other gets 409."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from caseflow import clock
from caseflow.extensions import db
from caseflow.models import Approval, Event
from caseflow.services import approvals, bulk

TIMEOUT = 20
#: each request runs on its own connection: the writes must really be committed
pytestmark = pytest.mark.usefixtures("committed")


def at_once(app, world, requests: list[tuple[str, str, dict]]) -> list:
    """Send each (user, path, body) from its own thread and test client, released together."""
    start = threading.Barrier(len(requests), timeout=TIMEOUT)
    responses: list = [None] * len(requests)
    failures: list[BaseException] = []

    def send(index: int, who: str, path: str, body: dict) -> None:
        try:
            client = app.test_client()
            start.wait()
            responses[index] = client.post(
                f"/api/v1{path}",
                json=body,
                headers={"Authorization": f"Bearer {world.tokens[who]}"},
            )
        except BaseException as error:  # noqa: BLE001 - reported by the test thread below
            failures.append(error)

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(t.is_alive() for t in threads), "a request hung"
    assert failures == []
    return responses


def hold_everyone_after(monkeypatch, module, name: str, parties: int) -> None:
    """Make `module.name` wait, once it returned, until every request has called it."""
    gate = threading.Barrier(parties, timeout=TIMEOUT)
    original: Callable = getattr(module, name)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        gate.wait()
        return result

    monkeypatch.setattr(module, name, held)


def hold_everyone_before(monkeypatch, module, name: str, parties: int) -> None:
    """Make `module.name` wait, before it runs, until every request has reached it."""
    gate = threading.Barrier(parties, timeout=TIMEOUT)
    original: Callable = getattr(module, name)

    def held(*args, **kwargs):
        gate.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)


def events_of(app, household_id: int) -> list[str]:
    with app.app_context():
        found = list(
            db.session.scalars(
                db.select(Event.trigger)
                .where(Event.household_id == household_id)
                .order_by(Event.id)
            )
        )
        db.session.remove()
    return found


def statuses(responses) -> list[int]:
    return sorted(r.status_code for r in responses)


def posted_with_request(api) -> tuple[int, int]:
    hid = api.register()["id"]
    api.fire(hid, "start_review")
    api.survey(hid)
    day = (clock.today() - timedelta(days=14)).isoformat()
    api.fire(hid, "agree", meeting_on=day, posted_on=day, agreement_pct=80)
    return hid, api.fire(hid, "recognise").json["approval"]["id"]


def test_two_fires_at_once_one_wins_and_one_event_is_written(on_postgres, app, world, api):
    hid = api.register()["id"]
    path, body = f"/households/{hid}/transitions", {"trigger": "start_review"}

    responses = at_once(app, world, [("worker", path, body), ("worker2", path, body)])

    assert statuses(responses) == [200, 409]
    assert events_of(app, hid) == ["register", "start_review"]


def test_two_fires_that_both_read_the_same_version_one_wins(
    on_postgres, app, world, api, monkeypatch
):
    hid = api.register()["id"]
    # both requests have loaded the household at the same version before either writes
    hold_everyone_after(monkeypatch, bulk, "transition_for", 2)
    body = {"trigger": "start_review"}

    responses = at_once(
        app,
        world,
        [
            ("worker", f"/households/{hid}/transitions", body),
            ("worker2", f"/households/{hid}/transitions", body),
        ],
    )

    assert statuses(responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json["error"]["code"] == "stale_version"
    assert events_of(app, hid) == ["register", "start_review"]


@pytest.mark.parametrize("attempt", range(5))
def test_a_complaint_and_an_approval_at_once_one_wins(on_postgres, app, world, api, attempt: int):
    hid, approval_id = posted_with_request(api)

    responses = at_once(
        app,
        world,
        [
            (
                "worker",
                f"/households/{hid}/transitions",
                {"trigger": "complain", "reason": "khiếu nại"},
            ),
            ("chair", f"/approvals/{approval_id}/approve", {}),
        ],
    )

    assert statuses(responses) == [200, 409]
    moved = events_of(app, hid)[4:]
    assert moved in (["complain"], ["recognise"])


def test_two_supervisors_approving_one_request_at_once_one_wins(
    on_postgres, app, world, api, monkeypatch
):
    hid, approval_id = posted_with_request(api)
    hold_everyone_before(monkeypatch, approvals, "get_approval", 2)
    path = f"/approvals/{approval_id}/approve"

    responses = at_once(app, world, [("chair", path, {}), ("deputy", path, {})])

    assert statuses(responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json["error"]["code"] == "already_decided"
    assert events_of(app, hid).count("recognise") == 1
    with app.app_context():
        approval = db.session.get(Approval, approval_id)
        assert approval.status == "approved"
        winner = next(r for r in responses if r.status_code == 200)
        assert approval.decided_by == winner.json["approval"]["decided_by"]
        db.session.remove()


def test_two_supervisors_approving_without_a_hold_one_wins(on_postgres, app, world, api):
    hid, approval_id = posted_with_request(api)
    path = f"/approvals/{approval_id}/approve"

    responses = at_once(app, world, [("chair", path, {}), ("deputy", path, {})])

    assert statuses(responses) == [200, 409]
    assert events_of(app, hid).count("recognise") == 1


def test_two_requests_for_approval_at_once_one_is_kept(on_postgres, app, world, api, monkeypatch):
    hid, approval_id = posted_with_request(api)
    api.post(f"/approvals/{approval_id}/reject", {"reason": "thiếu hồ sơ"}, who="chair")
    hold_everyone_after(monkeypatch, bulk, "transition_for", 2)
    path = f"/households/{hid}/transitions"

    responses = at_once(
        app,
        world,
        [("worker", path, {"trigger": "recognise"}), ("worker2", path, {"trigger": "recognise"})],
    )

    assert statuses(responses) == [202, 409]
    with app.app_context():
        pending = db.session.scalar(
            db.select(db.func.count(Approval.id)).filter_by(household_id=hid, status="pending")
        )
        db.session.remove()
    assert pending == 1


def test_two_imports_of_one_file_at_once_one_imports_and_one_is_refused(
    on_postgres, app, world, monkeypatch, tmp_path
):
    """Two users import the same file at once: both find none of its households, the first
    to commit writes them, the second is refused whole (409, nothing of it written), never
    a 500 and never a household twice."""
    from caseflow.domain.errors import Conflict
    from caseflow.models import Household, User
    from caseflow.services import imports
    from tests.import_support import household, member, workbook

    monkeypatch.setitem(app.config, "CASEFLOW_IMPORT_READ_ASIDE", False)  # threads: no fork
    rows = [household(f"HN-{n}", **{"Họ và tên chủ hộ": f"Đồng Thời {n}"}) for n in range(3)]
    path = workbook(tmp_path / "x.xlsx", rows, [member(f"HN-{n}") for n in range(3)], [])
    hold_everyone_before(monkeypatch, imports.import_writer.Writer, "households", 2)
    outcomes: list = []

    def run(who: str) -> None:
        with app.app_context():
            try:
                actor = db.session.scalar(db.select(User).where(User.username == who))
                outcomes.append(imports.run(actor, path, path.name, "C1", dry_run=False).created)
            except Conflict as refused:
                outcomes.append(refused.template)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(who,)) for who in ("worker", "worker2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert sorted(outcomes, key=str) == sorted([3, imports.WRITTEN_MEANWHILE], key=str)
    with app.app_context():
        codes = db.session.scalars(
            db.select(Household.code).where(Household.head_name.like("Đồng Thời %"))
        ).all()
        db.session.remove()
    assert sorted(codes) == ["HN-0", "HN-1", "HN-2"]


def test_a_request_committed_after_the_other_read_the_household_stays_the_one(
    on_postgres, app, world, api, monkeypatch
):
    """The second request read the household before the first committed, and writes after
    it: the first stays pending and the second is refused (409), not put in its place."""
    hid, approval_id = posted_with_request(api)
    api.post(f"/approvals/{approval_id}/reject", {"reason": "thiếu hồ sơ"}, who="chair")
    second_read, first_done = threading.Event(), threading.Event()
    original = bulk.transition_for

    def held(*args, **kwargs):  # the household is read (moves.views) before this
        if threading.current_thread().name == "second":
            second_read.set()
            first_done.wait(TIMEOUT)
        else:
            second_read.wait(TIMEOUT)
        return original(*args, **kwargs)

    monkeypatch.setattr(bulk, "transition_for", held)
    path, body = f"/households/{hid}/transitions", {"trigger": "recognise"}
    responses: dict = {}

    def send(who: str) -> None:
        headers = {"Authorization": f"Bearer {world.tokens[who]}"}
        responses[who] = app.test_client().post(f"/api/v1{path}", json=body, headers=headers)
        if who == "worker":
            first_done.set()

    threads = [
        threading.Thread(target=send, args=("worker",), name="first"),
        threading.Thread(target=send, args=("worker2",), name="second"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert (responses["worker"].status_code, responses["worker2"].status_code) == (202, 409)
    first = responses["worker"].json["approval"]["id"]
    with app.app_context():
        pending = db.session.scalars(
            db.select(Approval.id).filter_by(household_id=hid, status="pending")
        ).all()
        db.session.remove()
    assert pending == [first]
