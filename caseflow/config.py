"""Defaults, overridden by CASEFLOW_* environment variables or a test config mapping."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def from_environment(instance_path: str) -> dict:
    """Return the configuration read from the environment, with safe defaults."""
    env = os.environ.get
    default_db = "sqlite:///" + os.path.join(instance_path, "caseflow.sqlite")
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(env("CASEFLOW_DATABASE_URL", default_db)),
        "SECRET_KEY": env("CASEFLOW_SECRET_KEY", "dev-only-change-me"),
        "CASEFLOW_SMTP_URL": env("CASEFLOW_SMTP_URL"),
        "CASEFLOW_MAIL_FROM": env("CASEFLOW_MAIL_FROM", "caseflow@localhost"),
        "CASEFLOW_WEBHOOK_URL": env("CASEFLOW_WEBHOOK_URL"),
        "CASEFLOW_WORKFLOWS": env("CASEFLOW_WORKFLOWS", str(ROOT / "workflows")),
        "CASEFLOW_TIMEZONE": env("CASEFLOW_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "CASEFLOW_SWEEP_SECONDS": int(env("CASEFLOW_SWEEP_SECONDS", "30")),
        "CASEFLOW_SCHEDULER": env("CASEFLOW_SCHEDULER", "0") == "1",
        #: werkzeug's method; tests use a cheap one, production keeps scrypt
        "CASEFLOW_PASSWORD_HASH": env("CASEFLOW_PASSWORD_HASH", "scrypt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("CASEFLOW_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env("CASEFLOW_SECURE_COOKIES", "0") == "1",
        # a form may stay open through a long survey on a slow line before it is sent
        "WTF_CSRF_TIME_LIMIT": int(env("CASEFLOW_FORM_HOURS", "8")) * 3600,
    }


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


API_SETTINGS = {
    "API_TITLE": "caseflow",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
