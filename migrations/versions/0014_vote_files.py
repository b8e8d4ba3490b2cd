"""vote files: the published receipt hash on each ballot, the ballot files kept once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 10:00:00

The receipt page used to rebuild the whole publication to find one ballot; it now looks
up `ballots.receipt_hash` (published_receipt(receipt), filled here for existing rows)
through an index. The ballot files are written once after the close into `vote_files`
(a table, so that every app server serves the same bytes). `vote_results.notified_at`
says the voters were told, so the queued notification job is idempotent.

On PostgreSQL the app servers keep taking ballots during the upgrade
(docs/operations.md#upgrades): the hashes are filled in batches that each commit on their
own; the few ballots cast meanwhile are filled under a short lock that also adds a NOT
VALID check, which is then validated without blocking writes, so that SET NOT NULL needs
no scan; the index is built CONCURRENTLY. No write waits for more than one batch.
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
    if op.get_bind().dialect.name == "postgresql":
        _ballots_postgresql()
    else:
        _fill_hashes(sa.true())
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


BALLOTS = sa.table(
    "ballots",
    sa.column("id", sa.Integer),
    sa.column("receipt", sa.String),
    sa.column("receipt_hash", sa.String),
)
BATCH = 5000


def _fill_hashes(where):
    """Hashes the ballots that match `where` and have none yet, BATCH rows a statement."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(BALLOTS.c.id, BALLOTS.c.receipt).where(where, BALLOTS.c.receipt_hash.is_(None))
    ).all()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        ids = [r.id for r in chunk]
        hashes = [_published_receipt(r.receipt) for r in chunk]
        if bind.dialect.name == "postgresql":
            # One statement per batch: in the autocommit block it is its own transaction,
            # so its row locks last one batch.
            bind.execute(
                sa.text(
                    "UPDATE ballots SET receipt_hash = v.h"
                    " FROM unnest(CAST(:ids AS integer[]), CAST(:hashes AS text[])) AS v(id, h)"
                    " WHERE ballots.id = v.id"
                ),
                {"ids": ids, "hashes": hashes},
            )
        else:
            statement = (
                BALLOTS.update()
                .where(BALLOTS.c.id == sa.bindparam("b_id"))
                .values(receipt_hash=sa.bindparam("b_hash"))
            )
            bind.execute(statement, [{"b_id": i, "b_hash": h} for i, h in zip(ids, hashes, strict=True)])


def _ballots_postgresql():
    bind = op.get_bind()
    context = op.get_context()
    with context.autocommit_block():
        low, high = bind.execute(sa.text("SELECT min(id), max(id) FROM ballots")).one()
        for start in range(low or 0, (high or 0) + 1, BATCH):
            _fill_hashes(BALLOTS.c.id.between(start, start + BATCH - 1))
    # Back in the migration's transaction: what was cast meanwhile, under a lock that
    # blocks writes for as long as those few rows take.
    op.execute("LOCK TABLE ballots IN SHARE ROW EXCLUSIVE MODE")
    _fill_hashes(sa.true())
    op.execute(
        "ALTER TABLE ballots ADD CONSTRAINT ck_ballots_receipt_hash_filled"
        " CHECK (receipt_hash IS NOT NULL) NOT VALID"
    )
    with context.autocommit_block():  # commits the lock; validating only reads
        op.execute("ALTER TABLE ballots VALIDATE CONSTRAINT ck_ballots_receipt_hash_filled")
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_ballots_challenge_id_receipt_hash")
        op.create_index(
            "ix_ballots_challenge_id_receipt_hash",
            "ballots",
            ["challenge_id", "receipt_hash"],
            postgresql_concurrently=True,
        )
    # The valid check proves there is no NULL: SET NOT NULL skips its scan (PostgreSQL 12+).
    op.alter_column("ballots", "receipt_hash", existing_type=sa.String(length=11), nullable=False)
    op.execute("ALTER TABLE ballots DROP CONSTRAINT ck_ballots_receipt_hash_filled")


def downgrade():
    op.drop_table("vote_files")
    with op.batch_alter_table("vote_results") as batch:
        batch.drop_column("notified_at")
    op.drop_index("ix_ballots_challenge_id_receipt_hash", table_name="ballots")
    with op.batch_alter_table("ballots") as batch:
        batch.drop_column("receipt_hash")
