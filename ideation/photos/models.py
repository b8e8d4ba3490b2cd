"""A photo belongs to one owner, named by its kind and id, so any area can take photos."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model

ALT_MAX = 250


class PhotoOwner(enum.StrEnum):
    """What a photo illustrates. A new kind (workshop minutes): one value here and its
    entry in `ideation.photos.services.OWNERS`, registered by the area that owns it."""

    IDEA = "idea"
    PILOT_UPDATE = "pilot_update"
    WORKSHOP = "workshop"  # the minutes of a workshop (a non-native enum: no DDL)


def new_token() -> str:
    """The photo's public name in URLs and in the store: random, never the user's file name."""
    return secrets.token_hex(12)


class Photo(Model):
    __tablename__ = "photos"
    __table_args__ = (
        Index("ix_photos_owner", "owner_kind", "owner_id"),
        Index("ix_photos_uploader_id", "uploader_id"),
        CheckConstraint("width > 0 AND height > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)
    owner_kind: Mapped[PhotoOwner] = mapped_column(
        Enum(
            PhotoOwner, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        )
    )
    owner_id: Mapped[int] = mapped_column()
    # Erasure deletes the person's photos (ideation.privacy); SET NULL only guards the rest.
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    alt_text: Mapped[str] = mapped_column(String(ALT_MAX))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    # The smaller widths made by the resize job, e.g. "320,640,1024"; empty until it ran.
    variant_widths: Mapped[str] = mapped_column(String(60), default="")
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploader: Mapped[User | None] = relationship()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def widths(self) -> list[int]:
        """Every width the store holds, smallest first (the full one last)."""
        made = [int(w) for w in self.variant_widths.split(",") if w]
        return sorted({*made, self.width})

    @property
    def folder(self) -> str:
        return f"photos/{self.token}"

    def key(self, width: int | None = None) -> str:
        """The store's key of this photo at a width (the full width when None)."""
        if width is None or width == self.width:
            return f"{self.folder}/full.jpg"
        return f"{self.folder}/w{width}.jpg"

    def __repr__(self) -> str:
        return f"<Photo {self.id} {self.owner_kind}:{self.owner_id}>"

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this photo (type, id, label, organisation)."""
        # The owner's organisation, when the service that audits knows it (not a column).
        return "photo", self.id, self.alt_text, getattr(self, "audit_organisation_id", None)
