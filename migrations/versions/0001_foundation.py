"""foundation: organisations, residences, users, invitations, outbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 14:48:13.014886

"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='emailstatus', native_enum=False, length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('next_attempt_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emails'))
    )
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_emails_recipient'), ['recipient'], unique=False)
        batch_op.create_index('ix_emails_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)

    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.Enum('regional', 'landlord', name='organisationkind', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    op.create_table('residences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('quartier', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_residences_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residences'))
    )
    with op.batch_alter_table('residences', schema=None) as batch_op:
        batch_op.create_index('ix_residences_organisation_id_name', ['organisation_id', 'name'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.Enum('tenant', 'staff', 'facilitator', 'bailleur', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('residence_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('email_verified', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_users_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['residence_id'], ['residences.id'], name=op.f('fk_users_residence_id_residences'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_users_organisation_id_role', ['organisation_id', 'role'], unique=False)
    # Reviewed: e-mails are unique whatever their case (autogenerate cannot compare this).
    op.create_index('uq_users_email_lower', 'users', [sa.text('lower(email)')], unique=True)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('residence_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('tenant', 'staff', 'facilitator', 'bailleur', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('expires_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('max_uses', sa.Integer(), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('max_uses >= 1', name=op.f('ck_invitations_max_uses_positive')),
    sa.CheckConstraint('uses >= 0', name=op.f('ck_invitations_uses_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invitations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invitations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['residence_id'], ['residences.id'], name=op.f('fk_invitations_residence_id_residences'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('code', name=op.f('uq_invitations_code'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index('ix_invitations_organisation_id_created_at', ['organisation_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index('ix_invitations_organisation_id_created_at')

    op.drop_table('invitations')
    op.drop_index('uq_users_email_lower', table_name='users')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_organisation_id_role')
        batch_op.drop_index('ix_users_created_at')

    op.drop_table('users')
    with op.batch_alter_table('residences', schema=None) as batch_op:
        batch_op.drop_index('ix_residences_organisation_id_name')

    op.drop_table('residences')
    op.drop_table('organisations')
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_index('ix_emails_status_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_emails_recipient'))

    op.drop_table('emails')
