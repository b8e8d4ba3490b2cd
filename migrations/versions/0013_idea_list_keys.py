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

On PostgreSQL the app servers keep writing during the upgrade: the column is added with a
constant default (no table rewrite), the keys are drawn in batches of 5,000 rows that each
commit on their own, and the indexes are dropped and built CONCURRENTLY, so no write waits
for more than a batch (docs/operations.md#upgrades). One CREATE INDEX CONCURRENTLY that
fails leaves an invalid index behind: IF NOT EXISTS would keep it, so a rerun drops it first.
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
NEW_INDEXES = {
    'ix_ideas_list_shuffle': ['challenge_id', 'shuffle_key', 'id', *LIST_COLUMNS],
    'ix_ideas_list_recent': [
        'challenge_id',
        sa.text('coalesce(published_at, created_at)'),
        'id',
        *LIST_COLUMNS,
        'published_at',
        'created_at',
    ],
    'ix_ideas_list_supports': ['challenge_id', 'supports_count', 'id', *LIST_COLUMNS],
    'ix_ideas_list_comments': ['challenge_id', 'comments_count', 'id', *LIST_COLUMNS],
}


def upgrade():
    op.add_column(
        'ideas', sa.Column('shuffle_key', sa.Integer(), server_default='0', nullable=False)
    )
    if op.get_bind().dialect.name == 'postgresql':
        _upgrade_postgresql()
        return
    # Same range as ideation.ideas.models.new_shuffle_key: [0, 2**31 - 1).
    op.execute('UPDATE ideas SET shuffle_key = abs(random() % 2147483647)')
    for name in OLD_INDEXES:
        op.drop_index(name, table_name='ideas')
    for name, columns in NEW_INDEXES.items():
        op.create_index(name, 'ideas', columns)


BATCH = 5000
# Drawn in [1, 2**31 - 1), inside the app's range; 0 marks a row not drawn yet (one an
# old app server inserted during the upgrade), which the last pass draws too.
DRAW = 'shuffle_key = 1 + floor(random() * 2147483646)::integer'


def _upgrade_postgresql():
    bind = op.get_bind()
    with op.get_context().autocommit_block():
        low, high = bind.execute(sa.text('SELECT min(id), max(id) FROM ideas')).one()
        for start in range(low or 0, (high or 0) + 1, BATCH):
            bind.execute(
                sa.text(f'UPDATE ideas SET {DRAW} WHERE id >= :a AND id < :b AND shuffle_key = 0'),
                {'a': start, 'b': start + BATCH},
            )
        # The new indexes first, so that the lists never lose the one they use.
        for name, columns in NEW_INDEXES.items():
            op.execute(f'DROP INDEX CONCURRENTLY IF EXISTS {name}')
            op.create_index(name, 'ideas', columns, postgresql_concurrently=True)
        for name in OLD_INDEXES:
            op.execute(f'DROP INDEX CONCURRENTLY IF EXISTS {name}')
        bind.execute(sa.text(f'UPDATE ideas SET {DRAW} WHERE shuffle_key = 0'))


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
