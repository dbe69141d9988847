"""API tokens expire, can be revoked by their holder, and die with their user's deactivation."""

from __future__ import annotations

from datetime import timedelta

from caseflow import clock
from caseflow.services import users
from tests.factories import PASSWORD, assert_error


def issued(api, who: str = "worker") -> dict:
    response = api.post("/auth/tokens", {"username": who, "password": PASSWORD}, who=None)
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_a_token_expires_after_caseflow_token_days(app, api, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "CASEFLOW_TOKEN_DAYS", 30)
    mine = issued(api)

    with clock.frozen_at(clock.now() + timedelta(days=29, hours=23)):
        assert api.client.get("/api/v1/households", headers=mine).status_code == 200
    with clock.frozen_at(clock.now() + timedelta(days=30, seconds=1)):
        assert_error(api.client.get("/api/v1/households", headers=mine), 401, "unauthorized")


def test_deleting_the_current_token_revokes_it(api) -> None:
    mine = issued(api)

    response = api.client.delete("/api/v1/auth/tokens/current", headers=mine)

    assert response.status_code == 204
    assert response.data == b""
    assert_error(api.client.get("/api/v1/households", headers=mine), 401, "unauthorized")
    assert_error(
        api.client.delete("/api/v1/auth/tokens/current", headers=mine), 401, "unauthorized"
    )


def test_revoking_one_token_leaves_the_others(api) -> None:
    mine = issued(api)

    api.client.delete("/api/v1/auth/tokens/current", headers=mine)

    assert api.get("/households").status_code == 200


def test_revoking_without_a_token_is_a_401_in_the_envelope(api) -> None:
    assert_error(api.client.delete("/api/v1/auth/tokens/current"), 401, "unauthorized")


def test_a_deactivated_user_can_neither_use_a_token_nor_get_one(app, api) -> None:
    with app.app_context():
        users.deactivate("worker")

    assert_error(api.get("/households"), 401, "unauthorized")
    response = api.post("/auth/tokens", {"username": "worker", "password": PASSWORD}, who=None)
    assert_error(response, 401, "unauthorized")


def test_revoke_tokens_ends_every_token_of_the_user(app, api) -> None:
    mine = issued(api)

    with app.app_context():
        assert users.revoke_tokens("worker") == 2

    assert_error(api.client.get("/api/v1/households", headers=mine), 401, "unauthorized")
    assert_error(api.get("/households"), 401, "unauthorized")
    assert api.get("/households", who="chair").status_code == 200


def test_the_openapi_document_describes_revoking_the_current_token(client) -> None:
    document = client.get("/api/v1/openapi.json").json

    operation = document["paths"]["/api/v1/auth/tokens/current"]["delete"]
    assert "204" in operation["responses"]
    assert "default" in operation["responses"] or "401" in operation["responses"]
    assert operation["summary"] or operation["description"]
