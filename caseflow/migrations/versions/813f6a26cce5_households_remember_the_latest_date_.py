"""households remember the latest date their moves recorded

Revision ID: 813f6a26cce5
Revises: a6be0cfc715b
Create Date: 2026-12-01 22:48:08.101170

"""
from datetime import date

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '813f6a26cce5'
down_revision = 'a6be0cfc715b'
branch_labels = None
depends_on = None


#: the payload fields of household_lifecycle v1 that record a date on paper, in their order
DATE_FIELDS = ("started_on", "surveyed_on", "meeting_on", "posted_on", "decided_on")


def upgrade():
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("recorded_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("recorded_field", sa.String(length=40), nullable=True))
    _backfill()


def _backfill():
    """Take each household's latest recorded date from its history."""
    bind = op.get_bind()
    event = sa.table("event", sa.column("household_id"), sa.column("data", sa.JSON()),
                     sa.column("id"))
    latest = {}
    for household_id, data in bind.execute(sa.select(event.c.household_id, event.c.data)
                                           .order_by(event.c.id)):
        for name in DATE_FIELDS:
            value = (data or {}).get(name)
            if isinstance(value, str) and (household_id not in latest
                                           or value >= latest[household_id][1]):
                latest[household_id] = (name, value)
    household = sa.table("household", sa.column("id"), sa.column("recorded_on", sa.Date()),
                         sa.column("recorded_field"))
    for household_id, (name, value) in latest.items():
        bind.execute(household.update().where(household.c.id == household_id).values(
            recorded_on=date.fromisoformat(value), recorded_field=name))


def downgrade():
    with op.batch_alter_table("household") as batch:
        batch.drop_column("recorded_field")
        batch.drop_column("recorded_on")
