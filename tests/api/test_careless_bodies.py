"""The API crashes issue 8 found, each now a 4xx in the envelope (never a 500)."""

from __future__ import annotations

import pytest

from tests.factories import assert_error


def test_a_body_nested_900_deep_is_refused_even_before_logging_in(client) -> None:
    response = client.post(
        "/api/v1/auth/tokens", data="[" * 900 + "]" * 900, content_type="application/json"
    )

    assert_error(response, 400, "bad_request")


def test_a_lone_surrogate_in_a_name_is_refused_naming_the_field(api) -> None:
    response = api.post(
        "/households",
        data='{"head_name": "\\ud800x", "unit_code": "C1"}',
        content_type="application/json",
    )

    assert_error(response, 422, "invalid_fields", {"head_name"})


def test_an_integer_of_5001_digits_is_refused(api) -> None:
    response = api.post(
        "/households",
        data='{"head_name": "Hoa", "unit_code": "C1", "members": [], "x": ' + "9" * 5001 + "}",
        content_type="application/json",
    )

    assert_error(response, 400, "bad_request")


def test_a_user_name_longer_than_any_stored_is_refused_naming_it(client) -> None:
    response = client.post("/api/v1/auth/tokens", json={"username": "u" * 81, "password": "x"})

    assert_error(response, 422, "invalid_fields", {"username"})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"trigger": "start_review", "version": 6.5}, "version"),
        ({"trigger": "start_review", "data": {"started_on": "20260101"}}, "started_on"),
        ({"trigger": "start_review", "data": {"started_on": "0001-01-01"}}, "started_on"),
    ],
)
def test_a_number_that_is_not_whole_or_a_date_that_is_not_iso_is_refused(api, data, field):
    household = api.register()["id"]

    response = api.post(f"/households/{household}/transitions", data)

    assert field in assert_error(response, 422, "invalid_fields")["fields"]
