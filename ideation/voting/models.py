"""Ballots and vote results (one ballot per voter per challenge, one result per challenge)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.challenges.models import Challenge
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.desks import Channel
from ideation.extensions import Model


def _receipt_hash_default(context: Any) -> str:
    # Every insert path (the cast's upsert, factories, the seed's bulk inserts) fills it.
    from ideation.voting.services import published_receipt

    return published_receipt(context.get_current_parameters()["receipt"])


class Ballot(Model):
    """One voter's ranking of a challenge's shortlisted ideas.

    `ranking` holds tie groups of idea ids, best first (``[[12], [7], [30]]``); ideas it
    does not mention are tied below every ranked one. The voter may replace it until the
    vote closes: casting is an upsert on (challenge_id, voter_id), never check-then-insert.
    The voter is set to NULL if the account is deleted, so the tally never changes.

    `channel` says how it came (ideation/domain/desks.py): online, recorded at a voting
    desk (`desk_id`), or entered from an anonymous paper sheet (`desk_id`, no voter).
    """

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("challenge_id", "voter_id", name="uq_ballots_challenge_id_voter_id"),
        UniqueConstraint("challenge_id", "receipt", name="uq_ballots_challenge_id_receipt"),
        Index("ix_ballots_voter_id", "voter_id"),
        # The receipt page looks one ballot up by its published hash (constant time).
        Index("ix_ballots_challenge_id_receipt_hash", "challenge_id", "receipt_hash"),
        Index("ix_ballots_desk_id", "desk_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ranking: Mapped[list[list[int]]] = mapped_column(JSON)
    receipt: Mapped[str] = mapped_column(String(20))
    # published_receipt(receipt): how the ballot appears in the public files.
    receipt_hash: Mapped[str] = mapped_column(String(11), default=_receipt_hash_default)
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e]),
        default=Channel.ONLINE,
        server_default=Channel.ONLINE.value,
    )
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("vote_desks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship()

    def __repr__(self) -> str:
        return f"<Ballot {self.id} challenge={self.challenge_id}>"


class VoterMark(Model):
    """The vote's list of who voted in person (émargement), one row per voter and vote.

    Written, under the voter's lock, with a desk ballot or when a paper voter is ticked;
    the online cast reads it under the same lock and refuses (ideation/voting/services.py).
    """

    __tablename__ = "vote_marks"
    __table_args__ = (
        UniqueConstraint("challenge_id", "voter_id", name="uq_vote_marks_challenge_id_voter_id"),
        Index("ix_vote_marks_desk_id", "desk_id"),
        Index("ix_vote_marks_voter_id", "voter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[Channel] = mapped_column(
        Enum(Channel, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("vote_desks.id", ondelete="SET NULL"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoteResult(Model):
    """The tally of a closed vote, computed once from the stored ballots and kept.

    Idea ids (`candidate_ids`, `ranking`, `winners`) link the result to the ideas; the
    `explanation` is the engine's JSON object (`TallyResult.to_json_dict()`, names as
    in the published ballot files), the same one `python -m ideation.recount --json`
    prints for the downloaded ballots.
    """

    __tablename__ = "vote_results"
    __table_args__ = (
        UniqueConstraint("challenge_id", name="uq_vote_results_challenge_id"),
        CheckConstraint("winners_count >= 1", name="winners_count_positive"),
        CheckConstraint("ballots_count >= 0", name="ballots_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(20))
    winners_count: Mapped[int] = mapped_column()
    candidate_ids: Mapped[list[int]] = mapped_column(JSON)
    candidate_names: Mapped[list[str]] = mapped_column(JSON)
    ranking: Mapped[list[list[int]]] = mapped_column(JSON)
    winners: Mapped[list[int]] = mapped_column(JSON)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    tie_break: Mapped[list[str]] = mapped_column(JSON)
    tie_break_used: Mapped[bool] = mapped_column(default=False)
    digest: Mapped[str] = mapped_column(String(64))
    ballots_count: Mapped[int] = mapped_column()
    eligible_count: Mapped[int] = mapped_column()
    # Who took part per channel and per residence, counted at the close
    # (services.vote_turnout gives the shape); NULL only if the backfill of 0029 missed it.
    turnout: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the voters were told (by the queued job, after the close committed): a second
    # run of the job finds it set and tells nobody twice.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    challenge: Mapped[Challenge] = relationship()

    def __repr__(self) -> str:
        return f"<VoteResult challenge={self.challenge_id} {self.method}>"


class VoteFile(Model):
    """A published ballot file (CSV, PrefLib, BLT), written once after the close.

    Kept in the database so that every app server serves the same bytes; `digest` is
    the result's, and the ETag is derived from it and the file's own hash.
    """

    __tablename__ = "vote_files"
    __table_args__ = (
        UniqueConstraint("challenge_id", "kind", name="uq_vote_files_challenge_id_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # csv, blt or preflib
    extension: Mapped[str] = mapped_column(String(10))  # csv, blt, soc, soi, toc or toi
    digest: Mapped[str] = mapped_column(String(64))
    etag: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
