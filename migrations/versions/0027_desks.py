"""votes in person: voting desks, their assessors, the vote's list of who voted in
person (vote_marks), paper sheets and their entries; each ballot's channel and desk

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 12:30:00

New tables, and two plain ADD COLUMNs on ballots (nothing rebuilt). `ballots.channel`
has a constant default, so PostgreSQL adds it without rewriting the table (11+);
`ballots.desk_id` is NULL for every existing ballot: its foreign key is added NOT VALID
and validated without blocking writes, its index built CONCURRENTLY
(docs/operations.md#upgrades). SQLite copies the ballots table once (it cannot add a
named foreign key in place).
"""

from alembic import op
import sqlalchemy as sa

import ideation.db_types

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

CHANNEL = sa.Enum("online", "desk", "paper", name="channel", native_enum=False, length=10)


def upgrade():
    op.create_table(
        "vote_desks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", ideation.db_types.UTCDateTime(), nullable=True),
        sa.Column("sheets_received", sa.Integer(), nullable=True),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("record_frozen_at", ideation.db_types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "sheets_received >= 0", name=op.f("ck_vote_desks_sheets_received_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_vote_desks_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["users.id"],
            name=op.f("fk_vote_desks_closed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["users.id"],
            name=op.f("fk_vote_desks_opened_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_vote_desks_workshop_id_workshops"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_desks")),
    )
    op.create_index("ix_vote_desks_challenge_id", "vote_desks", ["challenge_id"])
    op.create_index("ix_vote_desks_workshop_id", "vote_desks", ["workshop_id"])

    op.create_table(
        "desk_assessors",
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["vote_desks.id"],
            name=op.f("fk_desk_assessors_desk_id_vote_desks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_desk_assessors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("desk_id", "user_id", name=op.f("pk_desk_assessors")),
    )
    op.create_index("ix_desk_assessors_user_id", "desk_assessors", ["user_id"])

    op.create_table(
        "vote_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=True),
        sa.Column("channel", CHANNEL, nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=True),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_vote_marks_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["vote_desks.id"],
            name=op.f("fk_vote_marks_desk_id_vote_desks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["users.id"],
            name=op.f("fk_vote_marks_marked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"],
            ["users.id"],
            name=op.f("fk_vote_marks_voter_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_marks")),
        sa.UniqueConstraint("challenge_id", "voter_id", name="uq_vote_marks_challenge_id_voter_id"),
    )
    op.create_index("ix_vote_marks_desk_id", "vote_marks", ["desk_id"])
    op.create_index("ix_vote_marks_voter_id", "vote_marks", ["voter_id"])

    op.create_table(
        "paper_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "printed",
                "first_entry",
                "disputed",
                "agreed",
                "blank",
                "spoilt",
                "excess",
                name="sheetstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("ballot_id", sa.Integer(), nullable=True),
        sa.Column("printed_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.Column("settled_at", ideation.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["ballots.id"],
            name=op.f("fk_paper_sheets_ballot_id_ballots"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_paper_sheets_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["desk_id"],
            ["vote_desks.id"],
            name=op.f("fk_paper_sheets_desk_id_vote_desks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_sheets")),
        sa.UniqueConstraint("ballot_id", name=op.f("uq_paper_sheets_ballot_id")),
        sa.UniqueConstraint("receipt", name=op.f("uq_paper_sheets_receipt")),
    )
    op.create_index("ix_paper_sheets_challenge_id", "paper_sheets", ["challenge_id"])
    op.create_index("ix_paper_sheets_desk_id_status", "paper_sheets", ["desk_id", "status"])

    op.create_table(
        "sheet_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("reading", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("ranked", "blank", "spoilt", name="entrykind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.Column("entered_at", ideation.db_types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "reading BETWEEN 1 AND 3", name=op.f("ck_sheet_entries_reading_first_to_third")
        ),
        sa.ForeignKeyConstraint(
            ["assessor_id"],
            ["users.id"],
            name=op.f("fk_sheet_entries_assessor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["paper_sheets.id"],
            name=op.f("fk_sheet_entries_sheet_id_paper_sheets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_entries")),
        sa.UniqueConstraint("sheet_id", "reading", name="uq_sheet_entries_sheet_id_reading"),
    )
    op.create_index("ix_sheet_entries_assessor_id", "sheet_entries", ["assessor_id"])

    op.add_column("ballots", sa.Column("channel", CHANNEL, server_default="online", nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a named foreign key in place: the ballots table (no triggers)
        # is copied once; one writer at a time there anyway.
        with op.batch_alter_table("ballots") as batch_op:
            batch_op.add_column(sa.Column("desk_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                "fk_ballots_desk_id_vote_desks", "vote_desks", ["desk_id"], ["id"],
                ondelete="SET NULL",
            )
        op.create_index("ix_ballots_desk_id", "ballots", ["desk_id"])
        return
    op.add_column("ballots", sa.Column("desk_id", sa.Integer(), nullable=True))
    op.execute(
        "ALTER TABLE ballots ADD CONSTRAINT fk_ballots_desk_id_vote_desks FOREIGN KEY (desk_id)"
        " REFERENCES vote_desks (id) ON DELETE SET NULL NOT VALID"
    )
    op.execute("ALTER TABLE ballots VALIDATE CONSTRAINT fk_ballots_desk_id_vote_desks")
    with op.get_context().autocommit_block():
        op.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_ballots_desk_id ON ballots (desk_id)"
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_ballots_desk_id", table_name="ballots")
        with op.batch_alter_table("ballots") as batch_op:
            batch_op.drop_constraint("fk_ballots_desk_id_vote_desks", type_="foreignkey")
            batch_op.drop_column("desk_id")
            batch_op.drop_column("channel")
    else:
        with op.get_context().autocommit_block():
            op.execute("DROP INDEX CONCURRENTLY IF EXISTS ix_ballots_desk_id")
        op.drop_constraint("fk_ballots_desk_id_vote_desks", "ballots", type_="foreignkey")
        op.drop_column("ballots", "desk_id")
        op.drop_column("ballots", "channel")
    op.drop_table("sheet_entries")
    op.drop_table("paper_sheets")
    op.drop_table("vote_marks")
    op.drop_table("desk_assessors")
    op.drop_table("vote_desks")
