"""No duplicate by accident: a national ID held twice, the same head registered twice, the same
request sent twice (Idempotency-Key)."""

from __future__ import annotations

from caseflow.extensions import db
from caseflow.models import Event, Household
from tests.factories import assert_error

HEAD = {"full_name": "Nguyễn Thị Hoa", "birth_date": "1980-04-12", "relation": "head"}


def households(app) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(db.func.count()).select_from(Household))
        db.session.remove()
    return found


def sent(api, body: dict, who: str, headers: dict):
    """Post a registration with more headers than the token."""
    headers = {"Authorization": f"Bearer {api.world.tokens[who]}", **headers}
    return api.client.post("/api/v1/households", json=body, headers=headers)


def error_body(response) -> dict:
    assert set(response.json) == {"error"}
    return response.json["error"]


# -- national ID ------------------------------------------------------------------------------


def test_a_national_id_held_by_another_household_is_refused_naming_it(app, api) -> None:
    first = api.register(national_id="036085001234")
    before = households(app)

    response = api.post(
        "/households",
        {"head_name": "Trần Văn Nam", "unit_code": "C1-V1", "national_id": "036085001234"},
    )

    error = error_body(response)
    assert (response.status_code, error["code"]) == (409, "duplicate_national_id")
    assert error["household_id"] == first["id"]
    assert set(error["fields"]) == {"national_id"}
    assert first["code"] in error["message"]
    assert households(app) == before


def test_the_refusal_speaks_the_callers_language(api) -> None:
    first = api.register(national_id="036085001234")

    response = sent(
        api,
        {"head_name": "Trần Văn Nam", "unit_code": "C1-V1", "national_id": "036085001234"},
        "worker",
        {"Accept-Language": "vi"},
    )

    message = error_body(response)["message"]
    assert "đã có số định danh này" in message and first["code"] in message


def test_a_national_id_held_outside_the_callers_units_is_refused_without_naming_it(api) -> None:
    api.register(national_id="036085001234")

    response = api.post(
        "/households",
        {"head_name": "Trần Văn Nam", "unit_code": "C2", "national_id": "036085001234"},
        who="outsider",
    )

    error = error_body(response)
    assert (response.status_code, error["code"]) == (409, "duplicate_national_id")
    assert error["household_id"] is None


def test_patching_in_a_national_id_held_by_another_household_is_refused(api) -> None:
    first = api.register(national_id="036085001234")
    second = api.register(head_name="Trần Văn Nam")

    response = api.patch(
        f"/households/{second['id']}",
        {"version": second["version"], "national_id": "036085001234"},
    )

    error = error_body(response)
    assert (response.status_code, error["code"], error["household_id"]) == (
        409,
        "duplicate_national_id",
        first["id"],
    )
    assert api.get(f"/households/{second['id']}").json["national_id"] is None


def test_a_household_keeps_its_own_national_id_when_patched(api) -> None:
    household = api.register(national_id="036085001234")

    response = api.patch(
        f"/households/{household['id']}",
        {"version": household["version"], "national_id": "036085001234", "address": "Xóm 3"},
    )

    assert response.status_code == 200, response.json


# -- the same head, birth date and village ----------------------------------------------------


def test_the_same_head_birth_date_and_village_asks_for_confirmation(app, api) -> None:
    first = api.register(members=[HEAD])
    before = households(app)

    response = api.post(
        "/households",
        {
            "head_name": "NGUYEN THI HOA",
            "unit_code": "C1-V1",
            "village": "Dong Hai",
            "members": [HEAD],
        },
    )

    error = error_body(response)
    assert (response.status_code, error["code"]) == (409, "possible_duplicate")
    assert error["household_id"] == first["id"]
    assert set(error["fields"]) == {"confirm_duplicate"}
    assert households(app) == before


def test_confirming_registers_the_household_anyway(api) -> None:
    first = api.register(members=[HEAD])

    response = api.post(
        "/households",
        {
            "head_name": "Nguyễn Thị Hoa",
            "unit_code": "C1-V1",
            "village": "Đông Hải",
            "members": [HEAD],
            "confirm_duplicate": True,
        },
    )

    assert response.status_code == 201, response.json
    assert response.json["id"] != first["id"]


