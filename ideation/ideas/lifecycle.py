"""The idea lifecycle: the one home of every status change of an idea.

Send, withdraw, publish, reject, merge, shortlist, select, not selected, piloted: each
goes through `move()`, which applies the domain transition (TransitionRefused before
anything is touched), writes the audit row and announces the change
(`core.signals.idea_status_changed`, and `idea_published` when the idea becomes
public). The notifications area listens and tells the author. The team's answer lives
here too, because it is part of how an idea is treated. Services flush; the view (or
the vote's close) commits once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import joinedload

from ideation.core.audit import audit
from ideation.core.sanitize import render_markdown
from ideation.core.signals import idea_answered, idea_published, idea_status_changed
from ideation.db_types import utcnow
from ideation.domain.idea_states import IdeaStatus, TransitionRefused, next_status, submission_path
from ideation.extensions import db
from ideation.ideas.models import Idea, IdeaAnswer, Support
from ideation.ideas.services import flag_likely_duplicate, recount_supports

# The audit journal's action for each status an idea can move into.
AUDIT_ACTIONS = {
    IdeaStatus.SUBMITTED: "idea.submit",
    IdeaStatus.PUBLISHED: "idea.publish",
    IdeaStatus.REJECTED: "idea.reject",
    IdeaStatus.MERGED: "idea.merge",
    IdeaStatus.SHORTLISTED: "idea.shortlist",
    IdeaStatus.SELECTED: "idea.select",
    IdeaStatus.NOT_SELECTED: "idea.not_select",
    IdeaStatus.PILOTED: "idea.pilot",
    IdeaStatus.WITHDRAWN: "idea.withdraw",
}


def check(idea: Idea, target: IdeaStatus, reason: str | None = None) -> None:
    """Refuse (TransitionRefused) a move the graph forbids, without changing anything."""
    next_status(idea.status, target, reason)


def move(
    idea: Idea,
    target: IdeaStatus,
    *,
    actor: Any = None,
    reason: str | None = None,
    details: dict | None = None,
) -> None:
    """Move an idea along its machine: transition, audit row, signals.

    `actor` is the User who acted, or None when the platform did (the vote's close).
    """
    previous = idea.status
    idea.status = next_status(previous, target, reason)
    now = utcnow()
    if target == IdeaStatus.SUBMITTED:
        idea.submitted_at = now
    elif target == IdeaStatus.PUBLISHED:
        idea.published_at = now
    if reason:
        idea.status_reason = reason
    db.session.flush()
    audit(actor, AUDIT_ACTIONS[target], idea, reason or "", details=details)
    idea_status_changed.send(idea, actor=actor, previous=previous, reason=reason, details=details)
    if target == IdeaStatus.PUBLISHED:
        idea_published.send(idea, actor=actor)


def send(idea: Idea, author: Any) -> IdeaStatus:
    """The author sends their draft: pending validation, or published at once without pre-moderation."""
    for target in submission_path(idea.challenge.premoderation):
        move(idea, target, actor=author)
    if idea.status == IdeaStatus.SUBMITTED:
        flag_likely_duplicate(idea)
    return idea.status


def withdraw(idea: Idea, author: Any) -> None:
    """The author takes their idea back; nobody else sees it any more."""
    move(idea, IdeaStatus.WITHDRAWN, actor=author)


def publish(actor: Any, idea: Idea) -> None:
    """A facilitator publishes an idea that was waiting for validation; its author is told."""
    move(idea, IdeaStatus.PUBLISHED, actor=actor)


def reject(actor: Any, idea: Idea, reason: str) -> None:
    """Refuse an idea waiting for validation, with the reason shown to its author."""
    move(idea, IdeaStatus.REJECTED, actor=actor, reason=reason.strip())


# What an idea may be merged into: a public idea still in the running.
MERGE_TARGET_STATUSES = frozenset({IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED})


def merge_targets(idea: Idea) -> list[Idea]:
    """The ideas of the same challenge this one may be merged into."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(
                Idea.challenge_id == idea.challenge_id,
                Idea.id != idea.id,
                Idea.status.in_(MERGE_TARGET_STATUSES),
                Idea.hidden_at.is_(None),
            )
            .order_by(Idea.title, Idea.id)
        )
    )


