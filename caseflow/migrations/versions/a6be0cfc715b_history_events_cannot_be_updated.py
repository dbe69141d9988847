"""history events cannot be updated

Revision ID: a6be0cfc715b
Revises: 38495e5505bb
Create Date: 2026-11-26 05:33:23.555905

"""
from alembic import op
import sqlalchemy as sa

import caseflow.models.base


# revision identifiers, used by Alembic.
revision = 'a6be0cfc715b'
down_revision = '38495e5505bb'
branch_labels = None
depends_on = None


MESSAGE = "history events are append-only"


def upgrade():
    """Refuse UPDATE of a history row in the database itself, whatever code sends it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION caseflow_event_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER event_append_only BEFORE UPDATE ON event
            FOR EACH ROW EXECUTE FUNCTION caseflow_event_append_only()""")
    else:
        op.execute(f"""
            CREATE TRIGGER event_append_only BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")


def downgrade():
    op.execute("DROP TRIGGER event_append_only" + (
        " ON event" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION caseflow_event_append_only()")
