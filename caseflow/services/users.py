"""Users, passwords and API tokens (stored hashed, shown once); sessions ended on the server."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import generate_password_hash

from caseflow import clock
from caseflow.domain import passwords
from caseflow.domain.errors import N_, Conflict, InvalidInput, NotFound
from caseflow.extensions import db
from caseflow.models import ApiToken, User, UserSession
from caseflow.models.user import ROLES
from caseflow.services import transaction
from caseflow.services.access import unit_by_code


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    username: str,
    role: str,
    unit_code: str | None = None,
    password: str | None = None,
    full_name: str = "",
    email: str | None = None,
) -> tuple[User, str]:
    """Create a user; return it and a new API token (the only time it is shown)."""
    if role not in ROLES:
        raise InvalidInput.on("role", N_("Unknown role '%(role)s'."), role=role)
    if role != "admin" and not unit_code:
        raise InvalidInput(
            N_("A user with the role %(role)s needs a unit; only an admin may have none."),
            params={"role": role},
            fields={"unit": ["Required for every role but admin."]},
        )
    password_hash = (
        checked_hash(password, username)
        if password is not None
        else _hash(secrets.token_urlsafe(16))
    )
    with transaction():
        if db.session.scalar(db.select(User.id).filter_by(username=username)) is not None:
            raise Conflict(N_("User %(name)s exists already."), params={"name": username})
        unit = unit_by_code(unit_code, field="unit") if unit_code else None
        user = User(
            username=username,
            role=role,
            unit=unit,
            full_name=full_name,
            email=email,
            password_hash=password_hash,
        )
        db.session.add(user)
        db.session.flush()
        token = new_token(user)
    return user, token


def listing() -> list[User]:
    """Return every user, by name."""
    return list(db.session.scalars(db.select(User).order_by(User.username)))


def set_password(username: str, password: str) -> int:
    """Give a user a new password and end their sessions; return how many were ended."""
    with transaction():
        user = _named(username)
        user.password_hash = checked_hash(password, username)
        return end_sessions(user.id)


def deactivate(username: str) -> tuple[int, int]:
    """Stop a user from logging in; end their sessions and revoke their tokens (counts)."""
    with transaction():
        user = _named(username)
        user.active = False
        return end_sessions(user.id), _revoke_tokens(user.id)


def revoke_tokens(username: str) -> int:
    """Revoke every API token of a user; return how many were live."""
    with transaction():
        return _revoke_tokens(_named(username).id)


#: user_for_token's statement, built once (it runs first in every API request)
_BY_TOKEN = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > bindparam("now"),
        User.active.is_(True),
    )
    .options(joinedload(User.unit))
)


def user_for_token(token: str) -> User | None:
    """Return the active user holding `token` while it is neither expired nor revoked.

    The user and its unit come detached from the session: they are the caller of this one
    request, read at its start, and the request's commits do not expire them (reading them
    again after each commit was a query per write). Nothing is cached across requests.
    """
    # one query, the user's unit with it (every scope check reads it): a request's first
    # and most frequent statement, so nothing is left to load lazily
    user = db.session.scalar(_BY_TOKEN, {"token_hash": hash_token(token), "now": clock.now()})
    if user is not None:
        if user.unit is not None:
            db.session.expunge(user.unit)
        db.session.expunge(user)
    return user


def revoke_token(token: str) -> None:
    """Revoke one API token (the caller's own)."""
    with transaction():
        row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_token(token)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = clock.now()


def checked_hash(password: str, username: str) -> str:
    """Return the hash of `password`, refused if it is too weak (domain.passwords)."""
    passwords.check(password, username)
    return _hash(password)


def new_token(user: User) -> str:
    """Add a new API token of `user` (inside a transaction) and return it."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    days = timedelta(days=current_app.config["CASEFLOW_TOKEN_DAYS"])
    db.session.add(
        ApiToken(
            user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=now + days
        )
    )
    return token


def end_sessions(user_id: int) -> int:
    """End every live browser session of a user (inside a transaction); return how many."""
    ended = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=clock.now())
    )
    return ended.rowcount


def _revoke_tokens(user_id: int) -> int:
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return revoked.rowcount


def _named(username: str) -> User:
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise NotFound(N_("There is no user %(name)s."), params={"name": username})
    return user


def _hash(password: str) -> str:
    return generate_password_hash(password, current_app.config["CASEFLOW_PASSWORD_HASH"])
