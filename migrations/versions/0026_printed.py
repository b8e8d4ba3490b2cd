"""printed material and verified households: dwellings, their single-use codes, the
household mark on accounts, the "foyers vérifiés" vote setting

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 07:40:00

New tables, and plain ADD COLUMNs (nothing rebuilt: SQLite keeps the users table and
its triggers). Short links need no column: they are derived from ids
(ideation/domain/codes.py). A dwelling's accounts are a counter moved by one conditional
UPDATE (ideation/orgs/services.py), CHECKed non-negative; the limit (DWELLING_MAX_ACCOUNTS)
is configuration, so the UPDATE's condition holds it.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dwellings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('residence_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('accounts_count', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint('accounts_count >= 0', name=op.f('ck_dwellings_accounts_not_negative')),
        sa.ForeignKeyConstraint(
            ['residence_id'], ['residences.id'],
            name=op.f('fk_dwellings_residence_id_residences'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dwellings')),
        sa.UniqueConstraint(
            'residence_id', 'reference', name=op.f('uq_dwellings_residence_id_reference')
        ),
    )
    op.create_table(
        'dwelling_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dwelling_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('used_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('used_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['dwelling_id'], ['dwellings.id'],
            name=op.f('fk_dwelling_codes_dwelling_id_dwellings'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'],
            name=op.f('fk_dwelling_codes_created_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['used_by_id'], ['users.id'],
            name=op.f('fk_dwelling_codes_used_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dwelling_codes')),
        sa.UniqueConstraint('code', name=op.f('uq_dwelling_codes_code')),
    )
    op.create_index('ix_dwelling_codes_dwelling_id', 'dwelling_codes', ['dwelling_id'])
    op.create_index('ix_dwelling_codes_used_by_id', 'dwelling_codes', ['used_by_id'])
    op.add_column(
        'users',
        sa.Column('household_verified_at', ideation.db_types.UTCDateTime(), nullable=True),
    )
    op.add_column(
        'challenges',
        sa.Column(
            'vote_verified_only', sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops a column in place (3.35+), which keeps the tables and their triggers.
        op.execute('ALTER TABLE challenges DROP COLUMN vote_verified_only')
        op.execute('ALTER TABLE users DROP COLUMN household_verified_at')
    else:
        op.drop_column('challenges', 'vote_verified_only')
        op.drop_column('users', 'household_verified_at')
    op.drop_table('dwelling_codes')
    op.drop_table('dwellings')
