"""perf indexes: the ideas' full-text document stored once (PostgreSQL), indexed by GIN

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-05 01:00:00

On PostgreSQL the search matched and ranked `to_tsvector('french', title || ' ' || summary
|| ' ' || body_text)`: the GIN expression index answered the match, but any plan that
reads rows (a filtered page, the count's recheck, `ts_rank`) parsed each idea's text again
at query time, about 0.35 ms per matching idea. `ideas.fts_document` is that same
expression as a stored generated column, kept by PostgreSQL on every insert and update;
the GIN index moves onto it and ranking reads the stored vector. SQLite keeps its FTS5
table (migration 0002): nothing changes there.

Not in the model (ideation/ideas/models.py): a PostgreSQL-only column that no code
writes; search.py names it (FTS_DOCUMENT).
"""
from alembic import op

revision = '0021'
down_revision = '0018'
branch_labels = None
depends_on = None

DOCUMENT = "to_tsvector('french', title || ' ' || summary || ' ' || body_text)"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"ALTER TABLE ideas ADD COLUMN fts_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    # Adding a stored column rewrites `ideas` under its lock (about 2 s at 11,000 ideas);
    # the index is then built without blocking writes (docs/operations.md#upgrades).
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_ideas_fts_document")
        op.execute(
            "CREATE INDEX CONCURRENTLY ix_ideas_fts_document ON ideas USING gin (fts_document)"
        )
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_ideas_fts")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_ideas_fts ON ideas USING gin ({DOCUMENT})")
    op.execute("DROP INDEX IF EXISTS ix_ideas_fts_document")
    op.execute("ALTER TABLE ideas DROP COLUMN fts_document")
