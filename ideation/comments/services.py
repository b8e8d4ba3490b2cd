"""Comments: list a thread, write, reply, edit, delete; keep the idea's counter right.

Services change models and flush; the view commits once. Notifications are sent here,
inside the same transaction as the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from flask import url_for
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select, union, update
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.comments.models import Comment
from ideation.core.loaders import or_404
from ideation.core.sanitize import plain_text, render_markdown
from ideation.db_types import utcnow
from ideation.domain.idea_states import PUBLIC
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.ideas.services import load_idea
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify

PER_PAGE = 20


@dataclass
class Thread:
    """One page of top-level comments (oldest first) and all their replies."""

    page: Pagination  # of top-level comments
    replies: dict[int, list[Comment]]


def get_comment(comment_id: int) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id).options(joinedload(Comment.author))
    )


def load_comment(comment_id: int) -> tuple[Comment, Idea]:
    """A comment and its idea for a view: 404 if either is missing."""
    comment = or_404(get_comment(comment_id))
    return comment, load_idea(comment.idea_id)


def thread(idea_id: int, page: int = 1) -> Thread:
    """Three queries whatever the number of comments: count, the page, the replies."""
    top = db.paginate(
        select(Comment)
        .where(Comment.idea_id == idea_id, Comment.parent_id.is_(None))
        .options(joinedload(Comment.author).joinedload(User.residence))
        .order_by(Comment.created_at, Comment.id),
        page=max(page, 1),
        per_page=PER_PAGE,
        error_out=False,
    )
    replies: dict[int, list[Comment]] = {c.id: [] for c in top.items}
    if replies:
        for reply in db.session.scalars(
            select(Comment)
            .where(Comment.parent_id.in_(list(replies)))
            .options(joinedload(Comment.author).joinedload(User.residence))
            .order_by(Comment.created_at, Comment.id)
        ):
            # The query selects replies only, whose parent_id is set.
            replies[cast(int, reply.parent_id)].append(reply)
    return Thread(page=top, replies=replies)


def recount(idea_id: int) -> None:
    """Visible comments (not deleted, not hidden) of an idea; recounted, never +1/-1."""
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(
            comments_count=select(func.count())
            .select_from(Comment)
            .where(
                Comment.idea_id == idea_id,
                Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None),
            )
            .scalar_subquery()
        )
        .execution_options(synchronize_session=False)
    )


def _clean(body: str) -> str:
    return (body or "").replace("\r\n", "\n").strip()


def comment_link(comment: Comment) -> str:
    return url_for("ideas.show", idea_id=comment.idea_id, _anchor=f"commentaire-{comment.id}")


def excerpt(comment: Comment, length: int = 140) -> str:
    text = plain_text(comment.body_html)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def add_comment(idea: Idea, author: User, body: str, parent: Comment | None = None) -> Comment:
    """A new comment (or a reply to a top-level comment); tells the idea's author and the parent's."""
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)  # one level of replies only
    source = _clean(body)
    comment = Comment(
        idea_id=idea.id,
        parent_id=parent.id if parent else None,
        author_id=author.id,
        body_source=source,
        body_html=render_markdown(source),
        created_at=utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    recount(idea.id)
    link = comment_link(comment)
    told: set[int] = {author.id}
    if parent is not None and parent.author is not None and parent.author_id not in told:
        notify(
            parent.author,
            NotificationKind.REPLY_TO_MY_COMMENT,
            _("Réponse à votre commentaire"),  # the name is rendered from `actor`
            link,
            body=excerpt(comment),
            actor=author,
        )
        told.add(parent.author.id)
    if idea.author is not None and idea.author_id not in told:
        notify(
            idea.author,
            NotificationKind.COMMENT_ON_MY_IDEA,
            _("Nouveau commentaire sur votre idée « %(title)s »", title=idea.title),
            link,
            body=excerpt(comment),
        )
    db.session.flush()
    return comment


def edit_comment(comment: Comment, body: str) -> None:
    """The author corrects their comment; it then shows "modifié"."""
    source = _clean(body)
    if source == comment.body_source:
        return
    comment.body_source = source
    comment.body_html = render_markdown(source)
    comment.edited_at = utcnow()
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """The author deletes their comment: the text goes, the replies stay."""
    comment.deleted_at = utcnow()
    comment.body_source = ""
    comment.body_html = ""
    db.session.flush()
    recount(comment.idea_id)


def challenge_participants(challenge_id: int) -> list[User]:
    """Everyone who took part in a challenge: authors of public ideas, supporters, commenters."""
    ideas = select(Idea.id).where(Idea.challenge_id == challenge_id)
    ids = union(
        select(Idea.author_id.label("uid")).where(
            Idea.challenge_id == challenge_id, Idea.status.in_(PUBLIC)
        ),
        select(Support.user_id.label("uid")).where(Support.idea_id.in_(ideas)),
        select(Comment.author_id.label("uid")).where(
            Comment.idea_id.in_(ideas), Comment.deleted_at.is_(None)
        ),
    ).subquery()
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(select(ids.c.uid)), User.active.is_(True))
            .order_by(User.id)
        )
    )


def age_seconds(comment: Comment, now: datetime | None = None) -> float:
    return ((now or utcnow()) - comment.created_at).total_seconds()
