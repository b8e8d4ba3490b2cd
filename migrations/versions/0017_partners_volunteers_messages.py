"""partners, volunteers, messages: issue 12, points 3, 4 and 6

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 01:00:00

- organisations.partner_label: a partner's sub-kind ("association", "collectivité"); the
  kind "partenaire" itself is a new value of a non-native enum (no DDL).
- pilot_partners: the partners co-leading a pilot.
- volunteer_offers: « Je veux aider » on an idea or a pilot, one per person and target.
- users.newsletter_consent_at: the newsletter's opt-in, with its time (plain add_column:
  rebuilding `users` on SQLite would drop the e-mail expression index).
- messages: what facilitators and landlord managers wrote to a scope.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('organisations', sa.Column('partner_label', sa.String(length=60), nullable=True))
    op.add_column(
        'users', sa.Column('newsletter_consent_at', ideation.db_types.UTCDateTime(), nullable=True)
    )
    op.create_table(
        'pilot_partners',
        sa.Column('pilot_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'],
            name=op.f('fk_pilot_partners_organisation_id_organisations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['pilot_id'], ['pilots.id'],
            name=op.f('fk_pilot_partners_pilot_id_pilots'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('pilot_id', 'organisation_id', name=op.f('pk_pilot_partners')),
    )
    op.create_index(
        op.f('ix_pilot_partners_organisation_id'), 'pilot_partners', ['organisation_id']
    )
    op.create_table(
        'volunteer_offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('idea_id', sa.Integer(), nullable=True),
        sa.Column('pilot_id', sa.Integer(), nullable=True),
        sa.Column('what', sa.String(length=300), nullable=False),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            '(idea_id IS NULL) <> (pilot_id IS NULL)', name=op.f('ck_volunteer_offers_idea_or_pilot')
        ),
        sa.ForeignKeyConstraint(
            ['idea_id'], ['ideas.id'],
            name=op.f('fk_volunteer_offers_idea_id_ideas'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['pilot_id'], ['pilots.id'],
            name=op.f('fk_volunteer_offers_pilot_id_pilots'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_volunteer_offers_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_offers')),
        sa.UniqueConstraint('user_id', 'idea_id', name='uq_volunteer_offers_user_id_idea_id'),
        sa.UniqueConstraint('user_id', 'pilot_id', name='uq_volunteer_offers_user_id_pilot_id'),
    )
    op.create_index('ix_volunteer_offers_idea_id', 'volunteer_offers', ['idea_id'])
    op.create_index('ix_volunteer_offers_pilot_id', 'volunteer_offers', ['pilot_id'])
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column(
            'kind',
            sa.Enum('service', 'newsletter', name='messagekind', native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            'scope_kind',
            sa.Enum(
                'organisation', 'residences', 'defi', name='scopekind', native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column('scope_ids', sa.JSON(), nullable=False),
        sa.Column('scope_label', sa.String(length=300), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('recipients_count', sa.Integer(), nullable=False),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('sent_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'],
            name=op.f('fk_messages_author_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'],
            name=op.f('fk_messages_organisation_id_organisations'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    op.create_index(
        'ix_messages_organisation_id_created_at', 'messages', ['organisation_id', 'created_at']
    )


def downgrade():
    op.drop_index('ix_messages_organisation_id_created_at', table_name='messages')
    op.drop_table('messages')
    op.drop_index('ix_volunteer_offers_pilot_id', table_name='volunteer_offers')
    op.drop_index('ix_volunteer_offers_idea_id', table_name='volunteer_offers')
    op.drop_table('volunteer_offers')
    op.drop_index(op.f('ix_pilot_partners_organisation_id'), table_name='pilot_partners')
    op.drop_table('pilot_partners')
    # Plain drop_column (SQLite 3.35+): no batch rebuild of `users` or `organisations`.
    op.drop_column('users', 'newsletter_consent_at')
    op.drop_column('organisations', 'partner_label')
