"""household search index: folded names, codes, phones and national IDs, by trigrams

PostgreSQL: the table household_search with a pg_trgm GIN index; SQLite: an FTS5 table of
the same name with the trigram tokenizer (rowid = household id). Filled for existing rows.

Revision ID: b4e8d2a61f37
Revises: 7c3f1a9e2b64
Create Date: 2026-12-02 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from caseflow.domain.search import document

# revision identifiers, used by Alembic.
revision = "b4e8d2a61f37"
down_revision = "7c3f1a9e2b64"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE household_search USING fts5(text, tokenize='trigram')")
        key = "rowid"
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_table(
            "household_search",
            sa.Column("household_id", sa.Integer(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(
                ["household_id"],
                ["household.id"],
                name=op.f("fk_household_search_household_id_household"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("household_id", name=op.f("pk_household_search")),
        )
        op.execute(
            "CREATE INDEX ix_household_search_text_trgm ON household_search "
            "USING gin (text gin_trgm_ops)"
        )
        key = "household_id"
    _fill(bind, key)


def _fill(bind, key: str) -> None:
    """Index the households already there, a batch at a time (memory bounded by the batch)."""
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, head_name, code, phone, national_id FROM household "
                "WHERE id > :last ORDER BY id LIMIT :size"
            ),
            {"last": last, "size": BATCH},
        ).all()
        if not rows:
            return
        first, last = rows[0].id, rows[-1].id
        names: dict[int, list[str]] = {}
        for household_id, name in bind.execute(
            sa.text(
                "SELECT household_id, full_name FROM member "
                "WHERE household_id BETWEEN :first AND :last ORDER BY id"
            ),
            {"first": first, "last": last},
        ):
            names.setdefault(household_id, []).append(name)
        bind.execute(
            sa.text(f"INSERT INTO household_search ({key}, text) VALUES (:id, :text)"),
            [{"id": r.id, "text": document(*r[1:], names.get(r.id, ()))} for r in rows],
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE household_search")
    else:
        op.drop_table("household_search")
