"""filter value and search indexes: the challenge page's filters and searches without a scan

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-04 15:00:00

The challenge page offers, in its filters, only the houses and residences its ideas hold.
It grouped every visible idea of the challenge to find them (12 ms per page at 10,000
ideas on SQLite, growing with N). ideation/ideas/services.py `filter_values` now walks
an index from one value to the next: (challenge_id, theme_id or residence_id, then the
columns that decide who sees an idea), so each step is one descent and the page's cost
follows the number of values, not of ideas.

A search's matches come by id from the full-text index; whether each is listed (its
challenge, status, moderation) was read in the row, and on SQLite an idea's three bodies
push those columns onto overflow pages (5 ms for a word found in 1,000 ideas).
`ix_ideas_search` (id, then the listed columns) answers it without the rows.

On PostgreSQL the indexes are built CONCURRENTLY: no write to `ideas` waits
(docs/operations.md#upgrades).
"""
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

VISIBILITY = ["status", "hidden_at", "author_id"]
INDEXES = {
    "ix_ideas_values_theme": ["challenge_id", "theme_id", *VISIBILITY],
    "ix_ideas_values_residence": ["challenge_id", "residence_id", *VISIBILITY],
    "ix_ideas_search": ["id", "challenge_id", *VISIBILITY, "theme_id", "residence_id"],
}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        for name, columns in INDEXES.items():
            op.create_index(name, "ideas", columns)
        return
    with op.get_context().autocommit_block():
        for name, columns in INDEXES.items():
            # A build interrupted earlier leaves an invalid index of that name.
            op.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            op.create_index(name, "ideas", columns, postgresql_concurrently=True)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="ideas")
