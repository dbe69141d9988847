"""Deployed workflow versions: stored with their hash, never changed in place, pinned per case."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from caseflow import clock
from caseflow.config import ROOT
from caseflow.domain.errors import Conflict
from caseflow.extensions import db
from caseflow.models import Household, WorkflowDefinition
from caseflow.services.definitions import (
    Definitions,
    current_workflow,
    definitions,
    deploy,
    workflow,
)

LIFECYCLE = "household_lifecycle.yaml"
#: the version of the lifecycle file, and the one a changed copy of it takes
CURRENT = yaml.safe_load((ROOT / "workflows" / LIFECYCLE).read_text(encoding="utf-8"))["version"]
NEXT = CURRENT + 1


@pytest.fixture(autouse=True)
def english(client) -> None:
    """Messages are checked in English; without Accept-Language the API answers in Vietnamese."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def deployed(app) -> dict[tuple[str, int], WorkflowDefinition]:
    with app.app_context():
        rows = {(r.name, r.version): r for r in db.session.scalars(db.select(WorkflowDefinition))}
        db.session.expunge_all()
        db.session.remove()
    return rows


def folder_with(
    tmp_path: Path,
    change: Callable[[dict], None] | None = None,
    text: Callable[[str], str] | None = None,
    name: str = LIFECYCLE,
) -> Path:
    """Copy workflows/ to tmp_path, changing the lifecycle file's data or its text."""
    folder = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", folder)
    original = (folder / LIFECYCLE).read_text(encoding="utf-8")
    if change is not None:
        data = yaml.safe_load(original)
        change(data)
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    else:
        body = text(original) if text else original
    (folder / LIFECYCLE).unlink()
    (folder / name).write_text(body, encoding="utf-8")
    return folder


def longer_review(data: dict) -> None:
    """Give the regular review 20 days instead of 15."""
    data["states"]["under_review"]["timers"][0]["due"] = "20 days"


@pytest.fixture
def reads(app, world) -> Iterator[Callable[[Path], None]]:
    """Make the app read another workflows folder, as a process started on it would."""
    original = app.extensions["caseflow.definitions"]

    def read(folder: Path) -> None:
        app.extensions["caseflow.definitions"] = Definitions.load(folder)

    yield read
    app.extensions["caseflow.definitions"] = original


def review_due(api, hid: int) -> str:
    deadlines = api.get(f"/households/{hid}/deadlines").json
    return next(d["due_at"] for d in deadlines if d["key"] == "review_decision")


# -- deploying --------------------------------------------------------------------------------


def test_deploying_stores_each_workflow_with_its_hash_and_text(app, world) -> None:
    rows = deployed(app)

    assert {("household_lifecycle", CURRENT), ("support_item", 1)} <= set(rows)
    with app.app_context():
        loaded = definitions().workflows[("household_lifecycle", CURRENT)]
    row = rows[("household_lifecycle", CURRENT)]
    assert row.digest == loaded.digest
    assert len(row.digest) == 64
    assert row.body == (ROOT / "workflows" / LIFECYCLE).read_text(encoding="utf-8")


def test_deploying_again_changes_nothing(ctx, world) -> None:
    before = {k: (r.id, r.digest) for k, r in deployed(ctx).items()}
    definitions().deployed = False

    deploy()

    assert {k: (r.id, r.digest) for k, r in deployed(ctx).items()} == before


def test_a_changed_body_under_a_deployed_version_is_refused(app, tmp_path, reads) -> None:
    reads(folder_with(tmp_path, longer_review))

    with app.app_context(), pytest.raises(Conflict) as raised:
        deploy()

    assert raised.value.status == 409
    assert f"household_lifecycle version {CURRENT}" in raised.value.message


