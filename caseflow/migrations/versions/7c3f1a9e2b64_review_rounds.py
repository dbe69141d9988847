"""review rounds: rounds, their households and village meetings; round timers as deadlines

Revision ID: 7c3f1a9e2b64
Revises: 730df8cee4b3
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import caseflow.models.base


# revision identifiers, used by Alembic.
revision = '7c3f1a9e2b64'
down_revision = '730df8cee4b3'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    op.create_table(
        "review_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=True),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.Column("closed_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("undecided", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_review_round_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_round")),
    )
    op.create_index("uq_review_round_one_open", "review_round", ["unit_id", "kind"], unique=True,
                    sqlite_where=sa.text("status = 'open'"),
                    postgresql_where=sa.text("status = 'open'"))
    op.create_index("uq_review_round_year", "review_round", ["unit_id", "kind", "year"],
                    unique=True, sqlite_where=sa.text("month IS NULL"),
                    postgresql_where=sa.text("month IS NULL"))
    op.create_index("uq_review_round_month", "review_round", ["unit_id", "kind", "year", "month"],
                    unique=True, sqlite_where=sa.text("month IS NOT NULL"),
                    postgresql_where=sa.text("month IS NOT NULL"))
    op.create_table(
        "round_household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=2), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since_event_id", sa.Integer(), nullable=False),
        sa.Column("classification_before", sa.String(length=20), nullable=True),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("added_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_round_household_household_id_household")),
        sa.ForeignKeyConstraint(["round_id"], ["review_round.id"],
                                name=op.f("fk_round_household_round_id_review_round")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_household")),
    )
    op.create_index("uq_round_household", "round_household", ["round_id", "household_id"],
                    unique=True)
    op.create_index("uq_round_household_active", "round_household", ["household_id"],
                    unique=True, sqlite_where=sa.text("active"), postgresql_where=sa.text("active"))
    op.create_table(
        "round_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("village", sa.String(length=200), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("chaired_by", sa.String(length=200), nullable=True),
        sa.Column("secretary", sa.String(length=200), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["review_round.id"],
                                name=op.f("fk_round_meeting_round_id_review_round")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_meeting")),
    )
    op.create_index("ix_round_meeting_round_id", "round_meeting", ["round_id"])

    # a round's timers are deadlines without a household; SQLite rebuilds the table, so the
    # partial index is dropped first and made again after (a rebuild would lose its WHERE)
    op.drop_index("uq_deadline_one_pending", table_name="deadline")
    with op.batch_alter_table("deadline") as batch:
        batch.alter_column("household_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("round_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_deadline_round_id_review_round", "review_round",
                                 ["round_id"], ["id"])
        batch.create_check_constraint(op.f("ck_deadline_one_owner"),
                                       "(household_id IS NULL) <> (round_id IS NULL)")
    op.create_index("uq_deadline_one_pending", "deadline", ["household_id", "key"], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("uq_deadline_round_pending", "deadline", ["round_id", "key"], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)


def downgrade():
    bind = op.get_bind()
    # the alerts of round timers, then the timers: a deadline needs a household again
    round_deadlines = "SELECT id FROM deadline WHERE round_id IS NOT NULL"
    bind.execute(sa.text(f"DELETE FROM outbox WHERE alert_id IN "
                         f"(SELECT id FROM alert WHERE deadline_id IN ({round_deadlines}))"))
    bind.execute(sa.text(f"DELETE FROM alert WHERE deadline_id IN ({round_deadlines})"))
    bind.execute(sa.text("DELETE FROM deadline WHERE round_id IS NOT NULL"))
    op.drop_index("uq_deadline_round_pending", table_name="deadline")
    op.drop_index("uq_deadline_one_pending", table_name="deadline")
    with op.batch_alter_table("deadline") as batch:
        batch.drop_constraint(op.f("ck_deadline_one_owner"), type_="check")
        batch.drop_constraint("fk_deadline_round_id_review_round", type_="foreignkey")
        batch.drop_column("round_id")
        batch.alter_column("household_id", existing_type=sa.Integer(), nullable=False)
    op.create_index("uq_deadline_one_pending", "deadline", ["household_id", "key"], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.drop_index("ix_round_meeting_round_id", table_name="round_meeting")
    op.drop_table("round_meeting")
    op.drop_index("uq_round_household_active", table_name="round_household")
    op.drop_index("uq_round_household", table_name="round_household")
    op.drop_table("round_household")
    op.drop_index("uq_review_round_month", table_name="review_round")
    op.drop_index("uq_review_round_year", table_name="review_round")
    op.drop_index("uq_review_round_one_open", table_name="review_round")
    op.drop_table("review_round")
