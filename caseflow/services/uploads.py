"""Uploaded files kept between a dry run and its confirmation, under the instance folder.

Each file is named by a random token and by the user who uploaded it, so that only that user
can confirm it; files older than a day are removed whenever another one is kept.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path
from typing import IO

from flask import current_app

from caseflow.domain.errors import N_, Conflict, NotFound

#: seconds an uploaded file is kept for its confirmation (and the mark of its import)
KEEP_SECONDS = 24 * 3600
FOLDER = "imports"
#: the suffixes of a file taken by its confirmation, and of the mark that it was imported
IMPORTING, IMPORTED = ".importing", ".imported"
GONE = N_("The uploaded file is gone; upload it again.")
BEING_IMPORTED = N_("This file is being imported: its households will be in the list.")
ALREADY_IMPORTED = N_("This file has already been imported: its households are in the list.")


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
    if not _valid(token) or not found.is_file():
        raise NotFound(GONE)
    return found


def claim(token: str | None, user_id: int) -> Path:
    """Take the kept file for its import, once: a second confirmation of it (a double click,
    the back button, a second tab) is refused with Conflict, saying whether the file is being
    imported or has been; the file is renamed, atomically, so two at once cannot both take
    it. Then `imported()` or `release()` the path returned."""
    kept = _folder() / f"{user_id}-{token}"
    if _valid(token):
        taken = kept.with_name(kept.name + IMPORTING)
        try:
            os.rename(kept, taken)
            os.utime(taken)  # not a day old while it is imported: _clean leaves it
            return taken
        except FileNotFoundError:
            pass
        if taken.exists():
            raise Conflict(BEING_IMPORTED)
        if kept.with_name(kept.name + IMPORTED).exists():
            raise Conflict(ALREADY_IMPORTED)
    raise NotFound(GONE)


def imported(taken: Path) -> None:
    """Remember that the claimed file was imported (for a day), and remove it."""
    taken.with_name(taken.name.removesuffix(IMPORTING) + IMPORTED).touch()
    taken.unlink(missing_ok=True)


def put_back(taken: Path) -> None:
    """Give a claimed file back for its confirmation (the import failed, not the file)."""
    os.rename(taken, taken.with_name(taken.name.removesuffix(IMPORTING)))


def release(taken: Path) -> None:
    """Remove a claimed file that was not imported (refused, or with errors)."""
    taken.unlink(missing_ok=True)


def _valid(token: str | None) -> bool:
    # a page's hidden token may come back empty or missing (a broken or tampered form)
    return bool(token) and token.replace("-", "").replace("_", "").isalnum()


def drop(token: str, user_id: int) -> None:
    """Remove a kept file (after its import, or when the user gives it up)."""
    (_folder() / f"{user_id}-{token}").unlink(missing_ok=True)


def _clean() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for old in _folder().iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
