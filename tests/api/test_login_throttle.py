"""Failed logins slow down the (user name, address) pair that failed, and an address trying many
names; never the right password from another address."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow import clock, create_app
from caseflow.domain import throttle
from tests.factories import PASSWORD, assert_error

OFFICE, HOME, OTHER = "192.0.2.10", "198.51.100.7", "203.0.113.5"


def ask(client, username: str, password: str, address: str = OFFICE, **headers):
    return client.post(
        "/api/v1/auth/tokens",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def fail(client, times: int, username: str = "worker", address: str = OFFICE, **headers):
    """Fail `times` logins of the pair, each one after the wait the previous left."""
    moment = clock.now()
    for number in range(times):
        moment += throttle.pair_wait(number)
        with clock.frozen_at(moment):
            assert ask(client, username, "guess", address, **headers).status_code == 401
    return moment


def test_the_right_password_from_another_address_works_after_five_failures(api) -> None:
    last = fail(api.client, 5)

    with clock.frozen_at(last):
        assert ask(api.client, "worker", PASSWORD, HOME).status_code == 201
        assert_error(ask(api.client, "worker", PASSWORD, OFFICE), 429, "too_many_requests")


def test_three_failures_cost_nothing_yet(api) -> None:
    for _ in range(2):
        ask(api.client, "worker", "guess")

    assert ask(api.client, "worker", PASSWORD).status_code == 201


def test_the_pairs_wait_grows_with_each_failure(api) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        for _ in range(3):
            ask(api.client, "worker", "guess")
        refused = ask(api.client, "worker", PASSWORD)
    with clock.frozen_at(start + timedelta(seconds=1)):
        assert ask(api.client, "worker", "guess").status_code == 401  # checked: 4 failures
        assert ask(api.client, "worker", PASSWORD).status_code == 429
    with clock.frozen_at(start + timedelta(seconds=2)):
        assert ask(api.client, "worker", PASSWORD).status_code == 429
    with clock.frozen_at(start + timedelta(seconds=3)):
        assert ask(api.client, "worker", PASSWORD).status_code == 201

    error = assert_error(refused, 429, "too_many_requests")
    assert "1 second" in error["message"]
    assert refused.headers["Retry-After"] == "1"


def test_a_success_clears_the_pairs_failures(api) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        for _ in range(3):
            ask(api.client, "worker", "guess")
    with clock.frozen_at(start + timedelta(seconds=1)):
        assert ask(api.client, "worker", PASSWORD).status_code == 201
        assert ask(api.client, "worker", "guess").status_code == 401
        assert ask(api.client, "worker", PASSWORD).status_code == 201


def test_a_refused_attempt_is_not_counted_as_a_failure(api) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        for _ in range(3):
            ask(api.client, "worker", "guess")
        for _ in range(10):
            assert ask(api.client, "worker", "guess").status_code == 429
    with clock.frozen_at(start + timedelta(seconds=1)):
        assert ask(api.client, "worker", PASSWORD).status_code == 201


def spray(client, names: int, address: str = OFFICE) -> None:
    for number in range(names):
        assert ask(client, f"made-up-{number}", "guess", address).status_code == 401


def test_many_names_from_one_address_slow_that_address_down(api) -> None:
    spray(api.client, throttle.SPRAY_NAMES)

    assert_error(ask(api.client, "chair", PASSWORD), 429, "too_many_requests")
    assert_error(ask(api.client, "another-name", "guess"), 429, "too_many_requests")
    assert ask(api.client, "chair", PASSWORD, HOME).status_code == 201


def test_a_slowed_address_may_try_again_after_its_wait(api) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        spray(api.client, throttle.SPRAY_NAMES)
    with clock.frozen_at(start + throttle.address_wait(throttle.SPRAY_NAMES)):
        assert ask(api.client, "chair", PASSWORD).status_code == 201


def test_a_user_who_logged_in_from_the_address_is_not_slowed_by_its_spraying(api) -> None:
    assert ask(api.client, "chair", PASSWORD).status_code == 201
    spray(api.client, throttle.SPRAY_NAMES)

    assert ask(api.client, "made-up-x", "guess").status_code == 429
    assert ask(api.client, "chair", PASSWORD).status_code == 201


def test_x_forwarded_for_is_ignored_without_caseflow_proxies(api) -> None:
    last = fail(api.client, 5, **{"X-Forwarded-For": OTHER})

    with clock.frozen_at(last):
        response = ask(api.client, "worker", PASSWORD, **{"X-Forwarded-For": HOME})

    assert_error(response, 429, "too_many_requests")


@pytest.fixture
def behind_a_proxy(app, world):
    proxied = create_app(
        {
            **{
                k: app.config[k]
                for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "CASEFLOW_PASSWORD_HASH")
            },
            "CASEFLOW_PROXIES": 1,
            "CASEFLOW_SCHEDULER": False,
        }
    )
    yield proxied.test_client()
    with proxied.app_context():
        from caseflow.extensions import db

        db.engine.dispose()


def test_x_forwarded_for_names_the_address_behind_trusted_proxies(behind_a_proxy) -> None:
    last = fail(behind_a_proxy, 5, **{"X-Forwarded-For": OTHER})

    with clock.frozen_at(last):
        home = ask(behind_a_proxy, "worker", PASSWORD, **{"X-Forwarded-For": HOME})
        other = ask(behind_a_proxy, "worker", PASSWORD, **{"X-Forwarded-For": OTHER})

    assert (home.status_code, other.status_code) == (201, 429)


def test_caseflow_proxies_comes_from_the_environment(monkeypatch, tmp_path) -> None:
    from caseflow.config import from_environment

    monkeypatch.delenv("CASEFLOW_PROXIES", raising=False)
    assert from_environment(str(tmp_path))["CASEFLOW_PROXIES"] == 0
    monkeypatch.setenv("CASEFLOW_PROXIES", "2")
    assert from_environment(str(tmp_path))["CASEFLOW_PROXIES"] == 2
