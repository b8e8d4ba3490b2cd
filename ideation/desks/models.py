"""Voting desks, their assessors, the paper sheets of their urns and each sheet's entries.

A desk belongs to one vote (challenge), optionally to the workshop it is held at. Its
closure record (procès-verbal) is computed from the rows below and frozen, as JSON,
when the desk closes (`record`), so later changes (an account deleted) never alter it.
A sheet's code and candidate order are derived from its id (ideation/domain/codes.py,
ideation/domain/voting/order.py): nothing printed needs a column.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.desks import EntryKind, SheetStatus
from ideation.extensions import Model, db
from ideation.workshops.models import Workshop


def _values(enum: type) -> list[str]:
    return [m.value for m in enum]  # type: ignore[attr-defined]


desk_assessors = Table(
    "desk_assessors",
    db.metadata,
    Column("desk_id", ForeignKey("vote_desks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class VoteDesk(Model):
    """A voting desk opened by a facilitator for one vote, at a workshop or an office."""

    __tablename__ = "vote_desks"
    __table_args__ = (
        Index("ix_vote_desks_challenge_id", "challenge_id"),
        Index("ix_vote_desks_workshop_id", "workshop_id"),
        CheckConstraint("sheets_received >= 0", name="sheets_received_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(160))  # "Loge des Tilleuls", "Atelier du 12 mars"
    place: Mapped[str] = mapped_column(String(300), default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Sheets found in the urn when it is opened, counted by hand at the close.
    sheets_received: Mapped[int | None] = mapped_column()
    # The closure record, frozen when the last sheet is settled (see the module docstring).
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    record_frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    challenge: Mapped[Challenge] = relationship()
    workshop: Mapped[Workshop | None] = relationship()
    assessors: Mapped[list[User]] = relationship(
        secondary=desk_assessors, order_by="User.display_name"
    )

    @property
    def assessor_ids(self) -> frozenset[int]:
        return frozenset(u.id for u in self.assessors)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this desk (type, id, label, organisation)."""
        return "desk", self.id, self.name, self.challenge.organisation_id

    def __repr__(self) -> str:
        return f"<VoteDesk {self.id} challenge={self.challenge_id}>"


class PaperSheet(Model):
    """A printed ballot sheet of a desk; its status follows its entries."""

    __tablename__ = "paper_sheets"
    __table_args__ = (
        Index("ix_paper_sheets_desk_id_status", "desk_id", "status"),
        Index("ix_paper_sheets_challenge_id", "challenge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("vote_desks.id", ondelete="CASCADE"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    # The receipt printed on the sheet's stub, which the voter keeps (ballots.receipt).
    receipt: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[SheetStatus] = mapped_column(
        Enum(SheetStatus, native_enum=False, length=20, values_callable=_values),
        default=SheetStatus.PRINTED,
    )
    # The ballot the sheet became once its entries agreed (paper channel, no voter).
    ballot_id: Mapped[int | None] = mapped_column(
        ForeignKey("ballots.id", ondelete="SET NULL"), unique=True
    )
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    desk: Mapped[VoteDesk] = relationship()
    entries: Mapped[list[SheetEntry]] = relationship(
        order_by="SheetEntry.reading", back_populates="sheet"
    )


class SheetEntry(Model):
    """One assessor's reading of one sheet: first, second (independent) or third."""

    __tablename__ = "sheet_entries"
    __table_args__ = (
        UniqueConstraint("sheet_id", "reading", name="uq_sheet_entries_sheet_id_reading"),
        CheckConstraint("reading BETWEEN 1 AND 3", name="reading_first_to_third"),
        Index("ix_sheet_entries_assessor_id", "assessor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("paper_sheets.id", ondelete="CASCADE"))
    reading: Mapped[int] = mapped_column()
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[EntryKind] = mapped_column(
        Enum(EntryKind, native_enum=False, length=10, values_callable=_values)
    )
    # Tie groups of idea ids, as a ballot's ranking (empty unless `kind` is ranked).
    ranking: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sheet: Mapped[PaperSheet] = relationship(back_populates="entries")
    assessor: Mapped[User | None] = relationship()
