"""The dashboard's summary tables, rebuilt by the queue (ideation/dashboard/aggregates.py).

No foreign keys: the tables are a disposable copy of counts, rewritten whole at each
refresh, so a deleted organisation or challenge only lingers until the next one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ideation.db_types import UTCDateTime
from ideation.extensions import Model


class DashboardCount(Model):
    """How many of `kind` count for one organisation and one residence (grain "r"), one
    challenge (grain "c") or one idea status (grain "s", kind "status", for the funnel).

    `day` NULL: the all-time total (what the dashboard shows, bounded by organisations x
    residences or challenges, not by history); `day` set: the same count for that UTC
    day, read only when a date range is asked. Kinds: account (grain "r" only, all-time),
    idea, comment, ballot (activity, by the author's current residence), status.

    Grains "p" (one organisation) and "q" (every organisation) hold distinct
    participants, all-time, for the participation rates (ideation/dashboard/participation.py):
    kind "residence" per residence (`residence_id`), for all editions (`edition_id` NULL)
    and for each edition; kind "edition" and "house" per edition or house (`group_id`)."""

    __tablename__ = "dashboard_counts"
    __table_args__ = (Index("ix_dashboard_counts_scope", "grain", "day", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(String(1))
    organisation_id: Mapped[int | None] = mapped_column()
    challenge_id: Mapped[int | None] = mapped_column()
    residence_id: Mapped[int | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str | None] = mapped_column(String(20))
    day: Mapped[date | None] = mapped_column(Date)
    edition_id: Mapped[int | None] = mapped_column()
    group_id: Mapped[int | None] = mapped_column()
    n: Mapped[int] = mapped_column(default=0)


class DashboardActive(Model):
    """When each person last proposed, supported, commented or voted, per organisation
    it counted for, and once more with `everyone` (organisation NULL) for the regional
    level: the "active participants" figure is then a count over one index range."""

    __tablename__ = "dashboard_active"
    __table_args__ = (Index("ix_dashboard_active_scope", "everyone", "organisation_id", "last_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    everyone: Mapped[bool] = mapped_column()
    organisation_id: Mapped[int | None] = mapped_column()
    user_id: Mapped[int] = mapped_column()
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DashboardRefresh(Model):
    """One row per refresh: when it ran (the figures are as of `refreshed_at`)."""

    __tablename__ = "dashboard_refreshes"

    id: Mapped[int] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    rows: Mapped[int] = mapped_column(default=0)
