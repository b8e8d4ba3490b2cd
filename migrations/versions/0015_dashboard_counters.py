"""dashboard counters: the summary the dashboard reads instead of scanning all activity

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 10:00:00

Three new tables, filled by the queue's refresh job (ideation/dashboard/aggregates.py):
`dashboard_counts` (counts per organisation and residence, challenge or idea status, per
day and all time), `dashboard_active` (each person's last activity per organisation and
overall) and
`dashboard_refreshes` (when the summary was recounted). No foreign keys: the summary is
rewritten whole at each refresh. Until the first refresh the dashboard asks the queue for
one and says its figures are being counted.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('grain', sa.String(length=1), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('challenge_id', sa.Integer(), nullable=True),
        sa.Column('residence_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=True),
        sa.Column('day', sa.Date(), nullable=True),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_counts')),
    )
    op.create_index(
        'ix_dashboard_counts_scope', 'dashboard_counts', ['grain', 'day', 'organisation_id']
    )
    op.create_table(
        'dashboard_active',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('everyone', sa.Boolean(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('last_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_active')),
    )
    op.create_index(
        'ix_dashboard_active_scope',
        'dashboard_active',
        ['everyone', 'organisation_id', 'last_at'],
    )
    op.create_table(
        'dashboard_refreshes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('refreshed_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_refreshes')),
    )
    op.create_index(
        op.f('ix_dashboard_refreshes_refreshed_at'), 'dashboard_refreshes', ['refreshed_at']
    )


def downgrade():
    op.drop_index(op.f('ix_dashboard_refreshes_refreshed_at'), table_name='dashboard_refreshes')
    op.drop_table('dashboard_refreshes')
    op.drop_index('ix_dashboard_active_scope', table_name='dashboard_active')
    op.drop_table('dashboard_active')
    op.drop_index('ix_dashboard_counts_scope', table_name='dashboard_counts')
    op.drop_table('dashboard_counts')
