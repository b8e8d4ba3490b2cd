"""Editions of the Fabrique and the houses (maisons) of each edition.

A house is what the first version called a theme: the table keeps its name `themes` and
the `theme_id` columns of challenges and ideas keep theirs, so ideas (whose SQLite table
carries the full-text triggers) need no rebuild. In the code it is a `House`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model, db
from ideation.orgs.models import Organisation

# A colour is "#" and six hex digits, nothing else: it goes into a style attribute.
COLOUR_CHECK = "colour IS NULL OR length(colour) = 7"


class Edition(Model):
    """One biennial Fabrique ("Fabrique 2026"): dates, place, description and programme."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(160), default="")
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    programme_source: Mapped[str] = mapped_column(Text, default="")
    programme_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    houses: Mapped[list[House]] = relationship(
        back_populates="edition", order_by="(House.position, House.name)"
    )

    def __repr__(self) -> str:
        return f"<Edition {self.slug}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this edition (type, id, label, organisation)."""
        return "edition", self.id, self.name, None


house_facilitators = Table(
    "house_facilitators",
    db.metadata,
    Column("house_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The lead restricts these to partner organisations once the "partenaire" kind exists.
house_partners = Table(
    "house_partners",
    db.metadata,
    Column("house_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class House(Model):
    """A house (maison) of an edition: a theme with its facilitators and partners."""

    __tablename__ = "themes"
    __table_args__ = (
        CheckConstraint(COLOUR_CHECK, name="colour_hex"),
        Index("ix_themes_edition_id", "edition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("editions.id", ondelete="RESTRICT"))
    description_source: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised at save
    colour: Mapped[str | None] = mapped_column(String(7))  # "#1f6f5c", validated
    pictogram: Mapped[str | None] = mapped_column(String(20))  # a key of PICTOGRAMS

    edition: Mapped[Edition | None] = relationship(back_populates="houses")
    facilitators: Mapped[list[User]] = relationship(
        secondary=house_facilitators, order_by="User.display_name"
    )
    partners: Mapped[list[Organisation]] = relationship(
        secondary=house_partners, order_by="Organisation.name"
    )

    def __repr__(self) -> str:
        return f"<House {self.slug}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this house (type, id, label, organisation)."""
        return "house", self.id, self.name, None
