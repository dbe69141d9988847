"""reports that go up: a unit's timers as deadlines (neither a household's nor a round's)

Revision ID: c7e2a9d4f1b8
Revises: b4d2e8f1a7c3
Create Date: 2026-12-02 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7e2a9d4f1b8'
down_revision = 'b4d2e8f1a7c3'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
TWO_OWNERS = "(household_id IS NULL) <> (round_id IS NULL)"
ONE_OWNER = (
    "(CASE WHEN household_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN round_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END) = 1"
)
PARTIAL = (("uq_deadline_one_pending", "household_id"), ("uq_deadline_round_pending", "round_id"))


def _drop_partial():
    # SQLite rebuilds the table in a batch and would lose their WHERE: made again after it
    for name, _ in PARTIAL:
        op.drop_index(name, table_name="deadline")


def _create_partial():
    for name, column in PARTIAL:
        op.create_index(name, "deadline", [column, "key"], unique=True,
                        sqlite_where=PENDING, postgresql_where=PENDING)


def upgrade():
    _drop_partial()
    with op.batch_alter_table("deadline") as batch:
        batch.drop_constraint(op.f("ck_deadline_one_owner"), type_="check")
        batch.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_deadline_unit_id_unit", "unit", ["unit_id"], ["id"])
        batch.create_check_constraint(op.f("ck_deadline_one_owner"), ONE_OWNER)
    _create_partial()
    op.create_index("uq_deadline_unit_pending", "deadline", ["unit_id", "key"], unique=True,
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("ix_deadline_unit", "deadline", ["unit_id", "key"])


def downgrade():
    bind = op.get_bind()
    # the alerts of units' timers, then the timers: a deadline is a household's or a round's
    unit_deadlines = "SELECT id FROM deadline WHERE unit_id IS NOT NULL"
    bind.execute(sa.text("DELETE FROM outbox WHERE alert_id IN "
                         f"(SELECT id FROM alert WHERE deadline_id IN ({unit_deadlines}))"))
    bind.execute(sa.text(f"DELETE FROM alert WHERE deadline_id IN ({unit_deadlines})"))
    bind.execute(sa.text("DELETE FROM deadline WHERE unit_id IS NOT NULL"))
    op.drop_index("ix_deadline_unit", table_name="deadline")
    op.drop_index("uq_deadline_unit_pending", table_name="deadline")
    _drop_partial()
    with op.batch_alter_table("deadline") as batch:
        batch.drop_constraint(op.f("ck_deadline_one_owner"), type_="check")
        batch.drop_constraint("fk_deadline_unit_id_unit", type_="foreignkey")
        batch.drop_column("unit_id")
        batch.create_check_constraint(op.f("ck_deadline_one_owner"), TWO_OWNERS)
    _create_partial()
