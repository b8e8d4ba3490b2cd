"""Reports: one per user per item (database constraint), the threshold hides and tells the author."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ideation.comments.models import Comment
from ideation.core.audit import AuditEntry
from ideation.extensions import db as _db
from ideation.ideas.models import Idea
from ideation.moderation.models import Report
from ideation.notifications.models import Notification, NotificationKind
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_report,
    make_user,
)
from tests.helpers import unchanged


@pytest.fixture
def threshold(app):
    saved = app.config["REPORT_THRESHOLD"]
    yield lambda n: app.config.update(REPORT_THRESHOLD=n)
    app.config["REPORT_THRESHOLD"] = saved


def _world():
    org = make_org()
    challenge = make_challenge(org=org)
    author = make_user("tenant", org=org)
    idea = make_idea(challenge, author)
    return org, challenge, author, idea


def _report_as(client, login, user, path, reason="spam", details=""):
    _db.session.commit()  # logout writes too: the test's open write would lock SQLite
    client.post("/deconnexion")
    login(user)
    return client.post(path, data={"reason": reason, "details": details})


def test_report_form_and_a_report_is_stored(client, db, login):
    org, challenge, author, idea = _world()
    login(make_user("tenant", org=org))
    assert client.get(f"/idees/{idea.id}/signaler").status_code == 200
    response = client.post(
        f"/idees/{idea.id}/signaler", data={"reason": "abuse", "details": "Insulte"}
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert (
        report.idea_id == idea.id and report.reason.value == "abuse" and report.details == "Insulte"
    )


def test_a_repeated_report_stays_one_row(client, db, login):
    org, challenge, author, idea = _world()
    login(make_user("tenant", org=org))
    for _ in range(3):
        assert client.post(f"/idees/{idea.id}/signaler", data={"reason": "spam"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert "Vous avez signalé cette idée" in client.get(f"/idees/{idea.id}").text


def test_the_database_refuses_a_second_report_by_the_same_user(db):
    org, challenge, author, idea = _world()
    reporter = make_user("tenant", org=org)
    make_report(idea, reporter)
    with pytest.raises(IntegrityError):
        make_report(idea, reporter)
    db.session.rollback()


def test_threshold_hides_an_idea_at_exactly_n_reports_and_tells_the_author(
    client, db, login, threshold
):
    threshold(3)
    org, challenge, author, idea = _world()
    reporters = [make_user("tenant", org=org) for _ in range(3)]
    for n, reporter in enumerate(reporters, start=1):
        _report_as(
            client,
            login,
            reporter,
            f"/idees/{idea.id}/signaler",
            reason="abuse" if n == 2 else "spam",
        )
        db.session.expire_all()
        hidden = db.session.get(Idea, idea.id).hidden_at is not None
        assert hidden == (n == 3), f"after {n} reports"
    notes = db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all()
    assert [n.kind for n in notes] == [NotificationKind.IDEA_HIDDEN]
    assert "Spam ou publicité" in notes[0].body and "Propos injurieux" in notes[0].body
    assert db.session.scalar(select(AuditEntry.action)) == "idea.auto_hide"
    client.post("/deconnexion")
    assert client.get(f"/idees/{idea.id}").status_code == 403
    assert idea.title not in client.get(f"/defis/{challenge.slug}").text
    login(author)
    page = client.get(f"/idees/{idea.id}")
    assert page.status_code == 200 and "masquée" in page.text


def test_threshold_is_configurable(client, db, login, threshold):
    threshold(1)
    org, challenge, author, idea = _world()
    _report_as(client, login, make_user("tenant", org=org), f"/idees/{idea.id}/signaler")
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).hidden_at is not None


def test_threshold_hides_a_comment_and_its_author_is_told(client, db, login, threshold):
    threshold(2)
    org, challenge, author, idea = _world()
    writer = make_user("tenant", org=org)
    comment = make_comment(idea, writer, body="Texte signalé")
    make_comment(idea, parent=comment, body="La réponse reste")
    for _ in range(2):
        _report_as(
            client,
            login,
            make_user("tenant", org=org),
            f"/commentaires/{comment.id}/signaler",
            reason="personal_data",
        )
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).hidden_at is not None
    assert db.session.get(Idea, idea.id).comments_count == 1
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == writer.id)
    ).all()
    assert kinds == [NotificationKind.COMMENT_HIDDEN]
    client.post("/deconnexion")
    page = client.get(f"/idees/{idea.id}").text
    assert (
        "Texte signalé" not in page and "masqué par l'équipe" in page and "La réponse reste" in page
    )


def test_own_content_and_out_of_scope_reports_are_refused(client, db, login):
    org, challenge, author, idea = _world()
    login(author)
    assert client.post(f"/idees/{idea.id}/signaler", data={"reason": "spam"}).status_code == 403
    client.post("/deconnexion")
    login(make_user("tenant", org=make_org()))
    assert client.post(f"/idees/{idea.id}/signaler", data={"reason": "spam"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_visitor_is_sent_to_log_in(client, db):
    org, challenge, author, idea = _world()
    response = client.post(f"/idees/{idea.id}/signaler", data={"reason": "spam"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_pending_idea_and_deleted_comment_cannot_be_reported(client, db, login):
    org, challenge, author, idea = _world()
    pending = make_idea(challenge, author, status="submitted")
    comment = make_comment(idea)
    from ideation.db_types import utcnow

    comment.deleted_at = utcnow()
    login(make_user("facilitator"))
    with unchanged():
        assert (
            client.post(f"/idees/{pending.id}/signaler", data={"reason": "spam"}).status_code == 403
        )
    with unchanged():
        assert (
            client.post(f"/commentaires/{comment.id}/signaler", data={"reason": "spam"}).status_code
            == 403
        )


def test_missing_or_unknown_reason_comes_back_with_the_text_kept(client, db, login):
    org, challenge, author, idea = _world()
    login(make_user("tenant", org=org))
    for reason in ("", "n-importe-quoi"):
        response = client.post(
            f"/idees/{idea.id}/signaler", data={"reason": reason, "details": "mon texte à garder"}
        )
        assert response.status_code == 200
        assert "mon texte à garder" in response.text
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_a_question_label_is_not_followed_by_a_second_colon_in_the_error_summary(client, db, login):
    """ "Pourquoi signalez-vous ce contenu ? : Choisissez…" doubled the punctuation."""
    idea = make_idea()
    login(make_user("tenant", org=idea.challenge.organisation))
    page = client.post(f"/idees/{idea.id}/signaler", data={"reason": ""}).get_data(as_text=True)
    assert "Pourquoi signalez-vous ce contenu : Choisissez une raison." in page
    assert "? :" not in page
    assert db.session.query(Report).count() == 0
