"""photos: one table for the photos of ideas and pilot updates (and later workshop minutes)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:00:00

A photo names its owner by kind and id (no foreign key: owners live in several tables),
its uploader (erasure deletes the person's photos), its alternative text, its size, the
smaller widths the resize job made, and whether a moderator hid it. The files live in
the store of ideation/core/storage.py under photos/<token>/.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('owner_kind', sa.Enum('idea', 'pilot_update', name='photoowner', native_enum=False, length=20), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('uploader_id', sa.Integer(), nullable=True),
        sa.Column('alt_text', sa.String(length=250), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('variant_widths', sa.String(length=60), nullable=False),
        sa.Column('hidden_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('hidden_reason', sa.Text(), nullable=True),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_photos_size_positive')),
        sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_photos_uploader_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
        sa.UniqueConstraint('token', name=op.f('uq_photos_token')),
    )
    op.create_index('ix_photos_owner', 'photos', ['owner_kind', 'owner_id'], unique=False)
    op.create_index('ix_photos_uploader_id', 'photos', ['uploader_id'], unique=False)


def downgrade():
    op.drop_index('ix_photos_uploader_id', table_name='photos')
    op.drop_index('ix_photos_owner', table_name='photos')
    op.drop_table('photos')
