"""site pages: the accessibility statement, help, legal notice and about page as rewritten

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 01:10:00

One row per page and language, written only when an administrator saves the page;
until then the page shows the text shipped in ideation/pages/content.py.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_pages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('body_source', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('updated_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['users.id'],
            name=op.f('fk_site_pages_updated_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_pages')),
        sa.UniqueConstraint('kind', 'locale', name='uq_site_pages_kind_locale'),
    )


def downgrade():
    op.drop_table('site_pages')
