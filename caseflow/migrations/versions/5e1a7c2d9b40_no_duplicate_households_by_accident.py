"""no duplicate households by accident: one household per national ID, one-time registration keys

Revision ID: 5e1a7c2d9b40
Revises: 0ae31fb1efef
Create Date: 2026-12-02 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import caseflow.models.base


# revision identifiers, used by Alembic.
revision = '5e1a7c2d9b40'
down_revision = '0ae31fb1efef'
branch_labels = None
depends_on = None


def upgrade():
    _refuse_shared_national_ids()
    op.drop_index("ix_household_national_id", table_name="household")
    op.create_index("uq_household_national_id", "household", ["national_id"], unique=True)
    op.create_table(
        "registration_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("created_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_registration_key_household_id_household")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_registration_key_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_key")),
        sa.UniqueConstraint("user_id", "key", name="uq_registration_key_user_key"),
    )
    op.create_index("ix_registration_key_household_id", "registration_key", ["household_id"])


def _refuse_shared_national_ids():
    """Blank numbers are no numbers; a number two households share must be settled first."""
    household = sa.table("household", sa.column("id"), sa.column("national_id"))
    bind = op.get_bind()
    bind.execute(household.update().where(sa.func.trim(household.c.national_id) == "")
                 .values(national_id=None))
    shared = bind.execute(
        sa.select(household.c.national_id, sa.func.count())
        .where(household.c.national_id.is_not(None))
        .group_by(household.c.national_id).having(sa.func.count() > 1)).all()
    if shared:
        listed = ", ".join(f"{number} ({count} households)" for number, count in shared[:20])
        raise RuntimeError(
            "Some households share a national ID number, which may now belong to one household "
            f"only: {listed}. Correct or clear the wrong numbers, then upgrade again.")


def downgrade():
    op.drop_index("ix_registration_key_household_id", table_name="registration_key")
    op.drop_table("registration_key")
    op.drop_index("uq_household_national_id", table_name="household")
    op.create_index("ix_household_national_id", "household", ["national_id"], unique=False)