def test_without_a_head_the_first_member_gives_the_birth_date(api) -> None:
    member = {"full_name": "Nguyễn Thị Hoa", "birth_date": "1980-04-12"}
    api.register(members=[member, {"full_name": "Trần Văn Nam", "birth_date": "1979-01-01"}])

    response = api.post(
        "/households",
        {
            "head_name": "Nguyễn Thị Hoa",
            "unit_code": "C1-V1",
            "village": "Đông Hải",
            "members": [member],
        },
    )

    assert error_body(response)["code"] == "possible_duplicate"


def test_another_birth_date_village_or_unit_is_another_household(api) -> None:
    api.register(members=[HEAD])

    for body in (
        {"village": "Đông Hải", "members": [{**HEAD, "birth_date": "1981-04-12"}]},
        {"village": "Thôn Bắc", "members": [HEAD]},
        {"village": "Đông Hải", "members": [HEAD], "unit_code": "C1"},
        {"village": "Đông Hải", "members": [{**HEAD, "birth_date": None}]},
    ):
        response = api.post(
            "/households", {"head_name": "Nguyễn Thị Hoa", "unit_code": "C1-V1", **body}
        )
        assert response.status_code == 201, (body, response.json)


def test_a_household_without_birth_dates_is_not_a_possible_duplicate(api) -> None:
    api.register()

    assert (
        api.post(
            "/households",
            {"head_name": "Nguyễn Thị Hoa", "unit_code": "C1-V1", "village": "Đông Hải"},
        ).status_code
        == 201
    )


# -- Idempotency-Key --------------------------------------------------------------------------

BODY = {"head_name": "Lò Văn Pá", "unit_code": "C1-V1", "members": [{"full_name": "Lò Văn Pá"}]}


def keyed(api, key: str, body: dict = BODY, who: str = "worker"):
    return sent(api, body, who, {"Idempotency-Key": key})


def test_the_same_key_answers_the_same_201_and_registers_once(app, api) -> None:
    before = households(app)

    first = keyed(api, "phieu-0001")
    again = keyed(api, "phieu-0001")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert households(app) == before + 1
    with app.app_context():
        events = db.session.scalar(
            db.select(db.func.count())
            .select_from(Event)
            .where(Event.household_id == first.json["id"])
        )
        db.session.remove()
    assert events == 1


def test_the_same_key_with_another_body_is_refused(app, api) -> None:
    keyed(api, "phieu-0002")

    response = keyed(api, "phieu-0002", {**BODY, "head_name": "Lò Văn Páo"})

    assert_error(response, 422, "idempotency_key_reused")


def test_another_callers_key_is_their_own(app, api) -> None:
    first = keyed(api, "phieu-0003")

    other = keyed(api, "phieu-0003", who="worker2")

    assert other.status_code == 201 and other.json["id"] != first.json["id"]


def test_a_refused_request_does_not_use_up_its_key(api) -> None:
    api.register(members=[HEAD])
    body = {
        "head_name": "Nguyễn Thị Hoa",
        "unit_code": "C1-V1",
        "village": "Đông Hải",
        "members": [HEAD],
    }
    assert keyed(api, "phieu-0004", body).status_code == 409

    response = keyed(api, "phieu-0004", {**body, "confirm_duplicate": True})

    assert response.status_code == 201, response.json


def test_a_key_that_is_too_long_is_refused_naming_the_header(api) -> None:
    response = keyed(api, "x" * 201)

    error = assert_error(response, 422, "invalid_fields")
    assert "Idempotency-Key" in error["fields"]


def test_the_header_is_documented_on_the_operation(api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json

    parameters = spec["paths"]["/api/v1/households"]["post"]["parameters"]

    header = next(p for p in parameters if p["in"] == "header")
    assert header["name"] == "Idempotency-Key" and header["description"]
