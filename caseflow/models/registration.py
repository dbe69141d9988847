"""One-time keys that registrations were sent with: the same key again finds its household."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.models.base import UTCDateTime, utcnow


class RegistrationKey(db.Model):
    """A registration form's submission key, or an API caller's Idempotency-Key."""

    __tablename__ = "registration_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: keys are the caller's own: another user's same key is another key
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    key: Mapped[str] = mapped_column(String(200))
    #: a digest of the request that used the key, to refuse the key sent with another one
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: the household the key registered (null only inside the registering transaction)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_registration_key_user_key"),)
