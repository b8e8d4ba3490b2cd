"""dashboard participants: the participation rates' distinct people counted by the
refresh job (two columns on the summary table)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 12:45:00

Plain ADD COLUMNs, NULL for the existing rows, on a table the refresh job rewrites whole
(no backfill: the next refresh, within five minutes, fills the new rows).
"""
from alembic import op
import sqlalchemy as sa

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('dashboard_counts', sa.Column('edition_id', sa.Integer(), nullable=True))
    op.add_column('dashboard_counts', sa.Column('group_id', sa.Integer(), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops a column in place (3.35+): the table is kept.
        op.execute('ALTER TABLE dashboard_counts DROP COLUMN group_id')
        op.execute('ALTER TABLE dashboard_counts DROP COLUMN edition_id')
    else:
        op.drop_column('dashboard_counts', 'group_id')
        op.drop_column('dashboard_counts', 'edition_id')
