"""A site page as an administrator rewrote it, one row per page and language.

Until an administrator saves one, the page shows the text shipped with the code
(`ideation/pages/content.py`), so a new installation has all four pages at once.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ideation.db_types import UTCDateTime
from ideation.extensions import Model


class SitePageKind(enum.StrEnum):
    ACCESSIBILITY = "accessibility"
    HELP = "help"
    LEGAL = "legal"
    ABOUT = "about"


class SitePage(Model):
    __tablename__ = "site_pages"
    __table_args__ = (UniqueConstraint("kind", "locale", name="uq_site_pages_kind_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SitePageKind] = mapped_column(
        Enum(
            SitePageKind,
            name="site_page_kind",
            native_enum=False,
            length=20,
            values_callable=lambda kinds: [k.value for k in kinds],
        )
    )
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(120))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who rewrote it last, for the record (the audit journal has each change).
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def audit_target(self) -> tuple[str, int | None, str, int | None]:
        """How the audit journal names this page (type, id, label, organisation)."""
        return "site_page", self.id, f"{self.title} ({self.locale})", None
