"""What the idea page needs from comments and moderation, in a fixed number of queries."""

from __future__ import annotations

from ideation.comments import services
from ideation.comments.forms import CommentForm
from ideation.db_types import utcnow
from ideation.domain.permissions import Actor
from ideation.ideas.models import Idea
from ideation.moderation import services as moderation


def idea_page_extras(idea: Idea, actor: Actor, page: int = 1) -> dict:
    """The comment thread, the team's answer and what the viewer already reported."""
    thread = services.thread(idea.id, page)
    comment_ids = [c.id for c in thread.page.items] + [
        r.id for rs in thread.replies.values() for r in rs
    ]
    reported_comments = (
        moderation.has_reported(actor.id, comment_ids=comment_ids)
        if actor.is_authenticated
        else set()
    )
    reported_idea = (
        bool(moderation.has_reported(actor.id, idea_id=idea.id))
        if actor.is_authenticated
        else False
    )
    return {
        "thread": thread,
        "comment_form": CommentForm(),
        "reported_comments": reported_comments,
        "reported_idea": reported_idea,
        "team_answer": moderation.answer_of(idea.id),
        "now": utcnow(),
    }
