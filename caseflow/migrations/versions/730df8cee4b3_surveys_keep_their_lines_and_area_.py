"""surveys keep their lines and area; explanations are rendered when shown

Revision ID: 730df8cee4b3
Revises: 5e1a7c2d9b40
Create Date: 2026-12-01 23:45:55.688197

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '730df8cee4b3'
down_revision = '5e1a7c2d9b40'
branch_labels = None
depends_on = None


def upgrade():
    """Store what the explanation is made of; the words are rendered in the reader's language."""
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("middle_line", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("area", sa.String(length=10), nullable=True))
    op.execute("UPDATE assessment SET area = (SELECT area FROM household "
               "WHERE household.id = assessment.household_id)")
    with op.batch_alter_table("assessment") as batch:
        batch.drop_column("explanation_en")
        batch.drop_column("explanation")


def downgrade():
    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("explanation", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("explanation_en", sa.Text(), nullable=True))
        batch.drop_column("area")
        batch.drop_column("middle_line")
