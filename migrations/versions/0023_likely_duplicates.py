"""likely duplicates: the closest look-alike of an idea when it was sent

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 01:45:00

A plain nullable column (a moderator's hint, no foreign key), added without rebuilding
the ideas table, so SQLite keeps its full-text triggers.
"""
from alembic import op
import sqlalchemy as sa

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('ideas', sa.Column('likely_duplicate_of_id', sa.Integer(), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops a column in place (3.35+), which keeps the full-text triggers.
        op.execute('ALTER TABLE ideas DROP COLUMN likely_duplicate_of_id')
    else:
        op.drop_column('ideas', 'likely_duplicate_of_id')
