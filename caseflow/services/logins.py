"""Logging in: the password checked, failures slowed down (domain.throttle), and what a login
opens: a browser session kept on the server, or an API token."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete
from werkzeug.security import check_password_hash

from caseflow import clock
from caseflow.domain import throttle
from caseflow.domain.errors import N_, DomainError, InvalidInput
from caseflow.extensions import db
from caseflow.models import LoginAttempt, User, UserSession
from caseflow.services import transaction
from caseflow.services.users import end_sessions, hash_token, new_token


class LoginRefused(DomainError):
    code = "unauthorized"
    status = 401


class LoginThrottled(DomainError):
    """Too many failures lately: the attempt was not even checked; Retry-After says when."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, wait: int):
        super().__init__(message, params={"seconds": wait})
        self.headers = {"Retry-After": str(wait)}


def log_in(username: str, password: str, address: str = "-") -> tuple[User, str]:
    """Check the password and open a browser session; return the user and the session's token."""
    user = _authenticated(username, password, address)
    with transaction():
        token = _new_session(user)
    return user, token


def issue_token(username: str, password: str, address: str = "-") -> str:
    """Check the password and return a new API token."""
    user = _authenticated(username, password, address)
    with transaction():
        token = new_token(user)
    return token


def user_for_session(user_id: int, token: str | None) -> User | None:
    """Return the active user whose live session holds `token`, or None."""
    if not token:
        return None
    row = db.session.scalar(db.select(UserSession).filter_by(token_hash=hash_token(token)))
    if row is None or row.ended_at is not None or row.user_id != user_id:
        return None
    return row.user if row.user.active else None


def log_out(token: str | None) -> None:
    """End the browser session holding `token` (every copy of its cookie stops working)."""
    if not token:
        return
    with transaction():
        row = db.session.scalar(db.select(UserSession).filter_by(token_hash=hash_token(token)))
        if row is not None and row.ended_at is None:
            row.ended_at = clock.now()


def change_own_password(user_id: int, current: str, new: str) -> str:
    """Set a user's new password if `current` is right; end every session of theirs, open a
    new one for the browser that asked, and return its token."""
    from caseflow.services.users import checked_hash

    user = db.session.get(User, user_id)
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput(
            N_("The current password is wrong."),
            fields={"current": ["The current password is wrong."]},
        )
    with transaction():
        user.password_hash = checked_hash(new, user.username)
        end_sessions(user.id)
        token = _new_session(user)
    return token


def _authenticated(username: str, password: str, address: str) -> User:
    """Return the user if the password is right, noting the success for its pair; record a
    failure (committed) and refuse otherwise. A pair or address that must wait is refused
    before the password is looked at."""
    username, address, now = username[:80], address[:64], clock.now()
    _refuse_while_waiting(username, address, now)
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        with transaction():
            _forget_old_failures(now)
            db.session.add(LoginAttempt(username=username, address=address, at=now))
        raise LoginRefused(N_("Wrong user name or password."))
    pair = (LoginAttempt.username == username) & (LoginAttempt.address == address)
    db.session.execute(delete(LoginAttempt).where(pair))
    db.session.add(LoginAttempt(username=username, address=address, at=now, succeeded=True))
    return user


def _refuse_while_waiting(username: str, address: str, now: datetime) -> None:
    failures, last = _pair_failures(username, address, now)
    wait = throttle.left(last, throttle.pair_wait(failures), now)
    if wait:
        raise LoginThrottled(
            N_("Too many failed logins; wait %(seconds)s seconds and try again."),
            throttle.seconds(wait),
        )
    if _known(username, address, now):
        return
    names, last = _address_failures(address, now)
    wait = throttle.left(last, throttle.address_wait(names), now)
    if wait:
        raise LoginThrottled(
            N_("Too many failed logins from this address; wait %(seconds)s seconds and try again."),
            throttle.seconds(wait),
        )


def _pair_failures(username: str, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Failures of the pair since its last success (within PAIR_WINDOW), and the last one."""
    found = db.session.execute(
        db.select(db.func.count(LoginAttempt.id), db.func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= now - throttle.PAIR_WINDOW,
        )
    ).one()
    return found[0], found[1]


def _known(username: str, address: str, now: datetime) -> bool:
    """Tell whether the pair logged in successfully lately."""
    return (
        db.session.scalar(
            db.select(LoginAttempt.id)
            .where(
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.at >= now - throttle.KNOWN_FOR,
            )
            .limit(1)
        )
        is not None
    )


def _address_failures(address: str, now: datetime) -> tuple[int, datetime | None]:
    """Distinct user names failed from the address within SPRAY_WINDOW, and the last failure."""
    found = db.session.execute(
        db.select(
            db.func.count(db.distinct(LoginAttempt.username)), db.func.max(LoginAttempt.at)
        ).where(
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= now - throttle.SPRAY_WINDOW,
        )
    ).one()
    return found[0], found[1]


def _forget_old_failures(now: datetime) -> None:
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at < now - throttle.PAIR_WINDOW
        )
    )


def _new_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(user_id=user.id, token_hash=hash_token(token), created_at=clock.now())
    )
    return token
