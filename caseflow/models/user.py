"""Users, their role and unit scope, and their API tokens (stored hashed)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow
from caseflow.models.unit import Unit

ROLES = ("case_worker", "supervisor", "officer", "admin")
#: a path prefix no unit has (paths are "/1/7/")
NO_UNITS = "#none"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    #: case_worker, supervisor, officer or admin
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def scope_path(self) -> str:
        """The path prefix of the units this user may see ("" for the whole country).

        Only an admin without a unit sees the whole country; any other role without one (a row
        made before a unit was required) sees nothing rather than everything.
        """
        if self.unit is not None:
            return self.unit.path
        return "" if self.role == "admin" else NO_UNITS


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: sha256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: refused from this moment on (CASEFLOW_TOKEN_DAYS after it was issued)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: set when its holder, an admin or a deactivation revoked it
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A login in a browser. The signed Flask session carries a random token whose hash is
    here; logging out, a new password or deactivation ends the row, and with it every copy of
    the cookie."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: sha256 of the token kept in the Flask session
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """A login attempt from an address: failures slow that (user name, address) pair down, and
    an address trying many names; a success marks the pair as known."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
