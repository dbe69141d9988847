"""history cannot be deleted or truncated; decided approvals cannot be changed or deleted

Revision ID: 5aa838f44e77
Revises: 5d1c2f7e9a40
Create Date: 2026-12-01 22:45:00.000000

"""
from alembic import op

from caseflow.models import append_only


# revision identifiers, used by Alembic.
revision = '5aa838f44e77'
down_revision = '5d1c2f7e9a40'
branch_labels = None
depends_on = None


def upgrade():
    """Replace the trigger refusing UPDATE of history by the full set of guards."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP TRIGGER event_append_only" + (" ON event" if postgresql else ""))
    append_only.install(op.get_bind())


def downgrade():
    """Back to refusing UPDATE of history only, as revision a6be0cfc715b made it."""
    append_only.uninstall(op.get_bind())
    message = "history events are append-only"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION caseflow_event_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER event_append_only BEFORE UPDATE ON event
            FOR EACH ROW EXECUTE FUNCTION caseflow_event_append_only()""")
    else:
        op.execute(f"""
            CREATE TRIGGER event_append_only BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, '{message}'); END""")
