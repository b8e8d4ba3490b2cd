"""What the notifications area does when other areas announce something.

Connected by the app factory (`connect_signals`). Receivers run in the sender's
transaction, so a notification commits (or rolls back) with the action it tells of.
Senders are duck-typed (an idea has `id`, `title`, `author`; a challenge `slug` and
`title`; a pilot `id` and `title`): this area sits below them and imports none.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ideation.auth.models import User
from ideation.core.links import site_links
from ideation.core.signals import (
    idea_answered,
    idea_published,
    idea_status_changed,
    pilot_updated,
    vote_closed,
)
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.pilot_states import LABELS as PILOT_LABELS
from ideation.extensions import db
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify, notify_bulk, notify_many


def _idea_link(idea_id: int, **extra: Any) -> str:
    return url_for("ideas.show", idea_id=idea_id, **extra)


def _told_by_someone_else(idea: Any, actor: Any) -> bool:
    # The author who sends without pre-moderation publishes their own idea: no message.
    return idea.author is not None and getattr(actor, "id", None) != idea.author_id


def on_idea_published(idea: Any, actor: Any = None, **_ignored: Any) -> None:
    """The team published an idea waiting for validation: its author is told."""
    if _told_by_someone_else(idea, actor):
        notify(
            idea.author,
            NotificationKind.IDEA_PUBLISHED,
            _("Votre idée « %(title)s » est publiée", title=idea.title),
            _idea_link(idea.id),
            body=_("Tout le monde peut maintenant la lire, la soutenir et la commenter."),
        )


def on_idea_status_changed(
    idea: Any, actor: Any = None, reason: str | None = None, details: dict | None = None, **_i: Any
) -> None:
    """Refused, merged or retained for the vote: the author is told, with the reason."""
    if not _told_by_someone_else(idea, actor):
        return
    status = idea.status
    if status == IdeaStatus.REJECTED:
        notify(
            idea.author,
            NotificationKind.IDEA_REJECTED,
            _("Votre idée « %(title)s » n'est pas publiée", title=idea.title),
            _idea_link(idea.id),
            body=_("Raison : %(reason)s", reason=reason or ""),
        )
    elif status == IdeaStatus.MERGED:
        notify(
            idea.author,
            NotificationKind.IDEA_MERGED,
            _("Votre idée « %(title)s » est regroupée avec une autre", title=idea.title),
            _idea_link((details or {}).get("into", idea.id)),
            body=_("Raison : %(reason)s", reason=reason or ""),
        )
    elif status == IdeaStatus.SHORTLISTED:
        notify(
            idea.author,
            NotificationKind.IDEA_SHORTLISTED,
            _("Votre idée « %(title)s » est retenue pour le vote", title=idea.title),
            _idea_link(idea.id),
        )


def on_idea_answered(idea: Any, actor: Any = None, **_ignored: Any) -> None:
    """The team answered an idea in public: its author is told."""
    if idea.author is not None:
        notify(
            idea.author,
            NotificationKind.IDEA_ANSWERED,
            _("L'équipe a répondu à votre idée « %(title)s »", title=idea.title),
            _idea_link(idea.id, _anchor="reponse-equipe"),
        )


def on_vote_closed(
    challenge: Any, result: Any = None, voter_ids: list[int] | None = None, **_i: Any
) -> None:
    """The results are published: every voter is told, by their preference for this kind.

    Sent by the queued job that follows the close (never inside the close's lock): the
    texts are rendered once per language and the rows inserted in bulk.
    """
    if not voter_ids:
        return
    winners = [
        name
        for idea_id, name in zip(result.candidate_ids, result.candidate_names, strict=True)
        if idea_id in set(result.winners)
    ]

    def texts() -> tuple[str, str]:
        title = _("Résultats du vote : %(title)s", title=challenge.title)
        body = _("Idées retenues : %(winners)s.", winners=", ".join(winners)) if winners else ""
        return title, body

    with site_links():
        notify_bulk(
            voter_ids,
            NotificationKind.VOTE_CLOSED,
            texts,
            url_for("voting.results", slug=challenge.slug),
        )


def on_pilot_updated(
    pilot: Any, update: Any = None, follower_ids: list[int] | None = None, **_i: Any
) -> None:
    """A point d'étape on a pilot: its followers (not the author) are told."""
    if not follower_ids:
        return
    users = db.session.scalars(select(User).where(User.id.in_(follower_ids))).all()
    body = (
        _("Nouveau statut : %(status)s.", status=_(PILOT_LABELS[update.new_status]))
        if update.new_status
        else ""
    )
    with site_links():
        notify_many(
            users,
            NotificationKind.PILOT_UPDATE,
            _("Du nouveau sur le projet pilote « %(title)s »", title=pilot.title),
            url_for("pilots.show", pilot_id=pilot.id, _anchor=f"etape-{update.id}"),
            body,
        )


def connect_signals() -> None:
    """Subscribe the notifications to what other areas announce (called by the app
    factory; module-level receivers, so building several apps never connects twice)."""
    idea_published.connect(on_idea_published)
    idea_status_changed.connect(on_idea_status_changed)
    idea_answered.connect(on_idea_answered)
    vote_closed.connect(on_vote_closed)
    pilot_updated.connect(on_pilot_updated)
