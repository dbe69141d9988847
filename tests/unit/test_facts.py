"""What changed in a household's facts: old and new values, members added, removed, changed."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.domain.errors import InvalidInput
from caseflow.domain.facts import changes, clean, masked

HOA = {
    "id": 1,
    "full_name": "Nguyễn Thị Hoa",
    "birth_date": date(1980, 4, 12),
    "sex": "female",
    "relation": "head",
    "ethnicity": None,
    "disability": False,
}
NAM = {
    "id": 2,
    "full_name": "Trần Văn Nam",
    "birth_date": None,
    "sex": "male",
    "relation": "spouse",
    "ethnicity": None,
    "disability": False,
}
FACTS = {
    "head_name": "Nguyễn Thị Hoa",
    "village": "Đông Hải",
    "address": None,
    "phone": "0912345678",
    "national_id": None,
    "area": "rural",
}


def without_id(member: dict) -> dict:
    return {k: v for k, v in member.items() if k != "id"}


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"phone": "0912345678"},
        {"village": "Đông Hải", "area": "rural"},
        {"members": [HOA, NAM]},
        {"members": [without_id(HOA), without_id(NAM)]},
        {"members": [NAM, HOA]},
    ],
)
def test_giving_the_same_facts_changes_nothing(given) -> None:
    assert changes(FACTS, [HOA, NAM], given).record == {}


def test_each_changed_fact_keeps_its_old_and_new_value() -> None:
    found = changes(FACTS, [], {"phone": "0987654321", "address": "Xóm 3", "village": "Đông Hải"})

    assert found.record == {
        "facts": {
            "phone": {"old": "0912345678", "new": "0987654321"},
            "address": {"old": None, "new": "Xóm 3"},
        }
    }
    assert found.facts == {"phone": "0987654321", "address": "Xóm 3"}


def test_a_member_given_without_an_id_is_added() -> None:
    xuan = {
        "full_name": "Lò Thị Xuân",
        "birth_date": date(2010, 1, 2),
        "sex": "female",
        "relation": "child",
        "ethnicity": "Thái",
        "disability": False,
    }

    found = changes(FACTS, [HOA], {"members": [HOA, xuan]})

    assert found.record == {"members": {"added": [{**xuan, "birth_date": "2010-01-02"}]}}
    assert found.added == [xuan] and found.removed == [] and found.updated == {}


def test_a_member_left_out_is_removed() -> None:
    found = changes(FACTS, [HOA, NAM], {"members": [HOA]})

    assert found.record == {"members": {"removed": [{**NAM}]}}
    assert found.removed == [2]


def test_a_member_given_with_its_id_is_changed_field_by_field() -> None:
    found = changes(
        FACTS,
        [HOA, NAM],
        {"members": [HOA, {**NAM, "birth_date": date(1979, 2, 1), "relation": "other"}]},
    )

    assert found.record == {
        "members": {
            "changed": [
                {
                    "id": 2,
                    "full_name": "Trần Văn Nam",
                    "facts": {
                        "birth_date": {"old": None, "new": "1979-02-01"},
                        "relation": {"old": "spouse", "new": "other"},
                    },
                }
            ]
        }
    }
    assert found.updated == {2: {"birth_date": date(1979, 2, 1), "relation": "other"}}


def test_a_member_renamed_is_named_by_its_new_name() -> None:
    found = changes(FACTS, [NAM], {"members": [{**NAM, "full_name": "Trần Văn Năm"}]})

    assert found.record["members"]["changed"][0]["full_name"] == "Trần Văn Năm"


def test_leaving_the_members_out_keeps_them() -> None:
    assert changes(FACTS, [HOA, NAM], {"phone": "0987654321"}).removed == []


@pytest.mark.parametrize(
    "members",
    [
        [{**NAM, "id": 99}],
        [NAM, {**NAM, "relation": "child"}],
    ],
)
def test_an_id_that_is_not_one_of_the_households_members_is_refused(members) -> None:
    with pytest.raises(InvalidInput) as refused:
        changes(FACTS, [HOA, NAM], {"members": members})

    assert set(refused.value.fields) == {"members"}


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  Xóm 3 ", "Xóm 3"),
        ("", None),
        ("   ", None),
        (None, None),
        (True, True),
    ],
)
def test_text_is_trimmed_and_blank_is_nothing(value, cleaned) -> None:
    assert clean(value) == cleaned


def test_blank_text_where_there_was_none_is_no_change() -> None:
    assert changes(FACTS, [], {"address": "  "}).record == {}


def test_identifiers_are_masked_in_a_record_of_changes() -> None:
    record = changes(
        {**FACTS, "national_id": "036085001234"},
        [],
        {"phone": "0987654321", "national_id": None, "village": "Thôn Bắc"},
    ).record

    shown = masked(record)

    assert shown["facts"]["phone"] == {"old": "*******678", "new": "*******321"}
    assert shown["facts"]["national_id"] == {"old": "*********234", "new": None}
    assert shown["facts"]["village"] == {"old": "Đông Hải", "new": "Thôn Bắc"}
    assert record["facts"]["phone"]["old"] == "0912345678"  # the stored record is untouched


def test_identifiers_of_members_are_masked_too() -> None:
    record = {
        "members": {
            "added": [{"full_name": "A", "national_id": "036085001234"}],
            "changed": [
                {
                    "id": 2,
                    "full_name": "B",
                    "facts": {"national_id": {"old": "036085009999", "new": "036085001111"}},
                }
            ],
        }
    }

    shown = masked(record)["members"]

    assert shown["added"][0]["national_id"] == "*********234"
    assert shown["changed"][0]["facts"]["national_id"] == {
        "old": "*********999",
        "new": "*********111",
    }
