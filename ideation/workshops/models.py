"""Workshops (ateliers, rencontres) and their registrations.

The places taken are a counter on the workshop (`registered_count`), moved only by
conditional UPDATEs and bounded by a CHECK, so concurrent registrations never exceed
the capacity (docs/security.md). The waiting list is the registrations in the waiting
status, in the order they came (`queued_at`, then id).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.workshops import HOLDS_PLACE, RegistrationStatus, places_left
from ideation.extensions import Model, db
from ideation.fabrique.models import Edition, House
from ideation.orgs.models import Residence

workshop_challenges = Table(
    "workshop_challenges",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "challenge_id",
        ForeignKey("challenges.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

workshop_hosts = Table(
    "workshop_hosts",
    db.metadata,
    Column("workshop_id", ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Workshop(Model):
    """An in-person session: place, time, capacity, hosts, registrations, minutes."""

    __tablename__ = "workshops"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint(
            "registered_count >= 0 AND registered_count <= capacity", name="places_within_capacity"
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_workshops_starts_at", "starts_at"),
        Index("ix_workshops_edition_id", "edition_id"),
        Index("ix_workshops_house_id", "house_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("editions.id", ondelete="SET NULL"))
    house_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    # The place: a residence's common room (residence + room), or a free address.
    residence_id: Mapped[int | None] = mapped_column(
        ForeignKey("residences.id", ondelete="SET NULL")
    )
    room: Mapped[str] = mapped_column(String(160), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column()
    registered_count: Mapped[int] = mapped_column(default=0)
    minutes_source: Mapped[str] = mapped_column(Text, default="")
    minutes_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    edition: Mapped[Edition | None] = relationship()
    house: Mapped[House | None] = relationship()
    residence: Mapped[Residence | None] = relationship()
    challenges: Mapped[list[Challenge]] = relationship(
        secondary=workshop_challenges, order_by="Challenge.title"
    )
    hosts: Mapped[list[User]] = relationship(secondary=workshop_hosts, order_by="User.display_name")

    @property
    def host_ids(self) -> frozenset[int]:
        return frozenset(u.id for u in self.hosts)

    @property
    def places_left(self) -> int:
        return places_left(self.capacity, self.registered_count)

    def started(self, now: datetime) -> bool:
        return now >= self.starts_at

    def ended(self, now: datetime) -> bool:
        return now >= self.ends_at

    @property
    def place_label(self) -> str:
        """Where, in one line: "Salle commune, Les Tilleuls (Villeurbanne)" or the address."""
        parts = [p for p in (self.room, self.residence.label if self.residence else "") if p]
        if self.address:
            parts.append(self.address)
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"<Workshop {self.id}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this workshop (type, id, label, organisation)."""
        organisation = self.residence.organisation_id if self.residence else None
        return "workshop", self.id, self.title, organisation


class WorkshopRegistration(Model):
    """One person's place (or turn in line) at one workshop; one row per person."""

    __tablename__ = "workshop_registrations"
    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        Index("ix_workshop_registrations_line", "workshop_id", "status", "queued_at"),
        Index("ix_workshop_registrations_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(
        Enum(
            RegistrationStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person (last) joined: the order of the waiting list.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The reminder of the day before, once: the routine claims the row by setting it.
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE
