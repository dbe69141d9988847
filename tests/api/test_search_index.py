"""Search by index: a member's name, the code, the phone or a CCCD finds the household."""

from __future__ import annotations

import pytest

from caseflow.domain.search import document, searched_words


def found(api, q: str, who: str = "worker") -> list[int]:
    response = api.get("/households", who, query_string={"q": q, "per_page": 500})
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


@pytest.fixture
def two(api) -> dict:
    """The household searched for, and another that shares nothing with it."""
    hoa = api.register(
        head_name="Nguyễn Thị Hoa",
        phone="0912 345 678",
        national_id="001180012345",
        members=[
            {"full_name": "Nguyễn Thị Hoa", "birth_date": "1980-03-01", "sex": "female"},
            {"full_name": "Trần Đức Bình", "birth_date": "2005-06-07", "sex": "male"},
        ],
    )
    other = api.register(head_name="Lê Văn Sơn", phone="0987000111", national_id="034090000999")
    return {"hoa": hoa, "other": other}


@pytest.mark.parametrize(
    "q",
    [
        "Nguyễn Thị Hoa",  # the head, as written
        "nguyen thi hoa",  # without accents
        "HOA",
        "tran duc binh",  # a member
        "Đức Bình",
        "binh nguyen",  # words from two names, in any order
        "0912 345 678",  # the phone, as written
        "0912345678",  # its digits
        "345678",
        "001180012345",  # the national ID (CCCD)
        "0011800",
    ],
)
def test_every_field_finds_the_household(api, two, q: str) -> None:
    assert found(api, q) == [two["hoa"]["id"]]


def test_the_household_code_finds_it(api, two) -> None:
    code = two["hoa"]["code"]

    assert found(api, code) == [two["hoa"]["id"]]
    assert found(api, code.lower()[3:]) == [two["hoa"]["id"]]


@pytest.mark.parametrize("q", ["h", "ho", "d", "12"])
def test_one_or_two_characters_still_search(api, two, q: str) -> None:
    assert two["hoa"]["id"] in found(api, q)


def test_a_word_in_no_field_finds_nothing(api, two) -> None:
    assert found(api, "xuan") == []
    assert found(api, "%") == [] and found(api, "_") == []


def test_an_edit_is_searched_at_once(api, two) -> None:
    hoa = two["hoa"]
    head = {k: v for k, v in hoa["members"][0].items() if v is not None}
    members = [head, {"full_name": "Phạm Minh Châu", "birth_date": "2010-01-01", "sex": "female"}]
    response = api.patch(
        f"/households/{hoa['id']}",
        {"version": hoa["version"], "phone": "0333444555", "members": members},
    )
    assert response.status_code == 200, response.json

    assert found(api, "chau") == [hoa["id"]]
    assert found(api, "0333444555") == [hoa["id"]]
    assert found(api, "binh") == [] and found(api, "0912345678") == []


def test_a_new_head_name_is_searched_and_the_old_one_is_not(api) -> None:
    hoa = api.register(head_name="Nguyễn Thị Hoa")
    api.patch(f"/households/{hoa['id']}", {"version": hoa["version"], "head_name": "Võ Thị Lụa"})

    assert found(api, "vo thi lua") == [hoa["id"]]
    assert found(api, "nguyen thi hoa") == []


def test_search_stays_within_the_callers_units(api, two) -> None:
    assert found(api, "0912345678", "outsider") == []


def test_the_folded_text_holds_every_field_once_folded() -> None:
    text = document("Đặng Văn Đức", "HH-AB12", "0912 345 678", "001", ["Ngô Thị Mai"])

    assert text == "dang van duc | ngo thi mai | hh-ab12 | 0912 345 678 | 001 | 0912345678"
    assert searched_words("  Đức   MAI ") == ["duc", "mai"]


@pytest.mark.parametrize("q", ["vo thi", "thi vo lua", "v t l", "lua hh"])
def test_short_and_long_words_together(api, q: str) -> None:
    made = api.register(head_name="Võ Thị Lụa")["id"]

    assert found(api, q) == [made]


def test_index_households_writes_again_what_another_writer_changed(api, clean) -> None:
    """An import writes rows its own way, then calls index_households with their ids."""
    from sqlalchemy import update

    from caseflow.extensions import db
    from caseflow.models import Household
    from caseflow.services.search_index import index_households

    made = [api.register(head_name=f"Hộ {n}")["id"] for n in range(3)]
    with clean.app_context():
        db.session.execute(
            update(Household).where(Household.id.in_(made[:2])).values(phone="0977888999")
        )
        index_households(made[:2] + [made[0], 10**9])  # repeated and unknown ids do no harm
        db.session.commit()

    assert found(api, "0977888999") == made[:2]
    assert found(api, "ho") == made


@pytest.fixture
def two_communes(api) -> dict:
    """Namesakes in two communes: each commune's household has its own phone, CCCD, member."""

    def namesake(who: str, unit: str, phone: str, national_id: str, member: str) -> int:
        return api.register(
            who,
            unit_code=unit,
            head_name="Nguyễn Thị Hoa",
            phone=phone,
            national_id=national_id,
            members=[{"full_name": member, "birth_date": "2005-06-07", "sex": "male"}],
        )["id"]

    return {
        "worker": namesake("worker", "C1-V1", "0912000111", "001180000111", "Trần Đức Bình"),
        "outsider": namesake("outsider", "C2", "0912000222", "001180000222", "Lê Văn Sơn"),
    }


@pytest.mark.parametrize("who, other", [("worker", "outsider"), ("outsider", "worker")])
def test_a_case_worker_finds_only_their_communes_households(api, two_communes, who, other):
    mine, theirs = two_communes[who], two_communes[other]
    code = api.get(f"/households/{theirs}", "officer").json["code"]

    assert found(api, "nguyen thi hoa", who) == [mine]
    assert found(api, "hoa", who) == [mine]
    for q in ("0912000", "0011800", code):  # the other's phone, CCCD and code: never theirs
        assert theirs not in found(api, q, who)
    assert found(api, code, other) == [theirs]


def test_a_case_worker_finds_their_household_by_every_field(api, two_communes) -> None:
    mine = two_communes["worker"]
    code = api.get(f"/households/{mine}").json["code"]

    for q in ("tran duc binh", "0912000111", "001180000111", code, "d", "binh hoa"):
        assert found(api, q) == [mine], q
    assert found(api, "le van son") == [] and found(api, "0912000222") == []


def test_the_province_finds_both_communes_and_a_unit_filter_narrows(api, two_communes) -> None:
    both = sorted(two_communes.values())

    assert found(api, "nguyen thi hoa", "officer") == both
    response = api.get("/households", "officer", query_string={"q": "hoa", "unit": "C2"})
    assert [item["id"] for item in response.json["items"]] == [two_communes["outsider"]]
