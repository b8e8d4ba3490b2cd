"""vote files: the published receipt hash on each ballot, the ballot files kept once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:00:00

The receipt page used to rebuild the whole publication to find one ballot; it now looks
up `ballots.receipt_hash` (published_receipt(receipt), filled here for existing rows)
through an index. The ballot files are written once after the close into `vote_files`
(a table, so that every app server serves the same bytes). `vote_results.notified_at`
says the voters were told, so the queued notification job is idempotent.
"""

import base64
import hashlib

from alembic import op
import sqlalchemy as sa

from ideation.db_types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _published_receipt(code):
    # Same as ideation.voting.services.published_receipt (frozen here: a migration must
    # not change when the app code does).
    raw = "".join(c for c in (code or "").upper() if c.isalnum())[:40]
    normal = "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    text = base64.b32encode(hashlib.sha256(normal.encode("ascii")).digest()).decode("ascii")
    return f"{text[:5]}-{text[5:10]}"


def upgrade():
    op.add_column("ballots", sa.Column("receipt_hash", sa.String(length=11), nullable=True))
    bind = op.get_bind()
    ballots = sa.table(
        "ballots",
        sa.column("id", sa.Integer),
        sa.column("receipt", sa.String),
        sa.column("receipt_hash", sa.String),
    )
    rows = bind.execute(sa.select(ballots.c.id, ballots.c.receipt)).all()
    statement = (
        ballots.update()
        .where(ballots.c.id == sa.bindparam("b_id"))
        .values(receipt_hash=sa.bindparam("b_hash"))
    )
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        bind.execute(
            statement, [{"b_id": r.id, "b_hash": _published_receipt(r.receipt)} for r in chunk]
        )
    with op.batch_alter_table("ballots") as batch:
        batch.alter_column("receipt_hash", existing_type=sa.String(length=11), nullable=False)
    op.create_index(
        "ix_ballots_challenge_id_receipt_hash", "ballots", ["challenge_id", "receipt_hash"]
    )
    op.add_column("vote_results", sa.Column("notified_at", UTCDateTime(), nullable=True))
    op.create_table(
        "vote_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("extension", sa.String(length=10), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("etag", sa.String(length=80), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_vote_files_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_files")),
        sa.UniqueConstraint("challenge_id", "kind", name="uq_vote_files_challenge_id_kind"),
    )


def downgrade():
    op.drop_table("vote_files")
    with op.batch_alter_table("vote_results") as batch:
        batch.drop_column("notified_at")
    op.drop_index("ix_ballots_challenge_id_receipt_hash", table_name="ballots")
    with op.batch_alter_table("ballots") as batch:
        batch.drop_column("receipt_hash")
