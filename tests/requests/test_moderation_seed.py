"""The demo: comments, reports, a hidden comment, a merged idea, shortlisted ideas with answers,
audit entries, notifications; the demo facilitator lands on a queue with real work."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.core.audit import AuditEntry
from ideation.domain.idea_states import IdeaStatus
from ideation.ideas.models import Idea, IdeaAnswer
from ideation.moderation.models import Report
from ideation.notifications.models import Notification
from ideation.seed import DEMO_PASSWORD
from tests.seeded import demo


@pytest.fixture
def seeded(db):
    """The demo (run once per test process: tests/seeded.py)."""
    demo(db)


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_demo_has_comments_replies_reports_and_a_hidden_comment(seeded, db):
    assert _count(db, Comment, Comment.parent_id.is_(None)) >= 6
    assert _count(db, Comment, Comment.parent_id.is_not(None)) >= 3
    assert _count(db, Comment, Comment.hidden_at.is_not(None)) == 1
    assert _count(db, Report) >= 5
    livret = db.session.scalar(select(Idea).where(Idea.title == "Un livret d'accueil illustré"))
    assert livret.comments_count == _count(
        db, Comment, Comment.idea_id == livret.id, Comment.hidden_at.is_(None)
    )


def test_demo_has_a_merged_idea_and_shortlisted_ideas_with_answers_under_review(seeded, db):
    merged = db.session.scalar(select(Idea).where(Idea.status == IdeaStatus.MERGED))
    assert merged is not None and merged.merged_into_id is not None and merged.status_reason
    review = db.session.scalar(select(Challenge).where(Challenge.slug == "jardins-partages"))
    shortlisted = db.session.scalars(
        select(Idea).where(Idea.challenge_id == review.id, Idea.status == IdeaStatus.SHORTLISTED)
    ).all()
    assert len(shortlisted) >= 3
    assert _count(db, IdeaAnswer, IdeaAnswer.idea_id.in_([i.id for i in shortlisted])) == len(
        shortlisted
    )
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"idea.merge", "idea.shortlist", "idea.answer", "comment.auto_hide"} <= actions


def test_demo_tenant_has_notifications(seeded, db):
    tenant = db.session.scalar(select(User).where(User.email == "locataire@demo.fabrique.test"))
    assert _count(db, Notification, Notification.user_id == tenant.id) >= 2


def test_demo_facilitator_lands_on_a_queue_with_real_work(seeded, client):
    client.post(
        "/connexion", data={"email": "animation@demo.fabrique.test", "password": DEMO_PASSWORD}
    )
    pending = client.get("/moderation")
    assert pending.status_code == 200
    assert "Un parrain ou une marraine dans l'immeuble" in pending.text.replace("&#39;", "'")
    reported = client.get("/moderation?onglet=signalements").text
    assert "Promo sur les ampoules" in reported and "Des étiquettes claires" in reported
    assert "Vous êtes tous des profiteurs" in client.get("/moderation?onglet=masques").text
    assert client.get("/moderation/journal").status_code == 200


def test_second_run_changes_nothing(seeded, runner, db):
    from ideation.extensions import db as _db

    def counts():
        return {
            t.name: _db.session.scalar(select(func.count()).select_from(t))
            for t in _db.metadata.sorted_tables
        }

    before = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    assert counts() == before
