"""workshops: in-person sessions, their hosts, challenges and registrations

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 06:30:00

New tables only (nothing rebuilt). The places taken are a counter on the workshop,
CHECKed against the capacity, moved by conditional UPDATEs (ideation/workshops/services.py).
The two new notification kinds are values of a non-native enum: no DDL.
"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

STATUSES = ('registered', 'waiting', 'attended', 'cancelled', 'no_show')


def upgrade():
    op.create_table(
        'workshops',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=160), nullable=False),
        sa.Column('description_source', sa.Text(), nullable=False),
        sa.Column('description_html', sa.Text(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=True),
        sa.Column('house_id', sa.Integer(), nullable=True),
        sa.Column('residence_id', sa.Integer(), nullable=True),
        sa.Column('room', sa.String(length=160), nullable=False),
        sa.Column('address', sa.String(length=300), nullable=False),
        sa.Column('starts_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('ends_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('registered_count', sa.Integer(), nullable=False),
        sa.Column('minutes_source', sa.Text(), nullable=False),
        sa.Column('minutes_html', sa.Text(), nullable=False),
        sa.Column('minutes_published_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('updated_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint('capacity >= 1', name=op.f('ck_workshops_capacity_positive')),
        sa.CheckConstraint(
            'registered_count >= 0 AND registered_count <= capacity',
            name=op.f('ck_workshops_places_within_capacity'),
        ),
        sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_workshops_ends_after_start')),
        sa.ForeignKeyConstraint(
            ['edition_id'], ['editions.id'],
            name=op.f('fk_workshops_edition_id_editions'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['house_id'], ['themes.id'],
            name=op.f('fk_workshops_house_id_themes'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['residence_id'], ['residences.id'],
            name=op.f('fk_workshops_residence_id_residences'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['users.id'],
            name=op.f('fk_workshops_created_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    )
    op.create_index('ix_workshops_starts_at', 'workshops', ['starts_at'])
    op.create_index('ix_workshops_edition_id', 'workshops', ['edition_id'])
    op.create_index('ix_workshops_house_id', 'workshops', ['house_id'])

    op.create_table(
        'workshop_challenges',
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('challenge_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['workshop_id'], ['workshops.id'],
            name=op.f('fk_workshop_challenges_workshop_id_workshops'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['challenge_id'], ['challenges.id'],
            name=op.f('fk_workshop_challenges_challenge_id_challenges'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('workshop_id', 'challenge_id', name=op.f('pk_workshop_challenges')),
    )
    op.create_index(
        op.f('ix_workshop_challenges_challenge_id'), 'workshop_challenges', ['challenge_id']
    )

    op.create_table(
        'workshop_hosts',
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['workshop_id'], ['workshops.id'],
            name=op.f('fk_workshop_hosts_workshop_id_workshops'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_workshop_hosts_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('workshop_id', 'user_id', name=op.f('pk_workshop_hosts')),
    )
    op.create_index(op.f('ix_workshop_hosts_user_id'), 'workshop_hosts', ['user_id'])

    op.create_table(
        'workshop_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column(
            'status',
            sa.Enum(*STATUSES, name='registrationstatus', native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('queued_at', ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column('promoted_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('cancelled_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('checked_in_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column('checked_in_by_id', sa.Integer(), nullable=True),
        sa.Column('reminder_sent_at', ideation.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['workshop_id'], ['workshops.id'],
            name=op.f('fk_workshop_registrations_workshop_id_workshops'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_workshop_registrations_user_id_users'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['checked_in_by_id'], ['users.id'],
            name=op.f('fk_workshop_registrations_checked_in_by_id_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_registrations')),
        sa.UniqueConstraint(
            'workshop_id', 'user_id', name=op.f('uq_workshop_registrations_workshop_id_user_id')
        ),
    )
    op.create_index(
        'ix_workshop_registrations_line',
        'workshop_registrations',
        ['workshop_id', 'status', 'queued_at'],
    )
    op.create_index('ix_workshop_registrations_user_id', 'workshop_registrations', ['user_id'])


def downgrade():
    op.drop_table('workshop_registrations')
    op.drop_table('workshop_hosts')
    op.drop_table('workshop_challenges')
    op.drop_table('workshops')
