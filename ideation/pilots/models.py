"""Pilot projects, their updates (points d'étape), indicators with values over time, followers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.pilot_states import PilotStatus
from ideation.extensions import Model, db
from ideation.fabrique.models import Edition, House
from ideation.ideas.models import Idea
from ideation.orgs.models import Organisation, Residence

TITLE_MAX = 160
MONEY = Numeric(12, 2)  # euros, cents exact: handed back as Decimal
MEASURE = Numeric(14, 2)


def _status_enum():  # type: ignore[no-untyped-def]
    return Enum(
        PilotStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
    )


pilot_residences = Table(
    "pilot_residences",
    db.metadata,
    Column("pilot_id", ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "residence_id",
        ForeignKey("residences.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


# The partners who co-lead a pilot with its landlord (issue 12): shown on its page and
# in the exports; they gain no right over it.
pilot_partners = Table(
    "pilot_partners",
    db.metadata,
    Column("pilot_id", ForeignKey("pilots.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Pilot(Model):
    __tablename__ = "pilots"
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
        CheckConstraint("budget_planned >= 0", name="budget_planned_not_negative"),
        CheckConstraint("budget_spent >= 0", name="budget_spent_not_negative"),
        Index("ix_pilots_organisation_id_status", "organisation_id", "status"),
        Index("ix_pilots_status_planned_end", "status", "planned_end"),
        Index("ix_pilots_challenge_id", "challenge_id"),
        Index("ix_pilots_house_id", "house_id"),
        Index("ix_pilots_edition_id", "edition_id"),
        # One copy per landlord of a pilot: the database refuses a second adoption.
        UniqueConstraint(
            "adopted_from_id", "organisation_id", name="uq_pilots_adopted_from_id_organisation_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    # The originating idea (the others, merged or grouped with it, are in pilot_ideas).
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The house and edition it belongs to: set at promotion, copied at adoption.
    house_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("editions.id", ondelete="SET NULL"))
    # The pilot this one takes up (reprise), always the original, never a copy of a copy.
    adopted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    status: Mapped[PilotStatus] = mapped_column(_status_enum(), default=PilotStatus.PROPOSED)
    status_reason: Mapped[str | None] = mapped_column(Text)  # why it stopped, public
    progress: Mapped[int] = mapped_column(default=0)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    budget_planned: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    budget_spent: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    # "Ce que nous avons appris", written at evaluation; each sanitised at save.
    lessons_source: Mapped[str] = mapped_column(Text, default="")
    lessons_html: Mapped[str] = mapped_column(Text, default="")
    costs_source: Mapped[str] = mapped_column(Text, default="")
    costs_html: Mapped[str] = mapped_column(Text, default="")
    conditions_source: Mapped[str] = mapped_column(Text, default="")
    conditions_html: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    house: Mapped[House | None] = relationship()
    edition: Mapped[Edition | None] = relationship()
    adopted_from: Mapped[Pilot | None] = relationship(remote_side=[id])
    idea: Mapped[Idea | None] = relationship()
    challenge: Mapped[Challenge | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    residences: Mapped[list[Residence]] = relationship(
        secondary=pilot_residences, order_by="Residence.name"
    )
    partners: Mapped[list[Organisation]] = relationship(
        secondary=pilot_partners, order_by="Organisation.name"
    )

    def __repr__(self) -> str:
        return f"<Pilot {self.id} {self.status}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this pilot (type, id, label, organisation)."""
        return "pilot", self.id, self.title, self.organisation_id


class PilotIdea(Model):
    """The ideas a pilot carries out: its originating idea and any grouped with it.

    An idea becomes at most one pilot (unique idea_id)."""

    __tablename__ = "pilot_ideas"
    __table_args__ = (
        UniqueConstraint("idea_id", name="uq_pilot_ideas_idea_id"),
        Index("ix_pilot_ideas_pilot_id", "pilot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))

    idea: Mapped[Idea] = relationship()


class PilotUpdate(Model):
    """A point d'étape: a dated entry on the timeline, maybe moving the status or progress."""

    __tablename__ = "pilot_updates"
    __table_args__ = (
        CheckConstraint(
            "new_progress IS NULL OR (new_progress >= 0 AND new_progress <= 100)",
            name="new_progress_percent",
        ),
        Index("ix_pilot_updates_pilot_id_happened_on", "pilot_id", "happened_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    happened_on: Mapped[date] = mapped_column(Date)
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    new_status: Mapped[PilotStatus | None] = mapped_column(_status_enum())
    new_progress: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="update", order_by="IndicatorValue.id"
    )


class Indicator(Model):
    """A measured value of a pilot, with its starting point and its target."""

    __tablename__ = "pilot_indicators"
    __table_args__ = (
        UniqueConstraint("pilot_id", "name", name="uq_pilot_indicators_pilot_id_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(30), default="")
    baseline: Mapped[Decimal | None] = mapped_column(MEASURE)
    target: Mapped[Decimal | None] = mapped_column(MEASURE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", order_by="(IndicatorValue.measured_on, IndicatorValue.id)"
    )


class IndicatorValue(Model):
    __tablename__ = "pilot_indicator_values"
    __table_args__ = (
        Index("ix_pilot_indicator_values_indicator_id_measured_on", "indicator_id", "measured_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("pilot_indicators.id", ondelete="CASCADE"))
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilot_updates.id", ondelete="SET NULL")
    )
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(MEASURE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    update: Mapped[PilotUpdate | None] = relationship(back_populates="values")


class PilotFollower(Model):
    """Someone told of each update; filled at promotion, then follow/unfollow by hand."""

    __tablename__ = "pilot_followers"
    __table_args__ = (
        UniqueConstraint("pilot_id", "user_id", name="uq_pilot_followers_pilot_id_user_id"),
        Index("ix_pilot_followers_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VolunteerOffer(Model):
    """« Je veux aider »: a participant's offer of help on an idea or on a pilot.

    One offer per person per idea and per pilot (the unique constraints settle double
    clicks and races); exactly one of idea_id and pilot_id is set. Erasure deletes them."""

    __tablename__ = "volunteer_offers"
    __table_args__ = (
        UniqueConstraint("user_id", "idea_id", name="uq_volunteer_offers_user_id_idea_id"),
        UniqueConstraint("user_id", "pilot_id", name="uq_volunteer_offers_user_id_pilot_id"),
        CheckConstraint("(idea_id IS NULL) <> (pilot_id IS NULL)", name="idea_or_pilot"),
        Index("ix_volunteer_offers_idea_id", "idea_id"),
        Index("ix_volunteer_offers_pilot_id", "pilot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
