"""vote turnout: who took part per channel and per residence, kept with each result

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 17:40:00

`vote_results.turnout` (JSON, see ideation/voting/services.py `vote_turnout`) is counted
by the close from now on. Existing results are filled here from what is stored: the
ballots and the list of who voted in person do not change after a close, so the
figures per channel are exact; per residence, the people are placed by their account's
residence today (an account deleted since has none) and the people who could vote are
not known any more (`eligible` null: the results page shows no percentage for them).

A plain ADD COLUMN (nullable, no default: no table rewrite on PostgreSQL); the backfill
updates one row per closed vote, each in its own transaction on PostgreSQL, so no lock
is held for more than one row (docs/operations.md#upgrades). A vote closed by an app
server of the previous version during the upgrade keeps NULL; its page then shows no
turnout table.
"""

from alembic import op
import sqlalchemy as sa

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

RESULTS = sa.table("vote_results", sa.column("id"), sa.column("turnout", sa.JSON()))

BY_CHANNEL = {
    "ballots": "SELECT channel, count(*) FROM ballots WHERE challenge_id = :c GROUP BY channel",
    "marks": "SELECT channel, count(*) FROM vote_marks WHERE challenge_id = :c GROUP BY channel",
}
BY_RESIDENCE = """
SELECT residence_id, count(*) FROM (
    SELECT users.residence_id AS residence_id FROM ballots
    LEFT OUTER JOIN users ON users.id = ballots.voter_id
    WHERE ballots.challenge_id = :c AND ballots.channel != 'paper'
    UNION ALL
    SELECT users.residence_id AS residence_id FROM vote_marks
    LEFT OUTER JOIN users ON users.id = vote_marks.voter_id
    WHERE vote_marks.challenge_id = :c AND vote_marks.channel = 'paper'
) AS people GROUP BY residence_id
"""


def _turnout(bind, challenge_id):
    ballots, marks = (
        dict(bind.execute(sa.text(query), {"c": challenge_id}).all())
        for query in (BY_CHANNEL["ballots"], BY_CHANNEL["marks"])
    )
    voters = bind.execute(sa.text(BY_RESIDENCE), {"c": challenge_id}).all()
    residences = [
        {"residence_id": rid, "voters": count, "eligible": None} for rid, count in voters
    ]
    residences.sort(
        key=lambda r: (-r["voters"], r["residence_id"] is None, r["residence_id"] or 0)
    )
    return {
        "channels": {
            "online": {"voters": ballots.get("online", 0), "ballots": ballots.get("online", 0)},
            "desk": {"voters": marks.get("desk", 0), "ballots": ballots.get("desk", 0)},
            "paper": {"voters": marks.get("paper", 0), "ballots": ballots.get("paper", 0)},
        },
        "residences": residences,
    }


def upgrade():
    op.add_column("vote_results", sa.Column("turnout", sa.JSON(), nullable=True))
    bind = op.get_bind()
    query = sa.text("SELECT id, challenge_id FROM vote_results WHERE turnout IS NULL ORDER BY id")
    if bind.dialect.name != "postgresql":
        for result_id, challenge_id in bind.execute(query).all():
            _fill(bind, result_id, challenge_id)
        return
    with op.get_context().autocommit_block():  # each row's UPDATE commits on its own
        for result_id, challenge_id in bind.execute(query).all():
            _fill(bind, result_id, challenge_id)


def _fill(bind, result_id, challenge_id):
    bind.execute(
        sa.update(RESULTS)
        .where(RESULTS.c.id == result_id, RESULTS.c.turnout.is_(None))
        .values(turnout=_turnout(bind, challenge_id))
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column in place (3.35+): the table is kept.
        op.execute("ALTER TABLE vote_results DROP COLUMN turnout")
    else:
        op.drop_column("vote_results", "turnout")
