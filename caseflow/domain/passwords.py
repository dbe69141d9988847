"""What a password must be: long enough, without the user name, not one of the most common."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from caseflow.domain.errors import N_, InvalidInput
from caseflow.domain.text import fold

MIN_LENGTH = 10
#: a shorter user name ("an") is too likely to occur by chance to be refused inside a password
MIN_NAME_IN_PASSWORD = 3


def check(password: str, username: str) -> None:
    """Refuse a weak password, saying why."""
    if len(password) < MIN_LENGTH:
        _refuse(N_("A password needs at least %(count)s characters."), count=MIN_LENGTH)
    bare, name = _bare(password), _bare(username)
    if len(name) >= MIN_NAME_IN_PASSWORD and (name in bare or _letters(name) in _letters(bare)):
        _refuse(N_("A password must not contain the user name."))
    if bare in common() or _letters(bare) in common():
        _refuse(N_("This password is one of the most common ones; choose another."))


@cache
def common() -> frozenset[str]:
    """Return the bundled list of common passwords, folded as check() compares them."""
    text = files("caseflow").joinpath("data", "common_passwords.txt").read_text("utf-8")
    return frozenset(
        _bare(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _bare(text: str) -> str:
    """Lower case, no accents, no spaces: "Mật Khẩu 123" -> "matkhau123"."""
    return fold(text).replace(" ", "")


def _letters(text: str) -> str:
    """Only letters and digits: "mat-khau.123" -> "matkhau123"."""
    return "".join(c for c in text if c.isalnum())


def _refuse(message: str, **params) -> None:
    shown = message % params if params else message
    raise InvalidInput(message, params=params, fields={"password": [shown]})
