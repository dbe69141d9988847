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
