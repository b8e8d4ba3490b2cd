"""challenges and ideas: themes, challenges, ideas, supports, revisions, full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:54:30.300549

Full-text search is dialect-specific (reviewed by hand, autogenerate cannot see it):
- PostgreSQL: a GIN expression index on to_tsvector('french', title || ' ' || summary
  || ' ' || body_text); the expression must stay identical to FTS_DOCUMENT in
  ideation/ideas/search.py or the planner will not use the index.
- SQLite: an external-content FTS5 table `ideas_fts` kept in sync by triggers (so
  deletes, cascades and the test cleanup keep it right). SQLite has no French
  stemmer: the porter (English) stemmer over unicode61 with diacritics removed is a
  documented approximation that folds plurals and -er/-é/-e endings
  ("jardins partagés" matches "jardin partager").
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('slug', name=op.f('uq_themes_slug'))
    )
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description_source', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('edition', sa.String(length=80), nullable=True),
    sa.Column('phase', sa.Enum('draft', 'ideation', 'review', 'voting', 'results', 'archived', name='phase', native_enum=False, length=20), nullable=False),
    sa.Column('premoderation', sa.Boolean(), nullable=False),
    sa.Column('ideation_starts_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('ideation_ends_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('review_ends_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('voting_starts_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('voting_ends_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('vote_method', sa.String(length=20), nullable=False),
    sa.Column('vote_max_ranks', sa.Integer(), nullable=True),
    sa.Column('vote_winners', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('published_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('vote_max_ranks IS NULL OR vote_max_ranks >= 1', name=op.f('ck_challenges_vote_max_ranks_positive')),
    sa.CheckConstraint('vote_winners >= 1', name=op.f('ck_challenges_vote_winners_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_challenges_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_challenges_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_challenges_theme_id_themes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges')),
    sa.UniqueConstraint('slug', name=op.f('uq_challenges_slug'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index('ix_challenges_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_challenges_organisation_id', ['organisation_id'], unique=False)
        batch_op.create_index('ix_challenges_phase', ['phase'], unique=False)
        batch_op.create_index('ix_challenges_theme_id', ['theme_id'], unique=False)

    op.create_table('challenge_residences',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('residence_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_residences_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['residence_id'], ['residences.id'], name=op.f('fk_challenge_residences_residence_id_residences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'residence_id', name=op.f('pk_challenge_residences'))
    )
    with op.batch_alter_table('challenge_residences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_residences_residence_id'), ['residence_id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('residence_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'published', 'shortlisted', 'selected', 'piloted', 'rejected', 'merged', 'not_selected', 'withdrawn', name='ideastatus', native_enum=False, length=20), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('supports_count', sa.Integer(), nullable=False),
    sa.Column('comments_count', sa.Integer(), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('published_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('edited_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('comments_count >= 0', name=op.f('ck_ideas_comments_count_not_negative')),
    sa.CheckConstraint('supports_count >= 0', name=op.f('ck_ideas_supports_count_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ideas_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_ideas_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['ideas.id'], name=op.f('fk_ideas_merged_into_id_ideas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['residence_id'], ['residences.id'], name=op.f('fk_ideas_residence_id_residences'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_ideas_theme_id_themes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_author_id', ['author_id'], unique=False)
        batch_op.create_index('ix_ideas_challenge_id_comments_count', ['challenge_id', 'comments_count'], unique=False)
        batch_op.create_index('ix_ideas_challenge_id_published_at', ['challenge_id', 'published_at'], unique=False)
        batch_op.create_index('ix_ideas_challenge_id_status', ['challenge_id', 'status'], unique=False)
        batch_op.create_index('ix_ideas_challenge_id_supports_count', ['challenge_id', 'supports_count'], unique=False)
        batch_op.create_index('ix_ideas_residence_id', ['residence_id'], unique=False)
        batch_op.create_index('ix_ideas_theme_id', ['theme_id'], unique=False)

    op.create_table('idea_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_idea_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_revisions_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_revisions'))
    )
    with op.batch_alter_table('idea_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_idea_revisions_idea_id_created_at', ['idea_id', 'created_at'], unique=False)

    op.create_table('supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_supports_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supports')),
    sa.UniqueConstraint('idea_id', 'user_id', name='uq_supports_idea_id_user_id')
    )
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.create_index('ix_supports_user_id', ['user_id'], unique=False)

    _create_full_text_search()


def downgrade():
    _drop_full_text_search()
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_index('ix_supports_user_id')

    op.drop_table('supports')
    with op.batch_alter_table('idea_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_revisions_idea_id_created_at')

    op.drop_table('idea_revisions')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_theme_id')
        batch_op.drop_index('ix_ideas_residence_id')
        batch_op.drop_index('ix_ideas_challenge_id_supports_count')
        batch_op.drop_index('ix_ideas_challenge_id_status')
        batch_op.drop_index('ix_ideas_challenge_id_published_at')
        batch_op.drop_index('ix_ideas_challenge_id_comments_count')
        batch_op.drop_index('ix_ideas_author_id')

    op.drop_table('ideas')
    with op.batch_alter_table('challenge_residences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_residences_residence_id'))

    op.drop_table('challenge_residences')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_challenges_theme_id')
        batch_op.drop_index('ix_challenges_phase')
        batch_op.drop_index('ix_challenges_organisation_id')
        batch_op.drop_index('ix_challenges_created_at')

    op.drop_table('challenges')
    op.drop_table('themes')


FTS_COLUMNS = "title, summary, body_text"


def _create_full_text_search():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_ideas_fts ON ideas USING gin "
            "(to_tsvector('french', title || ' ' || summary || ' ' || body_text))"
        )
    elif dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE ideas_fts USING fts5("
            f"{FTS_COLUMNS}, content='ideas', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN "
            f"INSERT INTO ideas_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.summary, new.body_text); END"
        )
        op.execute(
            "CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN "
            f"INSERT INTO ideas_fts(ideas_fts, rowid, {FTS_COLUMNS}) "
            "VALUES ('delete', old.id, old.title, old.summary, old.body_text); END"
        )
        op.execute(
            "CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, summary, body_text ON ideas BEGIN "
            f"INSERT INTO ideas_fts(ideas_fts, rowid, {FTS_COLUMNS}) "
            "VALUES ('delete', old.id, old.title, old.summary, old.body_text); "
            f"INSERT INTO ideas_fts(rowid, {FTS_COLUMNS}) VALUES (new.id, new.title, new.summary, new.body_text); END"
        )


def _drop_full_text_search():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_ideas_fts")
    elif dialect == "sqlite":
        for trigger in ("ideas_fts_insert", "ideas_fts_delete", "ideas_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS ideas_fts")
