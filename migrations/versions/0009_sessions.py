"""sessions: server-side session records, unsubscribe token version on users

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00

"""

import sqlalchemy as sa
from alembic import op

import ideation.db_types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_user_sessions_key_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"], unique=False)
    # Plain ADD COLUMN (no batch copy): a batch rebuild of `users` on SQLite would lose the
    # expression index uq_users_email_lower, which batch mode cannot reflect.
    op.add_column(
        "users",
        sa.Column("unsubscribe_version", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("unsubscribe_version")
    if op.get_bind().dialect.name == "sqlite":
        # The batch copy dropped the expression index: put it back.
        op.execute("CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))")
    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
