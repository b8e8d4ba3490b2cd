"""privacy: when an inactive account was warned before its anonymisation

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import ideation.db_types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): a batch rebuild of `users` on SQLite would lose the
    # expression index uq_users_email_lower, which batch mode cannot reflect.
    op.add_column('users', sa.Column('inactivity_warned_at', ideation.db_types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('inactivity_warned_at')
    if op.get_bind().dialect.name == 'sqlite':
        # The batch copy dropped the expression index: put it back.
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')
