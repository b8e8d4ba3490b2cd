"""The demo's conversation and moderation, through the comment and moderation services.

Comments are found again by (idea, author, text), reports by (reporter, item), the answer
by its idea; a merged idea is left alone once merged. The facilitator finds ideas waiting
for validation and reported items in the queue; one comment was hidden by its reports.
"""

from __future__ import annotations

from sqlalchemy import select

from ideation.auth.models import User
from ideation.comments.models import Comment
from ideation.comments.services import add_comment
from ideation.domain.idea_states import IdeaStatus
from ideation.extensions import db
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.moderation.models import Report
from ideation.moderation.services import report, threshold
from ideation.seed import common
from ideation.seed.data.moderation import (
    ANSWERED,
    DEMO_COMMENTS,
    HIDDEN_COMMENT,
    HIDDEN_REPORTS,
    IDEA_REPORT,
    MERGE,
    REPORTED_IDEA,
    SPAM_COMMENT,
    SPAM_REPORTS,
    CommentSeed,
    ReportSeed,
)


def _comment(idea: Idea, author: User, text: str, parent: Comment | None = None) -> Comment:
    found = db.session.scalar(
        select(Comment).where(
            Comment.idea_id == idea.id, Comment.author_id == author.id, Comment.body_source == text
        )
    )
    return found or add_comment(idea, author, text, parent=parent)


def _report(users: dict[str, User], target: Idea | Comment, seed: ReportSeed) -> None:
    reporter = users[seed.reporter]
    column = Report.comment_id if isinstance(target, Comment) else Report.idea_id
    exists = db.session.scalar(
        select(Report.id).where(column == target.id, Report.reporter_id == reporter.id)
    )
    if exists is None:
        report(reporter, target, seed.reason, seed.details)


def _thread(users: dict[str, User], seed: CommentSeed) -> Comment | None:
    idea = common.idea(seed.challenge, seed.idea)
    if idea is None:
        return None
    comment = _comment(idea, users[seed.author], seed.text)
    for email, text in seed.replies:
        _comment(idea, users[email], text, parent=comment)
    return comment


def seed_moderation() -> None:
    facilitator = common.facilitator()
    if facilitator is None:
        return
    users = common.users()
    for seed in DEMO_COMMENTS:
        _thread(users, seed)

    hidden = _thread(users, HIDDEN_COMMENT)
    if hidden is not None:
        # As many reports as it takes to hide it (the threshold is a setting).
        for report_seed in HIDDEN_REPORTS[: threshold()]:
            _report(users, hidden, report_seed)
    spam = _thread(users, SPAM_COMMENT)
    if spam is not None:
        for report_seed in SPAM_REPORTS:
            _report(users, spam, report_seed)

    reported = common.idea(*REPORTED_IDEA)
    if reported is not None:
        _report(users, reported, IDEA_REPORT)

    slug, source_title, target_title, reason = MERGE
    source, target = common.idea(slug, source_title), common.idea(slug, target_title)
    if source is not None and target is not None and source.status == IdeaStatus.PUBLISHED:
        lifecycle.merge(facilitator, source, target, reason)

    slug, title, answer = ANSWERED
    answered = common.idea(slug, title)
    if answered is not None and lifecycle.answer_of(answered.id) is None:
        lifecycle.set_answer(facilitator, answered, answer)
    db.session.flush()
