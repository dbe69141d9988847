"""unit years (a unit's population count and rate target by year); the reports' summary

Revision ID: b4d2e8f1a7c3
Revises: b4e8d2a61f37
Create Date: 2026-12-02 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import caseflow.models.base


# revision identifiers, used by Alembic.
revision = "b4d2e8f1a7c3"
down_revision = "b4e8d2a61f37"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=True),
        sa.Column("target_points", sa.Float(), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=True),
        sa.Column("updated_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("households IS NULL OR households > 0", name="ck_unit_year_households"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year", name="uq_unit_year"),
    )


    op.create_table(
        "report_standing_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("classification", sa.String(length=20), nullable=True),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_report_standing_day_day", "report_standing_day", ["day", "unit_id"])
    op.create_table(
        "report_summary_built",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("built_through", sa.Date(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("built_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("report_summary_built")
    op.drop_index("ix_report_standing_day_day", table_name="report_standing_day")
    op.drop_table("report_standing_day")
    op.drop_table("unit_year")
