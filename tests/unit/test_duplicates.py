"""Telling a household registered twice: the same folded head name, head's birth date and
village within the same unit."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.domain.duplicates import Identity, head_birth_date, identity

BORN = date(1980, 4, 12)


@pytest.mark.parametrize(
    ("members", "born"),
    [
        ([], None),
        ([{"full_name": "A", "birth_date": BORN}], BORN),
        ([{"full_name": "A", "birth_date": None}, {"full_name": "B", "birth_date": BORN}], None),
        (
            [
                {"full_name": "A", "birth_date": date(2010, 1, 1), "relation": "child"},
                {"full_name": "B", "birth_date": BORN, "relation": "head"},
            ],
            BORN,
        ),
    ],
)
def test_the_head_is_the_member_so_related_else_the_first(members, born) -> None:
    assert head_birth_date(members) == born


def test_names_and_villages_are_compared_folded() -> None:
    one = identity(1, "Nguyễn Thị Hoa", "Đông Hải", [{"birth_date": BORN}])
    other = identity(1, "  NGUYEN thi  hoa", "dong hai", [{"birth_date": BORN}])

    assert one.matches(other)


@pytest.mark.parametrize(
    "other",
    [
        Identity(2, "nguyen thi hoa", BORN, "dong hai"),
        Identity(1, "nguyen thi hoa", date(1980, 4, 13), "dong hai"),
        Identity(1, "nguyen thi hoa", BORN, "thon bac"),
        Identity(1, "nguyen van hoa", BORN, "dong hai"),
    ],
)
def test_another_unit_birth_date_village_or_name_is_another_household(other) -> None:
    assert not Identity(1, "nguyen thi hoa", BORN, "dong hai").matches(other)


def test_an_unknown_birth_date_matches_nothing() -> None:
    unknown = Identity(1, "nguyen thi hoa", None, "dong hai")

    assert not unknown.matches(unknown)


def test_no_village_on_either_side_is_the_same_village() -> None:
    assert identity(1, "Hoa", None, [{"birth_date": BORN}]).matches(
        identity(1, "Hoa", "", [{"birth_date": BORN}])
    )
