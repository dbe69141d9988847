"""reports of past days: the whiles households stood listed, derived from the history; the
relapses and graduations indexed apart

Revision ID: d1a5f3c8b2e7
Revises: c7e2a9d4f1b8
Create Date: 2026-12-02 20:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd1a5f3c8b2e7'
down_revision = 'c7e2a9d4f1b8'
branch_labels = None
depends_on = None

OPEN = sa.text("until IS NULL")
FLOW = sa.text("trigger IN ('relapse', 'graduate')")
# the statement of services/listed_spans.rebuild, written out (a migration does not import the
# application): a span starts at a household's first event or at one whose class differs from
# the event before it, and lasts until the next such event; the listed ones are kept
FILL = """
INSERT INTO report_listed_span (household_id, unit_id, classification, since, until)
SELECT household_id, unit_id, classification, at, next_at FROM (
    SELECT household_id, unit_id, classification, at,
        lead(at) OVER (PARTITION BY household_id ORDER BY id) AS next_at
    FROM (
        SELECT id, household_id, unit_id, classification, at,
            lag(classification) OVER (PARTITION BY household_id ORDER BY id) AS was,
            row_number() OVER (PARTITION BY household_id ORDER BY id) AS n
        FROM event
    ) AS ordered
    WHERE n = 1 OR classification {distinct} was
) AS changed
WHERE classification IN ('poor', 'near_poor')
"""


def upgrade():
    op.create_table(
        "report_listed_span",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("classification", sa.String(length=20), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_report_listed_span_open", "report_listed_span", ["household_id"],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_event_flow", "event", ["at"], sqlite_where=FLOW, postgresql_where=FLOW)
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute(FILL.format(distinct="IS NOT" if sqlite else "IS DISTINCT FROM"))


def downgrade():
    op.drop_index("ix_event_flow", table_name="event")
    op.drop_index("uq_report_listed_span_open", table_name="report_listed_span")
    op.drop_table("report_listed_span")
