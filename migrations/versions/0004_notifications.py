"""notifications and preferences; unsubscribe header on e-mails

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:09:16.960546

"""
from alembic import op
import sqlalchemy as sa

import ideation.db_types  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('idea_published', 'idea_rejected', 'idea_hidden', 'idea_merged', 'idea_shortlisted', 'idea_answered', 'comment_on_my_idea', 'reply_to_my_comment', 'comment_hidden', 'vote_opened', 'vote_closed', 'pilot_update', name='notificationkind', native_enum=False, length=30), nullable=False),
    sa.Column('delivery', sa.Enum('immediate', 'digest', 'never', name='delivery', native_enum=False, length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('idea_published', 'idea_rejected', 'idea_hidden', 'idea_merged', 'idea_shortlisted', 'idea_answered', 'comment_on_my_idea', 'reply_to_my_comment', 'comment_hidden', 'vote_opened', 'vote_closed', 'pilot_update', name='notificationkind', native_enum=False, length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('created_at', ideation.db_types.UTCDateTime(), nullable=False),
    sa.Column('read_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.Column('digest_pending', sa.Boolean(), nullable=False),
    sa.Column('emailed_at', ideation.db_types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_digest_pending_user_id', ['digest_pending', 'user_id'], unique=False)
        batch_op.create_index('ix_notifications_user_id_created_at', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_user_id_read_at', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))



def downgrade():
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_id_read_at')
        batch_op.drop_index('ix_notifications_user_id_created_at')
        batch_op.drop_index('ix_notifications_digest_pending_user_id')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
