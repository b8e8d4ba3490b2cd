"""editions and houses: the Fabrique's own structure, the library's lineage, dwellings

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:00:00

- `editions`: one row per biennial Fabrique. Every distinct free-text `challenges.edition`
  (trimmed; empty means none) becomes one edition, named as written, and the challenge
  points at it (`edition_id`); the free-text column goes. Downgrade writes the names back.
- `themes` become the houses of an edition (the table and the `theme_id` columns keep
  their names): description, colour, pictogram, `house_facilitators`, `house_partners`.
  Each theme joins the edition most of its challenges belong to, else the newest edition;
  when there are themes but no edition at all, an edition "Fabrique" is made for them.
- `pilots` gain their house and edition (from their challenge and idea), the pilot they
  take up (`adopted_from_id`, one copy per landlord: a unique constraint), and what was
  learnt (lessons, costs, conditions of success, each source + sanitised HTML).
- `residences.dwellings`: the number of dwellings, for participation rates.
"""
import re
import unicodedata
from collections import Counter

from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _slug(text, taken):
    folded = unicodedata.normalize('NFKD', text).encode('ascii', 'ignore').decode()
    base = re.sub(r'[^a-z0-9]+', '-', folded.lower()).strip('-')[:70] or 'edition'
    slug, n = base, 2
    while slug in taken:
        slug, n = f'{base}-{n}', n + 1
    taken.add(slug)
    return slug


