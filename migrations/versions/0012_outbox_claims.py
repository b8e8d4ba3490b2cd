"""outbox claims: which sender took an e-mail and when, so concurrent senders never send twice

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 10:00:00

"""
import sqlalchemy as sa
from alembic import op

import ideation.db_types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN on both databases: nullable columns need no table copy on SQLite.
    op.add_column('emails', sa.Column('claimed_by', sa.String(length=64), nullable=True))
    op.add_column('emails', sa.Column('claimed_at', ideation.db_types.UTCDateTime(), nullable=True))


def downgrade():
    # `emails` has no expression index, so the batch copy on SQLite loses nothing.
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
