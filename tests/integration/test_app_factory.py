"""The app exists only inside create_app: two apps in one process do not share set-up."""

from __future__ import annotations

from caseflow import create_app


def test_two_apps_can_be_built_in_one_process(tmp_path):
    first = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.sqlite", "SECRET_KEY": "first"}
    )
    second = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.sqlite", "SECRET_KEY": "second"}
    )
    assert first is not second
    assert first.url_map.bind("x").match("/api/v1/households") == second.url_map.bind("x").match(
        "/api/v1/households"
    )