def upgrade():
    bind = op.get_bind()
    op.create_table(
        'editions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=True),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('place', sa.String(length=160), nullable=False),
        sa.Column('description_source', sa.Text(), nullable=False),
        sa.Column('description_html', sa.Text(), nullable=False),
        sa.Column('programme_source', sa.Text(), nullable=False),
        sa.Column('programme_html', sa.Text(), nullable=False),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_editions')),
        sa.UniqueConstraint('name', name=op.f('uq_editions_name')),
        sa.UniqueConstraint('slug', name=op.f('uq_editions_slug')),
    )
    editions = sa.table(
        'editions',
        sa.column('id', sa.Integer), sa.column('slug', sa.String), sa.column('name', sa.String),
        sa.column('place', sa.String), sa.column('description_source', sa.Text),
        sa.column('description_html', sa.Text), sa.column('programme_source', sa.Text),
        sa.column('programme_html', sa.Text),
        sa.column('created_at', ideation.db_types.UTCDateTime),
    )
    now = ideation.db_types.utcnow()

    # 1. Free-text editions → rows. Every distinct trimmed label is kept, as written.
    labels = sorted(
        {
            (label or '').strip()
            for label in bind.execute(sa.text('SELECT edition FROM challenges')).scalars()
        }
        - {''}
    )
    taken = set()
    for label in labels:
        bind.execute(
            editions.insert().values(
                slug=_slug(label, taken), name=label[:80], place='', description_source='',
                description_html='', programme_source='', programme_html='', created_at=now,
            )
        )
    ids = dict(bind.execute(sa.text('SELECT name, id FROM editions')).all())

    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
    for label in labels:
        bind.execute(
            sa.text('UPDATE challenges SET edition_id = :id WHERE TRIM(edition) = :label'),
            {'id': ids[label[:80]], 'label': label},
        )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_column('edition')
        batch_op.create_index('ix_challenges_edition_id', ['edition_id'], unique=False)
        batch_op.create_foreign_key(
            op.f('fk_challenges_edition_id_editions'), 'editions',
            ['edition_id'], ['id'], ondelete='SET NULL',
        )

    # 2. Themes → houses of an edition.
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('description_source', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('description_html', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('colour', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('pictogram', sa.String(length=20), nullable=True))
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.alter_column('description_source', server_default=None)
        batch_op.alter_column('description_html', server_default=None)
        batch_op.create_index('ix_themes_edition_id', ['edition_id'], unique=False)
        batch_op.create_foreign_key(
            op.f('fk_themes_edition_id_editions'), 'editions',
            ['edition_id'], ['id'], ondelete='RESTRICT',
        )
        batch_op.create_check_constraint(
            op.f('ck_themes_colour_hex'), 'colour IS NULL OR length(colour) = 7'
        )
    theme_ids = list(bind.execute(sa.text('SELECT id FROM themes')).scalars())
    if theme_ids:
        if not ids:
            bind.execute(
                editions.insert().values(
                    slug=_slug('Fabrique', taken), name='Fabrique', place='',
                    description_source='', description_html='', programme_source='',
                    programme_html='', created_at=now,
                )
            )
            ids = dict(bind.execute(sa.text('SELECT name, id FROM editions')).all())
        newest = ids[max(ids)]
        usage = {}
        for theme_id, edition_id in bind.execute(
            sa.text(
                'SELECT theme_id, edition_id FROM challenges '
                'WHERE theme_id IS NOT NULL AND edition_id IS NOT NULL'
            )
        ):
            usage.setdefault(theme_id, Counter())[edition_id] += 1
        for theme_id in theme_ids:
            counts = usage.get(theme_id)
            chosen = counts.most_common(1)[0][0] if counts else newest
            bind.execute(
                sa.text('UPDATE themes SET edition_id = :e WHERE id = :t'),
                {'e': chosen, 't': theme_id},
            )
    op.create_table(
        'house_facilitators',
        sa.Column('house_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['house_id'], ['themes.id'],
            name=op.f('fk_house_facilitators_house_id_themes'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_house_facilitators_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('house_id', 'user_id', name=op.f('pk_house_facilitators')),
    )
    op.create_index(
        op.f('ix_house_facilitators_user_id'), 'house_facilitators', ['user_id'], unique=False
    )
    op.create_table(
        'house_partners',
        sa.Column('house_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['house_id'], ['themes.id'],
            name=op.f('fk_house_partners_house_id_themes'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'],
            name=op.f('fk_house_partners_organisation_id_organisations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('house_id', 'organisation_id', name=op.f('pk_house_partners')),
    )
    op.create_index(
        op.f('ix_house_partners_organisation_id'), 'house_partners', ['organisation_id'],
        unique=False,
    )

    # 3. Pilots: house, edition, lineage, lessons.
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('house_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('adopted_from_id', sa.Integer(), nullable=True))
        for name in ('lessons', 'costs', 'conditions'):
            for suffix in ('source', 'html'):
                batch_op.add_column(
                    sa.Column(f'{name}_{suffix}', sa.Text(), nullable=False, server_default='')
                )
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        for name in ('lessons', 'costs', 'conditions'):
            for suffix in ('source', 'html'):
                batch_op.alter_column(f'{name}_{suffix}', server_default=None)
        batch_op.create_index('ix_pilots_house_id', ['house_id'], unique=False)
        batch_op.create_index('ix_pilots_edition_id', ['edition_id'], unique=False)
        batch_op.create_unique_constraint(
            'uq_pilots_adopted_from_id_organisation_id', ['adopted_from_id', 'organisation_id']
        )
        batch_op.create_foreign_key(
            op.f('fk_pilots_house_id_themes'), 'themes', ['house_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            op.f('fk_pilots_edition_id_editions'), 'editions', ['edition_id'], ['id'],
            ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            op.f('fk_pilots_adopted_from_id_pilots'), 'pilots', ['adopted_from_id'], ['id'],
            ondelete='SET NULL',
        )
    bind.execute(
        sa.text(
            'UPDATE pilots SET '
            'house_id = COALESCE('
            '(SELECT ideas.theme_id FROM ideas WHERE ideas.id = pilots.idea_id), '
            '(SELECT challenges.theme_id FROM challenges WHERE challenges.id = pilots.challenge_id)'
            '), '
            'edition_id = (SELECT challenges.edition_id FROM challenges '
            'WHERE challenges.id = pilots.challenge_id)'
        )
    )

    _create_pilot_search()

    # 4. Dwellings per residence.
    with op.batch_alter_table('residences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dwellings', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_residences_dwellings_not_negative'), 'dwellings IS NULL OR dwellings >= 0'
        )


# The library's French search: the same approach as ideas (0002). The PostgreSQL
# expression must stay identical to FTS_DOCUMENT in ideation/pilots/search.py. A later
# batch copy of `pilots` on SQLite drops the triggers: recreate them after it.
PILOT_FTS_COLUMNS = "title, description_source, lessons_source, conditions_source"
PILOT_FTS_NEW = "new.id, new.title, new.description_source, new.lessons_source, new.conditions_source"
PILOT_FTS_OLD = "old.id, old.title, old.description_source, old.lessons_source, old.conditions_source"


def _create_pilot_search():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(
            "CREATE INDEX ix_pilots_fts ON pilots USING gin (to_tsvector('french', title || ' ' "
            "|| description_source || ' ' || lessons_source || ' ' || conditions_source))"
        )
    elif dialect == 'sqlite':
        op.execute(
            "CREATE VIRTUAL TABLE pilots_fts USING fts5("
            f"{PILOT_FTS_COLUMNS}, content='pilots', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(f"INSERT INTO pilots_fts(rowid, {PILOT_FTS_COLUMNS}) SELECT id, {PILOT_FTS_COLUMNS} FROM pilots")
        op.execute(
            "CREATE TRIGGER pilots_fts_insert AFTER INSERT ON pilots BEGIN "
            f"INSERT INTO pilots_fts(rowid, {PILOT_FTS_COLUMNS}) VALUES ({PILOT_FTS_NEW}); END"
        )
        op.execute(
            "CREATE TRIGGER pilots_fts_delete AFTER DELETE ON pilots BEGIN "
            f"INSERT INTO pilots_fts(pilots_fts, rowid, {PILOT_FTS_COLUMNS}) "
            f"VALUES ('delete', {PILOT_FTS_OLD}); END"
        )
        op.execute(
            f"CREATE TRIGGER pilots_fts_update AFTER UPDATE OF {PILOT_FTS_COLUMNS} ON pilots BEGIN "
            f"INSERT INTO pilots_fts(pilots_fts, rowid, {PILOT_FTS_COLUMNS}) "
            f"VALUES ('delete', {PILOT_FTS_OLD}); "
            f"INSERT INTO pilots_fts(rowid, {PILOT_FTS_COLUMNS}) VALUES ({PILOT_FTS_NEW}); END"
        )


def _drop_pilot_search():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_pilots_fts")
    elif dialect == 'sqlite':
        for trigger in ('pilots_fts_insert', 'pilots_fts_delete', 'pilots_fts_update'):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS pilots_fts")


def downgrade():
    bind = op.get_bind()
    _drop_pilot_search()
    with op.batch_alter_table('residences', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_residences_dwellings_not_negative'), type_='check')
        batch_op.drop_column('dwellings')
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_pilots_adopted_from_id_pilots'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_pilots_edition_id_editions'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_pilots_house_id_themes'), type_='foreignkey')
        batch_op.drop_constraint('uq_pilots_adopted_from_id_organisation_id', type_='unique')
        batch_op.drop_index('ix_pilots_edition_id')
        batch_op.drop_index('ix_pilots_house_id')
        for name in ('lessons', 'costs', 'conditions'):
            for suffix in ('source', 'html'):
                batch_op.drop_column(f'{name}_{suffix}')
        batch_op.drop_column('adopted_from_id')
        batch_op.drop_column('edition_id')
        batch_op.drop_column('house_id')
    op.drop_index(op.f('ix_house_partners_organisation_id'), table_name='house_partners')
    op.drop_table('house_partners')
    op.drop_index(op.f('ix_house_facilitators_user_id'), table_name='house_facilitators')
    op.drop_table('house_facilitators')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_themes_colour_hex'), type_='check')
        batch_op.drop_constraint(op.f('fk_themes_edition_id_editions'), type_='foreignkey')
        batch_op.drop_index('ix_themes_edition_id')
        batch_op.drop_column('pictogram')
        batch_op.drop_column('colour')
        batch_op.drop_column('description_html')
        batch_op.drop_column('description_source')
        batch_op.drop_column('edition_id')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition', sa.String(length=80), nullable=True))
    bind.execute(
        sa.text(
            'UPDATE challenges SET edition = '
            '(SELECT editions.name FROM editions WHERE editions.id = challenges.edition_id)'
        )
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_challenges_edition_id_editions'), type_='foreignkey')
        batch_op.drop_index('ix_challenges_edition_id')
        batch_op.drop_column('edition_id')
    op.drop_table('editions')
