"""An assisted account's record: who opened it, the consent given, the claim code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.auth.models import User
from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model
from ideation.workshops.models import Workshop


class AssistedAccount(Model):
    """One per assisted account (users row with a placeholder e-mail), kept after the claim
    as the record of the consent."""

    __tablename__ = "assisted_accounts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    phone: Mapped[str] = mapped_column(String(30), default="")
    # The exact French wording shown to the host and agreed to by the person.
    consent_wording: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # SHA-256 of the card's code while it may still be used; emptied by the claim.
    claim_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    claim_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    workshop: Mapped[Workshop | None] = relationship()

    @property
    def claimable(self) -> bool:
        return self.claim_hash is not None

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """Audited as the account itself."""
        return self.user.audit_target()
