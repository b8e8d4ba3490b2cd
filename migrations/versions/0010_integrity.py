"""integrity: invitation uses within their maximum; in-person verification; notification actors

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:00:00

"""
import sqlalchemy as sa
from alembic import op

import ideation.db_types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # A code counted past its maximum (the old check-then-increment race) would make the
    # constraint fail: clamp such rows first, the accounts they made stay.
    op.execute('UPDATE invitations SET uses = max_uses WHERE uses > max_uses')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_invitations_uses_within_max'), 'uses <= max_uses'
        )
    # Set by a facilitator who met the person (workshop issue); nothing sets it yet but
    # the seed and the tests.
    op.add_column(
        'users',
        sa.Column('verified_in_person_at', ideation.db_types.UTCDateTime(), nullable=True),
    )
    op.add_column('users', sa.Column('verified_by_id', sa.Integer(), nullable=True))
    # SQLite can only add a foreign key by copying the table (batch mode); the copy drops
    # the e-mail expression index, put back right after.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f('fk_users_verified_by_id_users'), 'users',
            ['verified_by_id'], ['id'], ondelete='SET NULL',
        )
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')
    # Who a notification is about, so its title renders the current name (erasure).
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f('fk_notifications_actor_id_users'), 'users',
            ['actor_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_notifications_actor_id_users'), type_='foreignkey')
        batch_op.drop_column('actor_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('verified_by_id')
        batch_op.drop_column('verified_in_person_at')
    if op.get_bind().dialect.name == 'sqlite':
        # The batch copy dropped the expression index: put it back.
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invitations_uses_within_max'), type_='check')
