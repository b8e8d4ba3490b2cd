"""In-app notifications and each user's e-mail preference per kind."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideation.db_types import UTCDateTime, utcnow
from ideation.extensions import Model


class NotificationKind(StrEnum):
    IDEA_PUBLISHED = "idea_published"
    IDEA_REJECTED = "idea_rejected"
    IDEA_HIDDEN = "idea_hidden"
    IDEA_MERGED = "idea_merged"
    IDEA_SHORTLISTED = "idea_shortlisted"
    IDEA_ANSWERED = "idea_answered"
    COMMENT_ON_MY_IDEA = "comment_on_my_idea"
    REPLY_TO_MY_COMMENT = "reply_to_my_comment"
    COMMENT_HIDDEN = "comment_hidden"
    VOTE_OPENED = "vote_opened"
    VOTE_CLOSED = "vote_closed"
    PILOT_UPDATE = "pilot_update"
    TEAM_MESSAGE = "team_message"  # a message of the team to a scope (ideation/outreach)
    WORKSHOP_PROMOTED = "workshop_promoted"  # a place freed up: off the waiting list
    WORKSHOP_REMINDER = "workshop_reminder"  # the day before a workshop one registered for


class Delivery(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"  # the default: fewer e-mails (Decidim users complain of e-mail fatigue)
    NEVER = "never"


def _enum(cls, length: int = 30):  # type: ignore[no-untyped-def]
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Notification(Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_digest_pending_user_id", "digest_pending", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_pending: Mapped[bool] = mapped_column(default=False)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who caused it, when the title names a person: the name is rendered from the user
    # row at display time (never stored here), so an erasure reaches every notification.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")

    @property
    def display_title(self) -> str:
        """The title, with the actor's current name for the kinds that name someone."""
        if self.kind == NotificationKind.REPLY_TO_MY_COMMENT and self.actor is not None:
            from flask_babel import gettext

            return gettext("%(name)s a répondu à votre commentaire", name=self.actor.display_name)
        return self.title


class NotificationPreference(Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    delivery: Mapped[Delivery] = mapped_column(_enum(Delivery, 10), default=Delivery.DIGEST)
