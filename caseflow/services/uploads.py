"""Uploaded files kept between a dry run and its confirmation, under the instance folder.

Each file is named by a random token and by the user who uploaded it, so that only that user
can confirm it; files older than a day are removed whenever another one is kept.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path
from typing import IO

from flask import current_app

from caseflow.domain.errors import N_, NotFound

#: seconds an uploaded file is kept for its confirmation
KEEP_SECONDS = 24 * 3600
FOLDER = "imports"


def _folder() -> Path:
    folder = Path(current_app.instance_path) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(stream: IO[bytes], user_id: int) -> str:
    """Save an uploaded stream for `user_id`; return the token that names it."""
    _clean()
    token = secrets.token_urlsafe(18)
    with (_folder() / f"{user_id}-{token}").open("wb") as file:
        shutil.copyfileobj(stream, file)
    return token


def path(token: str | None, user_id: int) -> Path:
    """Return the file the user kept under `token`, or NotFound."""
    found = _folder() / f"{user_id}-{token}"
    # a page's hidden token may come back empty or missing (a broken or tampered form)
    if not token or not token.replace("-", "").replace("_", "").isalnum() or not found.is_file():
        raise NotFound(N_("The uploaded file is gone; upload it again."))
    return found


def drop(token: str, user_id: int) -> None:
    """Remove a kept file (after its import, or when the user gives it up)."""
    (_folder() / f"{user_id}-{token}").unlink(missing_ok=True)


def _clean() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in _folder().iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
