"""No known secret key: outside development caseflow refuses to start without one; in
development it makes a random key once, in the instance folder, and keeps it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from caseflow import create_app
from caseflow.config import ConfigurationError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_key(monkeypatch):
    monkeypatch.delenv("CASEFLOW_SECRET_KEY", raising=False)
    monkeypatch.delenv("CASEFLOW_ENV", raising=False)


def build(tmp_path: Path, **config) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite",
            "CASEFLOW_SCHEDULER": False,
            **config,
        },
        instance_path=str(tmp_path / "instance"),
    )


def test_outside_development_the_app_refuses_to_start_without_a_key(no_key, tmp_path) -> None:
    with pytest.raises(ConfigurationError) as refused:
        build(tmp_path)

    assert "CASEFLOW_SECRET_KEY" in str(refused.value)
    assert "secrets.token_hex(32)" in str(refused.value)
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_the_key_once_shipped_as_a_default_is_refused(no_key, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "dev-only-change-me")

    with pytest.raises(ConfigurationError):
        build(tmp_path)


def test_the_wsgi_entry_point_fails_at_start_without_a_key(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CASEFLOW_SECRET_KEY", "CASEFLOW_ENV")}
    env["CASEFLOW_DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite"

    started = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert started.returncode != 0
    assert "CASEFLOW_SECRET_KEY" in started.stderr


def test_a_key_from_the_environment_is_used(no_key, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CASEFLOW_SECRET_KEY", "k" * 64)

    assert build(tmp_path).secret_key == "k" * 64


def test_in_development_a_key_is_made_once_and_reused(no_key, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CASEFLOW_ENV", "development")

    first = build(tmp_path).secret_key
    again = build(tmp_path).secret_key

    key_file = tmp_path / "instance" / "secret_key"
    assert first == again == key_file.read_text().strip()
    assert len(first) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_two_development_folders_have_different_keys(no_key, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("CASEFLOW_ENV", "development")

    one = build(tmp_path / "one").secret_key
    other = build(tmp_path / "other").secret_key

    assert one != other


@pytest.mark.parametrize("forging_key", ["dev-only-change-me", "caseflow", "secret", "test"])
def test_a_session_cookie_forged_with_a_constant_key_is_refused(
    no_key, monkeypatch, tmp_path, app, world, forging_key
) -> None:
    monkeypatch.setenv("CASEFLOW_ENV", "development")
    served = build(tmp_path, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    forger = Flask("forger")
    forger.secret_key = forging_key
    forged = served.session_interface.get_signing_serializer(forger).dumps(
        {"_user_id": str(world.ids["admin"]), "_fresh": True}
    )
    client = served.test_client()
    client.set_cookie("session", forged)

    try:
        response = client.get("/households")
    finally:
        with served.app_context():
            from caseflow.extensions import db

            db.engine.dispose()

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
