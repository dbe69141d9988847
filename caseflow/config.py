"""Defaults, overridden by CASEFLOW_* environment variables or a test config mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
#: the key caseflow once fell back to: published, so anyone could sign a session with it
PUBLISHED_KEYS = frozenset({"dev-only-change-me"})
MISSING_KEY = (
    "CASEFLOW_SECRET_KEY is not set. It signs sessions and form tokens, so caseflow will not "
    "start without it outside development. Set it once per installation and keep it secret:\n"
    "    export CASEFLOW_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
    "\n(For a development machine, export CASEFLOW_ENV=development instead: a random key is "
    "then kept in the instance folder.)"
)


def from_environment(instance_path: str) -> dict:
    """Return the configuration read from the environment, with safe defaults."""
    env = os.environ.get
    default_db = "sqlite:///" + os.path.join(instance_path, "caseflow.sqlite")
    development = env("CASEFLOW_ENV") == "development"
    #: plain-HTTP development (and an intranet that says CASEFLOW_SECURE_COOKIES=0) only
    secure_cookies = env("CASEFLOW_SECURE_COOKIES", "0" if development else "1") == "1"
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(env("CASEFLOW_DATABASE_URL", default_db)),
        #: "development" on a developer's machine (`make run` exports it); anything else is
        #: production, where nothing insecure is assumed
        "CASEFLOW_ENV": env("CASEFLOW_ENV", "production"),
        "SECRET_KEY": env("CASEFLOW_SECRET_KEY") or None,
        "CASEFLOW_SMTP_URL": env("CASEFLOW_SMTP_URL"),
        "CASEFLOW_MAIL_FROM": env("CASEFLOW_MAIL_FROM", "caseflow@localhost"),
        "CASEFLOW_WEBHOOK_URL": env("CASEFLOW_WEBHOOK_URL"),
        "CASEFLOW_WORKFLOWS": env("CASEFLOW_WORKFLOWS", str(ROOT / "workflows")),
        "CASEFLOW_TIMEZONE": env("CASEFLOW_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "CASEFLOW_SWEEP_SECONDS": int(env("CASEFLOW_SWEEP_SECONDS", "30")),
        "CASEFLOW_SCHEDULER": env("CASEFLOW_SCHEDULER", "0") == "1",
        #: days an API token lives after it is issued
        "CASEFLOW_TOKEN_DAYS": int(env("CASEFLOW_TOKEN_DAYS", "30")),
        #: long lists count their rows exactly up to this many, then estimate
        "CASEFLOW_EXACT_TOTAL_UP_TO": int(env("CASEFLOW_EXACT_TOTAL_UP_TO", "10000")),
        #: reverse proxies in front of caseflow whose X-Forwarded-For is believed (none)
        "CASEFLOW_PROXIES": int(env("CASEFLOW_PROXIES", "0")),
        #: werkzeug's method; tests use a cheap one, production keeps scrypt
        "CASEFLOW_PASSWORD_HASH": env("CASEFLOW_PASSWORD_HASH", "scrypt"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        #: a larger body is refused (413) before it is read; upload views may take more
        "MAX_CONTENT_LENGTH": int(env("CASEFLOW_MAX_BODY_MB", "10")) * MB,
        "CASEFLOW_UPLOAD_MAX_BYTES": int(env("CASEFLOW_UPLOAD_MAX_MB", "20")) * MB,
        #: an import reads its file in a child process beside its writing (where it forks and
        #: has two cores); 0 reads it in the import's own process
        "CASEFLOW_IMPORT_READ_ASIDE": env("CASEFLOW_IMPORT_READ_ASIDE", "1") == "1",
        # a form may stay open through a long survey on a slow line before it is sent
        "WTF_CSRF_TIME_LIMIT": int(env("CASEFLOW_FORM_HOURS", "8")) * 3600,
    }


def secret_key(config: Mapping, instance_path: str) -> str:
    """Return the key that signs sessions; refuse to go on without a real one.

    In development (CASEFLOW_ENV=development) a random key is made once in the instance folder
    and reused, so that `make run` needs no set-up and restarts keep people logged in.
    """
    key = config.get("SECRET_KEY")
    if key in PUBLISHED_KEYS:
        raise ConfigurationError(f"CASEFLOW_SECRET_KEY is a published key. {MISSING_KEY}")
    if key:
        return key
    if config.get("CASEFLOW_ENV") == "development":
        return development_key(Path(instance_path) / "secret_key")
    raise ConfigurationError(MISSING_KEY)


def development_key(path: Path) -> str:
    """Return the key kept in `path`, making a random one (readable by its owner only) first.

    The key is written aside and linked into place, so two processes starting at once agree on
    one key and neither reads a half-written file.
    """
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="ascii") as written:
            written.write(secrets.token_hex(32) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise ConfigurationError(f"{path} is empty: delete it and start again.")
    return key


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


API_SETTINGS = {
    "API_TITLE": "caseflow",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class ConfigurationError(RuntimeError):
    """The environment does not let caseflow start safely; the message says what to set."""
