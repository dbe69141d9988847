"""One household per national ID number: the database's unique index is the guard, and what
it refuses is still named as the household that holds the number."""

from __future__ import annotations

import pytest

from caseflow.domain.duplicates import DuplicateNationalId
from caseflow.extensions import db
from caseflow.models import Event, Household
from caseflow.services import households

NUMBER = "036085001234"


@pytest.fixture
def skip_the_look(monkeypatch):
    """Arm: the services' next look for a held number finds nothing, as a request racing
    another would."""
    original = households._refuse_held_national_id
    armed = []

    def look(*args, **kwargs):
        if armed:
            armed.pop()
            return
        original(*args, **kwargs)

    monkeypatch.setattr(households, "_refuse_held_national_id", look)
    return lambda: armed.append(True)


def register(world, **fields) -> Household:
    return households.register(
        world.user("worker"), {"head_name": "Lò Văn Pá", "unit_code": "C1-V1", **fields}
    )


def test_a_registration_the_look_missed_is_refused_by_the_index(ctx, world, skip_the_look) -> None:
    holder = register(world, national_id=NUMBER, head_name="Trần Văn Nam")
    skip_the_look()

    with pytest.raises(DuplicateNationalId) as refused:
        register(world, national_id=NUMBER)

    assert refused.value.household_id == holder.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Household)) == 1


def test_a_change_of_facts_the_look_missed_is_refused_by_the_index(
    ctx, world, skip_the_look
) -> None:
    holder = register(world, national_id=NUMBER, head_name="Trần Văn Nam")
    other = register(world)
    version, other_id = other.version, other.id
    skip_the_look()

    with pytest.raises(DuplicateNationalId) as refused:
        households.update(world.user("worker"), other_id, {"national_id": NUMBER}, version)

    assert refused.value.household_id == holder.id
    events = db.session.scalars(db.select(Event.trigger).where(Event.household_id == other_id))
    assert list(events) == ["register"]
    assert db.session.get(Household, other_id).national_id is None
