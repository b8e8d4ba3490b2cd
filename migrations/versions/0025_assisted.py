"""assisted accounts, entries made on someone's behalf at a workshop

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 07:30:00

One new table (assisted_accounts: consent, phone, the claim code's hash) and plain
nullable columns on ideas, comments and supports (who entered it, at which workshop),
added without rebuilding a table, so SQLite keeps the full-text triggers. The users
table is not touched: an assisted account's e-mail is an undeliverable placeholder.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

ENTRY_TABLES = ('ideas', 'comments', 'supports')


def upgrade():
    op.create_table(
        'assisted_accounts',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=False),
        sa.Column('consent_wording', sa.Text(), nullable=False),
        sa.Column('consent_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('claim_hash', sa.String(length=64), nullable=True),
        sa.Column('claim_issued_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('claimed_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_assisted_accounts_user_id_users'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'],
            name=op.f('fk_assisted_accounts_created_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['workshop_id'], ['workshops.id'],
            name=op.f('fk_assisted_accounts_workshop_id_workshops'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_assisted_accounts')),
        sa.UniqueConstraint('claim_hash', name=op.f('uq_assisted_accounts_claim_hash')),
    )
    for table in ENTRY_TABLES:
        op.add_column(table, sa.Column('entered_by_id', sa.Integer(), nullable=True))
        op.add_column(table, sa.Column('workshop_id', sa.Integer(), nullable=True))
    op.create_index('ix_ideas_workshop_id', 'ideas', ['workshop_id'])


def downgrade():
    op.drop_index('ix_ideas_workshop_id', table_name='ideas')
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table in ENTRY_TABLES:
        for column in ('workshop_id', 'entered_by_id'):
            if sqlite:
                # In place (SQLite 3.35+): the full-text triggers stay.
                op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
            else:
                op.drop_column(table, column)
    op.drop_table('assisted_accounts')
