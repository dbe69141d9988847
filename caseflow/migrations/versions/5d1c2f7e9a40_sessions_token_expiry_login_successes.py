"""server-side sessions, token expiry and revocation, successful logins

Revision ID: 5d1c2f7e9a40
Revises: 813f6a26cce5
Create Date: 2026-12-01 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import caseflow.models.base


# revision identifiers, used by Alembic.
revision = '5d1c2f7e9a40'
down_revision = '813f6a26cce5'
branch_labels = None
depends_on = None

#: tokens issued before expiry existed get the default lifetime from their issue
TOKEN_DAYS = 30


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', caseflow.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', caseflow.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', caseflow.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', caseflow.models.base.UTCDateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"UPDATE api_token SET expires_at = created_at + interval '{TOKEN_DAYS} days'")
    else:
        op.execute(f"UPDATE api_token SET expires_at = datetime(created_at, '+{TOKEN_DAYS} days')")
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=caseflow.models.base.UTCDateTime(timezone=True), nullable=False)

    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('succeeded', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_column('succeeded')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
