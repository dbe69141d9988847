"""Request bodies have a size limit: 413 in the envelope; upload endpoints may take more."""

from __future__ import annotations

import pytest
from flask import request

from caseflow import create_app
from caseflow.config import from_environment
from caseflow.limits import accepts_upload
from tests.factories import assert_error

MB = 1024 * 1024


def big_json(size: int) -> str:
    return '{"head_name": "' + "x" * size + '"}'


def test_a_body_over_the_limit_is_a_413_in_the_envelope(api) -> None:
    response = api.post("/households", data=big_json(11 * MB), content_type="application/json")

    error = assert_error(response, 413, "too_large")
    assert "10 MB" in error["message"]


def test_a_body_under_the_limit_is_read(api) -> None:
    response = api.post("/households", data=big_json(MB), content_type="application/json")

    assert_error(response, 422, "invalid_fields")


def test_the_413_speaks_the_clients_language(api) -> None:
    response = api.client.post(
        "/api/v1/households",
        data=big_json(11 * MB),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.world.tokens['worker']}", "Accept-Language": "vi"},
    )

    assert "10 MB" in assert_error(response, 413, "too_large")["message"]
    assert "quá" in response.json["error"]["message"]


@pytest.mark.parametrize(
    ("variable", "value", "key", "expected"),
    [
        ("CASEFLOW_MAX_BODY_MB", None, "MAX_CONTENT_LENGTH", 10 * MB),
        ("CASEFLOW_MAX_BODY_MB", "2", "MAX_CONTENT_LENGTH", 2 * MB),
        ("CASEFLOW_UPLOAD_MAX_MB", None, "CASEFLOW_UPLOAD_MAX_BYTES", 20 * MB),
        ("CASEFLOW_UPLOAD_MAX_MB", "50", "CASEFLOW_UPLOAD_MAX_BYTES", 50 * MB),
    ],
)
def test_the_limits_come_from_the_environment(
    monkeypatch, tmp_path, variable, value, key, expected
) -> None:
    if value is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, value)

    assert from_environment(str(tmp_path))[key] == expected


@pytest.fixture
def upload_app(tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite",
            "SECRET_KEY": "test",
            "CASEFLOW_SCHEDULER": False,
        },
        instance_path=str(tmp_path),
    )

    @app.post("/import-test")
    @accepts_upload
    def imported():
        return {"bytes": len(request.get_data())}

    @app.post("/plain-test")
    def plain():
        return {"bytes": len(request.get_data())}

    app.extensions["csrf"].exempt(imported)
    app.extensions["csrf"].exempt(plain)
    return app


def test_an_upload_endpoint_takes_more_than_the_usual_limit(upload_app) -> None:
    client = upload_app.test_client()

    assert client.post("/import-test", data=b"x" * (15 * MB)).json == {"bytes": 15 * MB}
    assert client.post("/plain-test", data=b"x" * (15 * MB)).status_code == 413
    assert client.post("/import-test", data=b"x" * (21 * MB)).status_code == 413
