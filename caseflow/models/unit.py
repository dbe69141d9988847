"""Administrative units: a tree of any depth (province, commune, ward, village)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.extensions import db


class Unit(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: province, district, commune, ward, township, village, ...
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    #: rural or urban at commune level and below; null above
    area: Mapped[str | None] = mapped_column(String(10))
    #: materialised path "/1/7/42/": a subtree is a prefix match on an index
    path: Mapped[str] = mapped_column(String(400), index=True, default="")

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    COMMUNE_LEVELS = ("commune", "ward", "township", "village")

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)
