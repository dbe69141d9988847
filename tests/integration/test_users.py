"""Users: who may be created, and the command line that manages them."""

from __future__ import annotations

import pytest

from caseflow.domain.errors import InvalidInput
from caseflow.extensions import db
from caseflow.models import User
from caseflow.services import users
from tests.factories import PASSWORD


@pytest.mark.parametrize("role", ["case_worker", "supervisor", "officer"])
def test_every_role_but_admin_needs_a_unit(world, ctx, role) -> None:
    with pytest.raises(InvalidInput) as refused:
        users.create("nounit", role, None, PASSWORD)

    assert set(refused.value.fields) == {"unit"}
    assert db.session.scalar(db.select(User).filter_by(username="nounit")) is None


def test_an_admin_needs_no_unit(world, ctx) -> None:
    user, _ = users.create("root2", "admin", None, PASSWORD)

    assert user.unit is None


def test_the_command_line_refuses_a_case_worker_without_a_unit(world, ctx) -> None:
    result = ctx.test_cli_runner().invoke(
        args=["users", "create", "nounit", "--role", "case_worker", "--password", PASSWORD]
    )

    assert result.exit_code == 1
    assert "needs a unit" in result.output
    assert db.session.scalar(db.select(User).filter_by(username="nounit")) is None


def test_a_case_worker_left_without_a_unit_sees_no_household(world, ctx, client) -> None:
    from tests.factories import Api

    Api(client, world).register()
    worker = world.user("worker")
    worker.unit = None  # a row made before a unit was required
    db.session.commit()

    listed = Api(client, world).get("/households")

    assert listed.status_code == 200
    assert listed.json["items"] == []


# -- the command line ---------------------------------------------------------------------------

NEW_PASSWORD = "đồng-lúa-chín-vàng-2026"


def cli(ctx, *args, input: str | None = None):
    return ctx.test_cli_runner().invoke(args=["users", *args], input=input)


@pytest.mark.parametrize("weak", ["short-1", "matkhau123", "nounit-2026-x"])
def test_users_create_refuses_a_weak_password(world, ctx, weak) -> None:
    result = cli(ctx, "create", "nounit", "--role", "admin", "--password", weak)

    assert result.exit_code == 1
    assert "password" in result.output
    assert db.session.scalar(db.select(User).filter_by(username="nounit")) is None


def test_users_list_shows_each_user_with_role_unit_and_status(world, ctx) -> None:
    users.deactivate("worker2")

    lines = cli(ctx, "list").output.splitlines()

    assert lines[0].split() == ["user", "role", "unit", "status"]
    assert lines[1].split() == ["admin", "admin", "-", "active"]
    assert ["worker", "case_worker", "C1", "active"] in [line.split() for line in lines]
    assert ["worker2", "case_worker", "C1", "inactive"] in [line.split() for line in lines]


def test_users_deactivate_stops_logins_and_tokens(world, ctx, client) -> None:
    result = cli(ctx, "deactivate", "worker")

    assert result.exit_code == 0, result.output
    assert "worker deactivated" in result.output
    assert not db.session.get(User, world.ids["worker"]).active
    bearer = {"Authorization": f"Bearer {world.tokens['worker']}"}
    assert client.get("/api/v1/households", headers=bearer).status_code == 401


def test_users_set_password_asks_twice_without_echo(world, ctx, client) -> None:
    result = cli(ctx, "set-password", "worker", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert result.output.count("assword") >= 2
    asked = client.post(
        "/api/v1/auth/tokens", json={"username": "worker", "password": NEW_PASSWORD}
    )
    assert asked.status_code == 201


def test_users_set_password_refuses_two_different_entries(world, ctx) -> None:
    result = cli(
        ctx,
        "set-password",
        "worker",
        input=f"{NEW_PASSWORD}\nsomething-else-2026\n{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


def test_users_set_password_takes_the_password_as_an_option(world, ctx) -> None:
    result = cli(ctx, "set-password", "worker", "--password", NEW_PASSWORD)

    assert result.exit_code == 0, result.output


def test_users_set_password_refuses_a_common_password(world, ctx) -> None:
    result = cli(ctx, "set-password", "worker", "--password", "vietnam123")

    assert result.exit_code == 1
    assert "most common" in result.output


def test_users_set_password_of_an_unknown_user_fails(world, ctx) -> None:
    result = cli(ctx, "set-password", "nobody", "--password", NEW_PASSWORD)

    assert result.exit_code == 1
    assert "no user nobody" in result.output


def test_users_revoke_tokens_prints_how_many(world, ctx, client) -> None:
    result = cli(ctx, "revoke-tokens", "worker")

    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "revoked 1 tokens of worker"
    bearer = {"Authorization": f"Bearer {world.tokens['worker']}"}
    assert client.get("/api/v1/households", headers=bearer).status_code == 401
