"""Users, passwords and API tokens (stored hashed, shown once)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from caseflow import clock
from caseflow.domain.errors import N_, Conflict, DomainError, InvalidInput
from caseflow.extensions import db
from caseflow.models import ApiToken, LoginAttempt, User
from caseflow.models.user import ROLES
from caseflow.services import transaction
from caseflow.services.access import unit_by_code

MAX_FAILURES = 5
#: a commune office shares one address: one clumsy colleague must not lock out the others,
#: but guessing many names from one address is stopped too
MAX_FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = timedelta(minutes=15)


class LoginRefused(DomainError):
    code = "unauthorized"
    status = 401


class LoginThrottled(DomainError):
    code = "too_many_requests"
    status = 429


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
        raise InvalidInput(
            N_("Unknown role '%(role)s'."),
            params={"role": role},
            fields={"role": [f"One of: {', '.join(ROLES)}."]},
        )
    if role != "admin" and not unit_code:
        raise InvalidInput(
            N_("A user with the role %(role)s needs a unit; only an admin may have none."),
            params={"role": role},
            fields={"unit": ["Required for every role but admin."]},
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
            password_hash=_hash(password or secrets.token_urlsafe(16)),
        )
        db.session.add(user)
        db.session.flush()
        token = _new_token(user)
    return user, token


def authenticate(username: str, password: str, address: str = "-") -> User:
    """Return the user if the password is right; throttle repeated failures."""
    since = clock.now() - THROTTLE_WINDOW
    recent = db.select(db.func.count(LoginAttempt.id)).where(LoginAttempt.at >= since)
    by_name = db.session.scalar(recent.where(LoginAttempt.username == username))
    by_address = db.session.scalar(recent.where(LoginAttempt.address == address))
    if by_name >= MAX_FAILURES or by_address >= MAX_FAILURES_PER_ADDRESS:
        raise LoginThrottled(N_("Too many failed logins; wait 15 minutes and try again."))
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        with transaction():
            db.session.add(LoginAttempt(username=username, address=address, at=clock.now()))
        raise LoginRefused(N_("Wrong user name or password."))
    return user


def issue_token(username: str, password: str, address: str = "-") -> str:
    """Check the password and return a new API token."""
    user = authenticate(username, password, address)
    with transaction():
        token = _new_token(user)
    return token


def user_for_token(token: str) -> User | None:
    """Return the active user holding `token`, or None."""
    row = db.session.scalar(db.select(ApiToken).filter_by(token_hash=hash_token(token)))
    return row.user if row is not None and row.user.active else None


def set_password(user_id: int, password: str) -> None:
    with transaction():
        db.session.get(User, user_id).password_hash = _hash(password)


def _hash(password: str) -> str:
    return generate_password_hash(password, current_app.config["CASEFLOW_PASSWORD_HASH"])


def _new_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=clock.now()))
    return token
