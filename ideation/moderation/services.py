"""Moderation: reports and the threshold, hiding and restoring, the queue.

Every action writes its audit row and its notifications in the caller's transaction
(services flush, the view commits once). Status changes of ideas (publish, reject,
merge, shortlist, the team's answer) live in `ideation.ideas.lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import CursorResult, func, literal, or_, select, update
from sqlalchemy.orm import joinedload

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments import services as comment_services
from ideation.comments.models import Comment
from ideation.core.audit import audit
from ideation.core.sql import insert_or_ignore
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.moderation.models import Report, ReportReason, ReportStatus
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify

REASON_LABELS = {
    ReportReason.SPAM: _l("Spam ou publicité"),
    ReportReason.ABUSE: _l("Propos injurieux ou discriminatoires"),
    ReportReason.OFF_TOPIC: _l("Hors sujet"),
    ReportReason.PERSONAL_DATA: _l("Données personnelles"),
    ReportReason.OTHER: _l("Autre"),
}
PER_PAGE = 20


def reason_label(reason: ReportReason) -> str:
    return str(REASON_LABELS[reason])


def _idea_link(idea: Idea) -> str:
    return url_for("ideas.show", idea_id=idea.id)


# --- reports and the threshold ---------------------------------------------------------


@dataclass
class ReportOutcome:
    created: bool  # False: this user had already reported the item (still one row)
    hidden_now: bool  # this report reached the threshold and hid the item


def threshold() -> int:
    return max(int(current_app.config.get("REPORT_THRESHOLD", 3)), 1)


def _open_reports(idea_id: int | None = None, comment_id: int | None = None) -> list[Report]:
    column = Report.idea_id if idea_id is not None else Report.comment_id
    return list(
        db.session.scalars(
            select(Report)
            .where(
                column == (idea_id if idea_id is not None else comment_id),
                Report.status == ReportStatus.OPEN,
            )
            .order_by(Report.created_at, Report.id)
        )
    )


def _trusted(reports: list[Report]) -> list[Report]:
    """The reports that may hide an item on their own (confirmed accounts a day old)."""
    return [
        r
        for r in reports
        if r.reporter is not None
        and rules.report_counts_toward_hiding(
            r.reporter.is_confirmed, (r.created_at - r.reporter.created_at).total_seconds()
        )
    ]


def _reasons_text(reports: list[Report]) -> str:
    seen: list[str] = []
    for report in reports:
        label = reason_label(report.reason)
        if label not in seen:
            seen.append(label)
    return ", ".join(seen)


def report(
    reporter: User, target: Idea | Comment, reason: ReportReason, details: str = ""
) -> ReportOutcome:
    """Flag an idea or a comment. One row per user per item, settled by the database
    (INSERT … ON CONFLICT DO NOTHING); at the threshold the item is hidden pending review."""
    is_idea = isinstance(target, Idea)
    values = {
        "idea_id": target.id if is_idea else None,
        "comment_id": None if is_idea else target.id,
        "reporter_id": reporter.id,
        "reason": reason.value,
        "details": (details or "").strip(),
        "status": ReportStatus.OPEN.value,
        "created_at": utcnow(),
    }
    conflict = ["idea_id", "reporter_id"] if is_idea else ["comment_id", "reporter_id"]
    created = insert_or_ignore(Report, conflict, **values)
    hidden_now = False
    if created and target.hidden_at is None:
        reports = (
            _open_reports(idea_id=target.id) if is_idea else _open_reports(comment_id=target.id)
        )
        trusted = _trusted(reports)
        if len(trusted) >= threshold():
            reason_text = ngettext(
                "Masqué après %(num)d signalement : %(reasons)s.",
                "Masqué après %(num)d signalements : %(reasons)s.",
                len(trusted),
                reasons=_reasons_text(trusted),
            )
            _hide(None, target, reason_text, automatic=True)
            hidden_now = True
    db.session.flush()
    return ReportOutcome(created=created, hidden_now=hidden_now)


def has_reported(
    user_id: int | None, idea_id: int | None = None, comment_ids: list[int] | None = None
) -> set:
    """Which of these items the user already reported (one query)."""
    if not user_id:
        return set()
    if idea_id is not None:
        return set(
            db.session.scalars(
                select(Report.idea_id).where(
                    Report.reporter_id == user_id, Report.idea_id == idea_id
                )
            )
        )
    if not comment_ids:
        return set()
    return set(
        db.session.scalars(
            select(Report.comment_id).where(
                Report.reporter_id == user_id, Report.comment_id.in_(comment_ids)
            )
        )
    )


def _resolve_reports(target: Idea | Comment, status: ReportStatus, by: User | None) -> int:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    # Session.execute is typed as returning a Result; an UPDATE gives a CursorResult (rowcount).
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Report)
            .where(column == target.id, Report.status == ReportStatus.OPEN)
            .values(status=status, resolved_at=utcnow(), resolved_by_id=by.id if by else None)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount or 0


# --- hide, restore, dismiss ------------------------------------------------------------


def _hide(actor: User | None, target: Idea | Comment, reason: str, automatic: bool = False) -> None:
    target.hidden_at = utcnow()
    target.hidden_reason = reason
    is_idea = isinstance(target, Idea)
    if isinstance(target, Idea):
        idea = target
    else:
        # A comment's idea exists: comments.idea_id is a non-null foreign key.
        idea = cast(Idea, db.session.get(Idea, target.idea_id))
        comment_services.recount(target.idea_id)
    if not automatic:
        _resolve_reports(target, ReportStatus.UPHELD, actor)
    kind = "idea" if is_idea else "comment"
    audit(actor, f"{kind}.auto_hide" if automatic else f"{kind}.hide", target, reason)
    author = target.author
    if author is not None:
        if isinstance(target, Idea):
            notify(
                author,
                NotificationKind.IDEA_HIDDEN,
                _("Votre idée « %(title)s » est masquée", title=idea.title),
                _idea_link(idea),
                body=_("Raison : %(reason)s", reason=reason),
            )
        else:
            notify(
                author,
                NotificationKind.COMMENT_HIDDEN,
                _("Votre commentaire sur « %(title)s » est masqué", title=idea.title),
                comment_services.comment_link(target),
                body=_("Raison : %(reason)s", reason=reason),
            )
    db.session.flush()


def hide(actor: User, target: Idea | Comment, reason: str) -> None:
    """A facilitator hides an idea or a comment; its author is told why."""
    _hide(actor, target, reason.strip())


def restore(actor: User, target: Idea | Comment, reason: str) -> None:
    """A facilitator shows a hidden item again; its open reports are closed."""
    target.hidden_at = None
    target.hidden_reason = None
    _resolve_reports(target, ReportStatus.DISMISSED, actor)
    if isinstance(target, Comment):
        comment_services.recount(target.idea_id)
    audit(
        actor,
        "idea.restore" if isinstance(target, Idea) else "comment.restore",
        target,
        reason.strip(),
    )
    db.session.flush()


def dismiss(actor: User, target: Idea | Comment, reason: str = "") -> int:
    """Reports reviewed, nothing wrong: close them (and show the item again if they had hidden it)."""
    count = _resolve_reports(target, ReportStatus.DISMISSED, actor)
    if target.hidden_at is not None:
        target.hidden_at = None
        target.hidden_reason = None
        if isinstance(target, Comment):
            comment_services.recount(target.idea_id)
    audit(actor, "reports.dismiss", target, reason.strip(), details={"reports": count})
    db.session.flush()
    return count


# --- the queue ------------------------------------------------------------------------------


def _scoped(query, actor: Actor):  # type: ignore[no-untyped-def]
    """Limit a query joined to Challenge to what the actor moderates."""
    if rules.moderates_everything(actor):
        return query
    if actor.role is not None and rules.can_open_moderation(actor):
        return query.where(Challenge.organisation_id == actor.organisation_id)
    return query.where(literal(False))


def pending_ideas(actor: Actor, page: int = 1):  # type: ignore[no-untyped-def]
    """Ideas waiting for validation (pre-moderation), oldest first."""
    query = _scoped(
        select(Idea)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.status == IdeaStatus.SUBMITTED)
        .options(joinedload(Idea.author), joinedload(Idea.challenge))
        .order_by(Idea.submitted_at, Idea.id),
        actor,
    )
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)


def likely_duplicates(ideas: list[Idea]) -> dict[int, Idea]:
    """The look-alike each listed idea was flagged with when sent, in one query (id -> idea);
    hidden ones are left out."""
    wanted = {i.likely_duplicate_of_id for i in ideas if i.likely_duplicate_of_id}
    if not wanted:
        return {}
    found = db.session.scalars(
        select(Idea).where(Idea.id.in_(wanted), Idea.hidden_at.is_(None))
    ).all()
    by_id = {i.id: i for i in found}
    return {
        i.id: by_id[i.likely_duplicate_of_id] for i in ideas if i.likely_duplicate_of_id in by_id
    }


def next_pending_id(actor: Actor, exclude: int) -> int | None:
    """The idea that now heads the "à valider" tab (oldest first), for the moderator to go on."""
    query = _scoped(
        select(Idea.id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.status == IdeaStatus.SUBMITTED, Idea.id != exclude)
        .order_by(Idea.submitted_at, Idea.id)
        .limit(1),
        actor,
    )
    return db.session.scalar(query)


def _report_idea_id():  # type: ignore[no-untyped-def]
    return func.coalesce(Report.idea_id, Comment.idea_id)


@dataclass
class ReportedItem:
    idea: Idea
    comment: Comment | None
    reports: list[Report]


def reported_items(actor: Actor, page: int = 1):  # type: ignore[no-untyped-def]
    """Items with open reports, the most reported first, with their reports. Four queries."""
    grouped = _scoped(
        select(
            Report.idea_id,
            Report.comment_id,
            func.count().label("n"),
            func.min(Report.created_at).label("first"),
        )
        .outerjoin(Comment, Comment.id == Report.comment_id)
        .join(Idea, Idea.id == _report_idea_id())
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.idea_id, Report.comment_id)
        .order_by(func.count().desc(), func.min(Report.created_at)),
        actor,
    )
    total = (
        db.session.scalar(select(func.count()).select_from(grouped.order_by(None).subquery())) or 0
    )
    page = max(page, 1)
    rows = db.session.execute(grouped.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    idea_ids = {r.idea_id for r in rows if r.idea_id}
    comment_ids = {r.comment_id for r in rows if r.comment_id}
    comments = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Comment)
                .where(Comment.id.in_(comment_ids))
                .options(joinedload(Comment.author))
            )
        }
        if comment_ids
        else {}
    )
    idea_ids |= {c.idea_id for c in comments.values()}
    ideas = (
        {
            i.id: i
            for i in db.session.scalars(
                select(Idea)
                .where(Idea.id.in_(idea_ids))
                .options(joinedload(Idea.author), joinedload(Idea.challenge))
            )
        }
        if idea_ids
        else {}
    )
    conditions = []
    if idea_ids:
        conditions.append(Report.idea_id.in_([r.idea_id for r in rows if r.idea_id]))
    if comment_ids:
        conditions.append(Report.comment_id.in_(comment_ids))
    by_target: dict[tuple, list[Report]] = {}
    if conditions:
        for rep in db.session.scalars(
            select(Report)
            .where(Report.status == ReportStatus.OPEN, or_(*conditions))
            .options(joinedload(Report.reporter))
            .order_by(Report.created_at, Report.id)
        ):
            by_target.setdefault((rep.idea_id, rep.comment_id), []).append(rep)
    items = []
    for r in rows:
        comment = comments.get(r.comment_id) if r.comment_id else None
        idea = ideas[comment.idea_id] if comment else ideas[r.idea_id]
        items.append(
            ReportedItem(
                idea=idea, comment=comment, reports=by_target.get((r.idea_id, r.comment_id), [])
            )
        )
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return items, page, pages, total


def hidden_ideas(actor: Actor, page: int = 1):  # type: ignore[no-untyped-def]
    query = _scoped(
        select(Idea)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.hidden_at.is_not(None))
        .options(joinedload(Idea.author), joinedload(Idea.challenge))
        .order_by(Idea.hidden_at.desc(), Idea.id),
        actor,
    )
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)


def hidden_comments(actor: Actor, page: int = 1):  # type: ignore[no-untyped-def]
    query = _scoped(
        select(Comment)
        .join(Idea, Idea.id == Comment.idea_id)
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Comment.hidden_at.is_not(None))
        .options(joinedload(Comment.author))
        .order_by(Comment.hidden_at.desc(), Comment.id),
        actor,
    )
    return db.paginate(query, page=max(page, 1), per_page=PER_PAGE, error_out=False)


def _pending_count(actor: Actor) -> int:
    return (
        db.session.scalar(
            _scoped(
                select(func.count())
                .select_from(Idea)
                .join(Challenge, Challenge.id == Idea.challenge_id)
                .where(Idea.status == IdeaStatus.SUBMITTED),
                actor,
            )
        )
        or 0
    )


def _reported_count(actor: Actor) -> int:
    grouped = _scoped(
        select(Report.idea_id, Report.comment_id)
        .outerjoin(Comment, Comment.id == Report.comment_id)
        .join(Idea, Idea.id == _report_idea_id())
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.idea_id, Report.comment_id),
        actor,
    )
    return db.session.scalar(select(func.count()).select_from(grouped.subquery())) or 0


def _hidden_count(actor: Actor) -> int:
    ideas = (
        db.session.scalar(
            _scoped(
                select(func.count())
                .select_from(Idea)
                .join(Challenge, Challenge.id == Idea.challenge_id)
                .where(Idea.hidden_at.is_not(None)),
                actor,
            )
        )
        or 0
    )
    comments = (
        db.session.scalar(
            _scoped(
                select(func.count())
                .select_from(Comment)
                .join(Idea, Idea.id == Comment.idea_id)
                .join(Challenge, Challenge.id == Idea.challenge_id)
                .where(Comment.hidden_at.is_not(None)),
                actor,
            )
        )
        or 0
    )
    return ideas + comments


def queue_counts(actor: Actor) -> dict[str, int]:
    """How much waits in each tab of the queue (four small counts)."""
    return {
        "pending": _pending_count(actor),
        "reported": _reported_count(actor),
        "hidden": _hidden_count(actor),
    }


def waiting_count(actor: Actor) -> int:
    """Pending ideas and reported items: the number beside "Modération" in the header (two counts)."""
    return _pending_count(actor) + _reported_count(actor)


def reports_for(target: Idea | Comment) -> list[Report]:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    return list(
        db.session.scalars(
            select(Report)
            .where(column == target.id)
            .options(joinedload(Report.reporter))
            .order_by(Report.status, Report.created_at, Report.id)
        )
    )