def merge(actor: Any, idea: Idea, target: Idea, reason: str) -> int:
    """Merge `idea` into `target`: its supporters back the target (someone who backed both
    counts once), its comments stay readable, its author is told. Returns supports moved."""
    if (
        target.id == idea.id
        or target.challenge_id != idea.challenge_id
        or target not in merge_targets(idea)
    ):
        raise TransitionRefused("Choisissez une autre idée publiée du même défi.")
    check(idea, IdeaStatus.MERGED, reason.strip())
    idea.merged_into_id = target.id
    # In SQL: supporters of the source who do not already support the target.
    already = select(Support.user_id).where(Support.idea_id == target.id)
    newcomers = (Support.idea_id == idea.id, Support.user_id.not_in(already))
    # Counted first: drivers disagree on the rowcount of INSERT … SELECT.
    moved = db.session.scalar(select(func.count()).select_from(Support).where(*newcomers)) or 0
    db.session.execute(
        insert(Support).from_select(
            ["idea_id", "user_id", "created_at"],
            select(literal(target.id), Support.user_id, Support.created_at).where(*newcomers),
        )
    )
    recount_supports(target.id)
    db.session.flush()
    db.session.refresh(target, ["supports_count"])
    move(
        idea,
        IdeaStatus.MERGED,
        actor=actor,
        reason=reason.strip(),
        details={"into": target.id, "into_title": target.title[:120], "supports_moved": moved},
    )
    return moved


def shortlist(actor: Any, idea: Idea, answer: str = "") -> None:
    """Retain a published idea for the vote, with an optional public answer."""
    move(idea, IdeaStatus.SHORTLISTED, actor=actor)
    if answer and answer.strip():
        set_answer(actor, idea, answer)


def settle_vote(ideas: list[Idea], winners: set[int]) -> None:
    """At the vote's close: the winners are selected, the other shortlisted ideas are not."""
    for idea in ideas:
        target = IdeaStatus.SELECTED if idea.id in winners else IdeaStatus.NOT_SELECTED
        move(idea, target)


def check_pilot(ideas: list[Idea]) -> None:
    """Refuse before any change if one of these ideas cannot become a pilot."""
    for idea in ideas:
        check(idea, IdeaStatus.PILOTED)


def pilot(actor: Any, ideas: list[Idea], pilot_id: int) -> None:
    """These ideas became (part of) a pilot project."""
    for idea in ideas:
        move(idea, IdeaStatus.PILOTED, actor=actor, details={"pilot": pilot_id})


# --- the team's answer ------------------------------------------------------------------


def answer_of(idea_id: int) -> IdeaAnswer | None:
    """The team's public answer on an idea, with its author."""
    return db.session.scalar(
        select(IdeaAnswer)
        .where(IdeaAnswer.idea_id == idea_id)
        .options(joinedload(IdeaAnswer.author))
    )


def set_answer(actor: Any, idea: Idea, body: str) -> IdeaAnswer:
    """Publish (or change) the team's public answer on an idea; its author is told."""
    source = (body or "").replace("\r\n", "\n").strip()
    answer = answer_of(idea.id)
    now = utcnow()
    if answer is None:
        answer = IdeaAnswer(idea_id=idea.id, created_at=now)
        db.session.add(answer)
    answer.author_id = actor.id
    answer.body_source = source
    answer.body_html = render_markdown(source)
    answer.updated_at = now
    db.session.flush()
    audit(actor, "idea.answer", idea)
    idea_answered.send(idea, actor=actor)
    return answer
