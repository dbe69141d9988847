"""what-if: each household's latest survey reclassified under each standard, stored

Revision ID: e4b7c1d9a3f6
Revises: d1a5f3c8b2e7
Create Date: 2026-12-03 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4b7c1d9a3f6'
down_revision = 'd1a5f3c8b2e7'
branch_labels = None
depends_on = None


def upgrade():
    """Make the tables empty: filling them needs the standards' files and the domain's rule
    (a migration does not import the application). Until `caseflow report rebuild` marks a
    standard built, the what-if reads the surveys themselves, and says so."""
    op.create_table(
        "report_whatif",
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("current", sa.String(length=20), nullable=False),
        sa.Column("low", sa.String(length=20), nullable=False),
        sa.Column("high", sa.String(length=20), nullable=False),
        sa.Column("unknown", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"]),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("standard", "household_id"),
    )
    op.create_index("ix_report_whatif_unit", "report_whatif", ["standard", "unit_id"])
    op.create_table(
        "report_whatif_built",
        sa.Column("standard", sa.String(length=40), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("standard"),
    )


def downgrade():
    op.drop_table("report_whatif_built")
    op.drop_index("ix_report_whatif_unit", table_name="report_whatif")
    op.drop_table("report_whatif")
