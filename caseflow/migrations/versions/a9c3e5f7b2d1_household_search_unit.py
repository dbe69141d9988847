"""the search index holds each household's unit, so that a caller's units are searched there

PostgreSQL: household_search.unit_id (filled from the households, then NOT NULL, a foreign
key to unit) and a btree index on (unit_id, household_id). SQLite: FTS5 cannot add a column,
so household_search is made again with an UNINDEXED unit_id and its rows copied in.

Revision ID: a9c3e5f7b2d1
Revises: f2c8a6d4e1b9
Create Date: 2026-12-07 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9c3e5f7b2d1"
down_revision = "f2c8a6d4e1b9"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _remake_fts5("text, unit_id UNINDEXED", "rowid, text, unit_id", "s.rowid, s.text, h.unit_id")
        return
    op.add_column("household_search", sa.Column("unit_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE household_search s SET unit_id = h.unit_id FROM household h "
        "WHERE h.id = s.household_id"
    )
    op.alter_column("household_search", "unit_id", nullable=False)
    op.create_foreign_key(
        op.f("fk_household_search_unit_id_unit"), "household_search", "unit", ["unit_id"], ["id"]
    )
    op.create_index("ix_household_search_unit", "household_search", ["unit_id", "household_id"])


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _remake_fts5("text", "rowid, text", "s.rowid, s.text")
        return
    op.drop_index("ix_household_search_unit", table_name="household_search")
    op.drop_constraint(
        op.f("fk_household_search_unit_id_unit"), "household_search", type_="foreignkey"
    )
    op.drop_column("household_search", "unit_id")


def _remake_fts5(columns: str, names: str, values: str) -> None:
    """Make household_search again with `columns`, its rows copied in: `values` of `s` (the
    old table) joined to its household `h`, into the columns `names`."""
    op.execute(
        f"CREATE VIRTUAL TABLE household_search_new USING fts5({columns}, tokenize='trigram')"
    )
    op.execute(
        f"INSERT INTO household_search_new ({names}) SELECT {values} "
        "FROM household_search s JOIN household h ON h.id = s.rowid"
    )
    op.execute("DROP TABLE household_search")
    op.execute("ALTER TABLE household_search_new RENAME TO household_search")
