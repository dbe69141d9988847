"""Two identical registrations at once: the database's unique keys let exactly one through."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from caseflow.extensions import db
from caseflow.models import Household, RegistrationKey
from caseflow.services import households
from tests.web.conftest import Pages
from tests.web.support import form_fields

TIMEOUT = 20
#: each request runs on its own connection: the writes must really be committed
pytestmark = pytest.mark.usefixtures("committed")
BODY = {"head_name": "Lò Văn Pá", "unit_code": "C1-V1"}
FORM = {"head_name": "Lò Văn Pá", "unit_code": "C1-V1", "members-0-full_name": "Lò Văn Pá"}


def at_once(app, world, requests: list[tuple[dict, dict]]) -> list:
    """Post each (body, headers) as the case worker, from its own thread, released together."""
    start = threading.Barrier(len(requests), timeout=TIMEOUT)
    responses: list = [None] * len(requests)
    failures: list[BaseException] = []

    def send(index: int, body: dict, headers: dict) -> None:
        try:
            client = app.test_client()
            start.wait()
            responses[index] = client.post(
                "/api/v1/households",
                json=body,
                headers={"Authorization": f"Bearer {world.tokens['worker']}", **headers},
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


def both_past_the_first_look(app, monkeypatch, parties: int = 2) -> None:
    """Let every request find no household for its key before any of them writes one.

    On SQLite a writing request takes the write lock as it begins, so the second cannot look
    before the first has written and committed: the requests are sent at once all the same,
    without a gate that would wait for a request that cannot start.
    """
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return
    gate = threading.Barrier(parties, timeout=TIMEOUT)
    original: Callable = households._register
    waited = threading.local()

    def held(*args, **kwargs):
        if not getattr(waited, "once", False):  # a second attempt goes on alone
            waited.once = True
            gate.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(households, "_register", held)


def count(app, model) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(db.func.count()).select_from(model))
        db.session.remove()
    return found


def test_two_identical_posts_at_once_register_one_household(app, world, monkeypatch) -> None:
    both_past_the_first_look(app, monkeypatch)
    key = {"Idempotency-Key": "phieu-race-1"}

    first, second = at_once(app, world, [(BODY, key), (BODY, key)])

    assert (first.status_code, second.status_code) == (201, 201), (first.json, second.json)
    assert first.json["id"] == second.json["id"]
    assert count(app, Household) == 1 and count(app, RegistrationKey) == 1


def test_two_households_with_one_national_id_at_once_register_one(app, world, monkeypatch) -> None:
    both_past_the_first_look(app, monkeypatch)
    body = {**BODY, "national_id": "036085001234"}

    responses = at_once(
        app, world, [(body, {"Idempotency-Key": "a"}), (body, {"Idempotency-Key": "b"})]
    )

    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409).json["error"]
    created = next(r for r in responses if r.status_code == 201).json
    assert (refused["code"], refused["household_id"]) == ("duplicate_national_id", created["id"])
    assert count(app, Household) == 1


def test_one_form_sent_from_two_tabs_at_once_registers_one_household(
    app, world, monkeypatch
) -> None:
    both_past_the_first_look(app, monkeypatch)
    tabs = [Pages(app.test_client()), Pages(app.test_client())]
    for tab in tabs:
        tab.login("worker")
    key = form_fields(tabs[0].get("/households/new").text)["submission_key"]
    sent: list = [None, None]

    def send(index: int) -> None:
        tab = tabs[index]
        sent[index] = tab.post("/households/new", {**FORM, "submission_key": key})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)

    assert [r.status_code for r in sent] == [302, 302]
    assert sent[0].headers["Location"] == sent[1].headers["Location"]
    assert count(app, Household) == 1