def test_registering_under_a_changed_body_is_a_409_and_stores_nothing(
    app, api, tmp_path, reads
) -> None:
    before = deployed(app)
    reads(folder_with(tmp_path, longer_review))

    response = api.post("/households", {"head_name": "Lò Văn Pá", "unit_code": "C1"})

    assert response.status_code == 409, response.json
    assert response.json["error"]["code"] == "conflict"
    assert {k: r.digest for k, r in deployed(app).items()} == {
        k: r.digest for k, r in before.items()
    }


def test_a_changed_body_is_not_used_for_cases_of_that_version(app, api, tmp_path, reads) -> None:
    hid = api.register()["id"]
    reads(folder_with(tmp_path, longer_review))

    response = api.fire(hid, "start_review")

    assert response.status_code == 409, response.json
    assert f"household_lifecycle version {CURRENT}" in response.json["error"]["message"]
    with app.app_context():
        assert db.session.get(Household, hid).state == "registered"
        db.session.remove()


def test_comments_and_layout_are_not_a_change_of_body(app, tmp_path, reads) -> None:
    reads(folder_with(tmp_path, text=lambda t: "# a comment for the operators\n\n" + t))

    with app.app_context():
        deploy()
        assert current_workflow("household_lifecycle").version == CURRENT


# -- a new version ----------------------------------------------------------------------------


def second_version(data: dict) -> None:
    longer_review(data)
    data["version"] = NEXT


def test_a_new_version_is_deployed_beside_the_old(app, tmp_path, reads) -> None:
    reads(folder_with(tmp_path, second_version))

    with app.app_context():
        deploy()

    lifecycles = {key for key in deployed(app) if key[0] == "household_lifecycle"}
    assert lifecycles == {("household_lifecycle", CURRENT), ("household_lifecycle", NEXT)}


def test_cases_keep_the_version_they_started_on(api, tmp_path, reads) -> None:
    old = api.register(head_name="Hộ Cũ")["id"]
    reads(folder_with(tmp_path, second_version))
    new = api.register(head_name="Hộ Mới")["id"]
    started = clock.today() - timedelta(days=1)

    assert api.fire(old, "start_review", started_on=started.isoformat()).status_code == 200
    assert api.fire(new, "start_review", started_on=started.isoformat()).status_code == 200

    assert api.get(f"/households/{old}").json["workflow"] == {
        "name": "household_lifecycle",
        "version": CURRENT,
    }
    assert api.get(f"/households/{new}").json["workflow"] == {
        "name": "household_lifecycle",
        "version": NEXT,
    }
    assert review_due(api, old).startswith(
        (started + timedelta(days=15 - 1)).isoformat()
    )  # local midnight is 17:00 UTC before
    assert review_due(api, new).startswith((started + timedelta(days=20 - 1)).isoformat())
    history = api.get(f"/households/{old}/history").json
    assert [e["workflow_version"] for e in history] == [CURRENT, CURRENT]


def test_an_old_version_is_read_back_from_the_database(app, tmp_path, reads) -> None:
    original = app.extensions["caseflow.definitions"].workflows[("household_lifecycle", CURRENT)]
    reads(folder_with(tmp_path, second_version))

    with app.app_context():
        old = workflow("household_lifecycle", CURRENT)

    assert old.digest == original.digest
    assert str(old.states["under_review"].timers[0].due) == "15 days"


def test_the_newest_version_is_current_whatever_the_file_names(app, tmp_path, reads) -> None:
    folder = folder_with(tmp_path, second_version, name="a_lifecycle_v2.yaml")
    shutil.copy(ROOT / "workflows" / LIFECYCLE, folder / "z_lifecycle_v1.yaml")
    reads(folder)

    with app.app_context():
        assert current_workflow("household_lifecycle").version == NEXT


def test_the_database_refuses_to_change_a_history_event(ctx, world) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    from caseflow.services import households as households_service

    households_service.register(world.user("worker"), {"head_name": "Hộ A", "unit_code": "C1"})
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("UPDATE event SET actor = 'someone else'"))
    db.session.rollback()
