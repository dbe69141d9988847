"""The demo province is today's map: two levels below the province (commune or ward, then
village), wards urban and communes rural, with the users the guides name."""

from __future__ import annotations

import pytest

from caseflow.extensions import db
from caseflow.models import Household, Unit, User
from caseflow.models.append_only import empty_all_tables
from caseflow.services import demo


@pytest.fixture
def loaded(ctx) -> None:
    """The demo on an empty database, as `caseflow demo` makes it (rolled back afterwards)."""
    empty_all_tables(db.session.connection())
    ctx.extensions["caseflow.definitions"].deployed = False
    list(demo.load())


def _demo_units() -> dict[str, Unit]:
    province = db.session.scalar(db.select(Unit).filter_by(code="NDH"))
    below = db.session.scalars(db.select(Unit).where(Unit.path.startswith(province.path)))
    return {unit.code: unit for unit in below}


def test_the_demo_has_exactly_two_levels_below_the_province(loaded) -> None:
    units = _demo_units()
    province = units["NDH"]
    children = [u for u in units.values() if u.parent_id == province.id]
    grandchildren = [u for u in units.values() if u.parent and u.parent in children]
    assert {u.level for u in children} == {"commune", "ward"}
    assert {u.level for u in grandchildren} == {"village"}
    assert len(units) == 1 + len(children) + len(grandchildren)
    assert not {"district", "township"} & {u.level for u in units.values()}


def test_wards_are_urban_and_communes_rural_down_to_their_households(loaded) -> None:
    units = _demo_units()
    for unit in units.values():
        top = unit if unit.level in ("commune", "ward") else unit.parent
        if unit.level != "province":
            assert unit.area == ("urban" if top.level == "ward" else "rural"), unit.code
    areas = db.session.execute(
        db.select(Household.area, Unit.area).join(Unit).where(Unit.code.in_(list(units)))
    ).all()
    assert areas and all(household == unit for household, unit in areas)


def test_the_demo_keeps_its_users_and_the_communes_the_guides_name(loaded) -> None:
    units = _demo_units()
    assert (units["HD"].name, units["HT"].name, units["YD"].name) == (
        "Xã Hải Đông",
        "Xã Hải Tây",
        "Phường Yên Định",
    )
    assert "mô phỏng" in units["NDH"].name  # an invented name says so
    names = set(db.session.scalars(db.select(User.username)))
    assert {name for name, *_ in demo.USERS} <= names
    assert {"canbo.haidong", "chutich.haidong", "canbo.tinh", "canbo.yendinh"} <= names
