"""Organisations (landlords and the regional association), residences, invitation codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.db_types import UTCDateTime, utcnow
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import Model


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        Enum(
            OrganisationKind,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # A partner's sub-kind, shown with its badge ("Association", "Collectivité"…).
    partner_label: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    residences: Mapped[list[Residence]] = relationship(
        back_populates="organisation", order_by="Residence.name"
    )

    @property
    def is_regional(self) -> bool:
        return self.kind == OrganisationKind.REGIONAL

    @property
    def is_partner(self) -> bool:
        return self.kind == OrganisationKind.PARTNER

    @property
    def is_landlord(self) -> bool:
        return self.kind == OrganisationKind.LANDLORD

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this organisation (type, id, label, organisation)."""
        return "organisation", self.id, self.name, self.id


class Residence(Model):
    __tablename__ = "residences"
    __table_args__ = (
        Index("ix_residences_organisation_id_name", "organisation_id", "name"),
        CheckConstraint("dwellings IS NULL OR dwellings >= 0", name="dwellings_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(120))
    quartier: Mapped[str | None] = mapped_column(String(120))
    # Number of dwellings (logements): the denominator of the participation rate.
    dwellings: Mapped[int | None] = mapped_column()

    organisation: Mapped[Organisation] = relationship(back_populates="residences")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.city})"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this residence (type, id, label, organisation)."""
        return "residence", self.id, self.name, self.organisation_id


class Invitation(Model):
    """A code printed on a flyer that lets a tenant create an account."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("max_uses >= 1", name="max_uses_positive"),
        CheckConstraint("uses >= 0", name="uses_not_negative"),
        # The last line of defence behind the conditional UPDATE that takes a use.
        CheckConstraint("uses <= max_uses", name="uses_within_max"),
        Index("ix_invitations_organisation_id_created_at", "organisation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    residence_id: Mapped[int | None] = mapped_column(
        ForeignKey("residences.id", ondelete="SET NULL")
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.TENANT,
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    max_uses: Mapped[int] = mapped_column(default=1)
    uses: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    residence: Mapped[Residence | None] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.active and self.uses < self.max_uses and now < self.expires_at

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this invitation code (type, id, label, organisation)."""
        return "invitation", self.id, self.code, self.organisation_id


class Dwelling(Model):
    """One dwelling (logement) of a residence, by the landlord's own reference (never
    printed: the letters carry a number in the batch). Accounts registered with one of its
    codes are tied to it, at most DWELLING_MAX_ACCOUNTS (a conditional UPDATE holds it)."""

    __tablename__ = "dwellings"
    __table_args__ = (
        UniqueConstraint("residence_id", "reference"),
        CheckConstraint("accounts_count >= 0", name="accounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    residence_id: Mapped[int] = mapped_column(ForeignKey("residences.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(60))
    accounts_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    residence: Mapped[Residence] = relationship()


class DwellingCode(Model):
    """A single-use code put in a dwelling's letterbox: the account created with it is a
    verified household of that dwelling."""

    __tablename__ = "dwelling_codes"
    __table_args__ = (
        Index("ix_dwelling_codes_dwelling_id", "dwelling_id"),
        Index("ix_dwelling_codes_used_by_id", "used_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dwelling_id: Mapped[int] = mapped_column(ForeignKey("dwellings.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    dwelling: Mapped[Dwelling] = relationship()
