"""second factor: TOTP secret and last used time step on users

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 15:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch copy): a batch rebuild of `users` on SQLite would lose the
    # expression index uq_users_email_lower, which batch mode cannot reflect.
    op.add_column('users', sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.add_column('users', sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')
    if op.get_bind().dialect.name == 'sqlite':
        # The batch copy dropped the expression index: put it back.
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')
