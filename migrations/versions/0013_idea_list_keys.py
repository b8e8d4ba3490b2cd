"""idea list keys: a random shuffle key per idea and one covering index per list order

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00

The challenge page used to sort by a computed shuffle `(id * a + b) mod M` (no index can
serve it) and to read whole rows to filter them. `ideas.shuffle_key` is drawn at random
once per idea (existing ideas get theirs here); each list order gets an index led by the
challenge and the sort key, then carrying the filtered columns, so that a page's ids come
from an index-only scan.

Plain ADD COLUMN and CREATE INDEX, no batch copy: rebuilding `ideas` on SQLite would drop
the triggers that keep the full-text table `ideas_fts` in sync (migration 0002).
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

LIST_COLUMNS = ['status', 'hidden_at', 'author_id', 'theme_id', 'residence_id']
OLD_INDEXES = {
    'ix_ideas_challenge_id_published_at': ['challenge_id', 'published_at'],
    'ix_ideas_challenge_id_supports_count': ['challenge_id', 'supports_count'],
    'ix_ideas_challenge_id_comments_count': ['challenge_id', 'comments_count'],
}


def upgrade():
    op.add_column(
        'ideas', sa.Column('shuffle_key', sa.Integer(), server_default='0', nullable=False)
    )
    # Same range as ideation.ideas.models.new_shuffle_key: [0, 2**31 - 1).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('UPDATE ideas SET shuffle_key = floor(random() * 2147483647)::integer')
    else:
        op.execute('UPDATE ideas SET shuffle_key = abs(random() % 2147483647)')
    for name in OLD_INDEXES:
        op.drop_index(name, table_name='ideas')
    op.create_index(
        'ix_ideas_list_shuffle', 'ideas', ['challenge_id', 'shuffle_key', 'id', *LIST_COLUMNS]
    )
    op.create_index(
        'ix_ideas_list_recent',
        'ideas',
        [
            'challenge_id',
            sa.text('coalesce(published_at, created_at)'),
            'id',
            *LIST_COLUMNS,
            'published_at',
            'created_at',
        ],
    )
    op.create_index(
        'ix_ideas_list_supports', 'ideas', ['challenge_id', 'supports_count', 'id', *LIST_COLUMNS]
    )
    op.create_index(
        'ix_ideas_list_comments', 'ideas', ['challenge_id', 'comments_count', 'id', *LIST_COLUMNS]
    )


def downgrade():
    for name in (
        'ix_ideas_list_comments',
        'ix_ideas_list_supports',
        'ix_ideas_list_recent',
        'ix_ideas_list_shuffle',
    ):
        op.drop_index(name, table_name='ideas')
    for name, columns in OLD_INDEXES.items():
        op.create_index(name, 'ideas', columns)
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops a column in place (3.35+), which keeps the full-text triggers.
        op.execute('ALTER TABLE ideas DROP COLUMN shuffle_key')
    else:
        op.drop_column('ideas', 'shuffle_key')
