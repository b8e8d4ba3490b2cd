"""Comments: write, reply (one level), edit within 15 minutes, delete, pagination, scope, counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.ideas.models import Idea
from ideation.notifications.models import Notification, NotificationKind
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_residence,
    make_user,
)
from tests.helpers import unchanged


def _setup(phase: str = "ideation", status: str = "published"):
    org = make_org()
    residence = make_residence(org)
    challenge = make_challenge(phase=phase, org=org)
    author = make_user("tenant", org=org, residence=residence)
    idea = make_idea(challenge, author, status=status)
    return org, residence, idea, author


def _kinds(user) -> list[NotificationKind]:
    from ideation.extensions import db

    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
    )


def test_tenant_comments_on_a_published_idea_and_its_author_is_told(client, db, login):
    org, residence, idea, author = _setup()
    tenant = login(make_user("tenant", org=org, residence=residence))
    response = client.post(f"/idees/{idea.id}/commentaires", data={"body": "Très **bonne** idée !"})
    assert response.status_code == 302
    assert f"/idees/{idea.id}#commentaire-" in response.headers["Location"]
    comment = db.session.scalar(select(Comment))
    assert comment.author_id == tenant.id and "<strong>bonne</strong>" in comment.body_html
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).comments_count == 1
    assert _kinds(author) == [NotificationKind.COMMENT_ON_MY_IDEA]
    page = client.get(f"/idees/{idea.id}")
    assert "Très <strong>bonne</strong> idée" in page.text and "1 commentaire" in page.text


def test_reply_tells_the_comment_author_and_the_idea_author_once_each(client, db, login):
    org, residence, idea, author = _setup()
    first = make_user("tenant", org=org)
    parent = make_comment(idea, first)
    login(make_user("staff", org=org))
    response = client.post(f"/commentaires/{parent.id}/repondre", data={"body": "Je réponds"})
    assert response.status_code == 302
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == parent.id))
    assert reply is not None
    assert _kinds(first) == [NotificationKind.REPLY_TO_MY_COMMENT]
    assert _kinds(author) == [NotificationKind.COMMENT_ON_MY_IDEA]


def test_idea_author_replying_to_a_comment_is_not_notified_about_it(client, db, login):
    org, residence, idea, author = _setup()
    first = make_user("tenant", org=org)
    parent = make_comment(idea, first)
    login(author)
    client.post(f"/commentaires/{parent.id}/repondre", data={"body": "Merci !"})
    assert _kinds(author) == []
    assert _kinds(first) == [NotificationKind.REPLY_TO_MY_COMMENT]


def test_a_reply_to_a_reply_stays_one_level_deep(client, db, login):
    org, residence, idea, author = _setup()
    parent = make_comment(idea)
    reply = make_comment(idea, parent=parent)
    login(make_user("tenant", org=org, residence=residence))
    assert (
        client.post(f"/commentaires/{reply.id}/repondre", data={"body": "Moi aussi"}).status_code
        == 302
    )
    newest = db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert newest.parent_id == parent.id


def test_empty_comment_comes_back_with_an_error_and_nothing_is_saved(client, db, login):
    org, residence, idea, author = _setup()
    login(make_user("tenant", org=org, residence=residence))
    response = client.post(f"/idees/{idea.id}/commentaires", data={"body": "   "})
    assert response.status_code == 200
    assert "Écrivez votre commentaire" in response.text
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_too_long_comment_keeps_the_text(client, db, login):
    org, residence, idea, author = _setup()
    login(make_user("tenant", org=org, residence=residence))
    text = "mot " * 1000
    response = client.post(f"/idees/{idea.id}/commentaires", data={"body": text})
    assert response.status_code == 200
    assert "3000 caractères au plus" in response.text and "mot mot mot" in response.text


def test_visitor_is_sent_to_log_in_and_out_of_scope_tenant_is_refused(client, db, login):
    org, residence, idea, author = _setup()
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "x"}).status_code == 302
    login(make_user("tenant", org=make_org()))
    assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "x"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_pending_idea_cannot_be_commented(client, db, login):
    org, residence, idea, author = _setup(status="submitted")
    login(author)
    with unchanged():
        assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "x"}).status_code == 403


def test_comments_close_when_the_challenge_is_archived(client, db, login):
    org, residence, idea, author = _setup(phase="archived")
    make_comment(idea, body="Ancien commentaire")
    login(make_user("tenant", org=org, residence=residence))
    with unchanged():
        assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "x"}).status_code == 403
    page = client.get(f"/idees/{idea.id}")
    assert "Ancien commentaire" in page.text and "les commentaires sont fermés" in page.text


def test_author_edits_within_15_minutes_and_it_shows_modified(client, db, login):
    org, residence, idea, author = _setup()
    writer = make_user("tenant", org=org, residence=residence)
    comment = make_comment(idea, writer, body="Premiere version")
    login(writer)
    assert client.get(f"/commentaires/{comment.id}/modifier").status_code == 200
    assert (
        client.post(
            f"/commentaires/{comment.id}/modifier", data={"body": "Première version"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    comment = db.session.get(Comment, comment.id)
    assert comment.body_source == "Première version" and comment.edited_at is not None
    assert "modifié" in client.get(f"/idees/{idea.id}").text


def test_edit_after_15_minutes_or_by_someone_else_is_refused(client, db, login):
    org, residence, idea, author = _setup()
    writer = make_user("tenant", org=org, residence=residence)
    old = make_comment(idea, writer, created_at=utcnow() - timedelta(minutes=16))
    fresh = make_comment(idea, writer)
    login(writer)
    with unchanged():
        assert (
            client.post(f"/commentaires/{old.id}/modifier", data={"body": "x"}).status_code == 403
        )
    client.post("/deconnexion")
    login(make_user("facilitator"))
    with unchanged():
        assert (
            client.post(f"/commentaires/{fresh.id}/modifier", data={"body": "x"}).status_code == 403
        )


def test_author_deletes_and_the_replies_stay(client, db, login):
    org, residence, idea, author = _setup()
    writer = make_user("tenant", org=org, residence=residence)
    comment = make_comment(idea, writer, body="A effacer")
    make_comment(idea, parent=comment, body="La réponse reste")
    login(writer)
    assert (
        client.post(f"/commentaires/{comment.id}/supprimer", data={"confirm": "1"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).comments_count == 1
    page = client.get(f"/idees/{idea.id}").text
    assert "Commentaire supprimé" in page and "La réponse reste" in page and "A effacer" not in page


def test_someone_else_cannot_delete_a_comment(client, db, login):
    org, residence, idea, author = _setup()
    comment = make_comment(idea)
    login(make_user("admin"))
    with unchanged():
        assert (
            client.post(f"/commentaires/{comment.id}/supprimer", data={"confirm": "1"}).status_code
            == 403
        )
    with unchanged():
        assert client.post("/commentaires/999999/supprimer").status_code == 404


def test_comments_are_oldest_first_and_paginated(client, db):
    org, residence, idea, author = _setup()
    start = utcnow() - timedelta(hours=2)
    for n in range(25):
        make_comment(
            idea,
            author,
            body=f"Commentaire numéro {n:02d}",
            created_at=start + timedelta(minutes=n),
        )
    db.session.commit()
    first = client.get(f"/idees/{idea.id}").text
    assert first.index("numéro 00") < first.index("numéro 01") < first.index("numéro 19")
    assert "numéro 20" not in first and "Page 1 sur 2" in first
    second = client.get(f"/idees/{idea.id}?page=2").text
    assert "numéro 20" in second and "numéro 24" in second and "numéro 00" not in second


def test_idea_card_shows_the_comment_count(client, db):
    org, residence, idea, author = _setup()
    make_comment(idea)
    make_comment(idea)
    db.session.commit()
    assert "2 commentaires" in client.get(f"/defis/{idea.challenge.slug}").text


def test_merged_idea_keeps_its_comments_readable_but_closed(client, db, login):
    org, residence, idea, author = _setup()
    target = make_idea(idea.challenge)
    make_comment(idea, body="Discussion d'origine")
    idea.status = idea.status.__class__("merged")
    idea.merged_into_id = target.id
    db.session.commit()
    login(make_user("tenant", org=org, residence=residence))
    page = client.get(f"/idees/{idea.id}").text
    assert "Discussion d'origine" in page and f"/idees/{target.id}" in page
    with unchanged():
        assert client.post(f"/idees/{idea.id}/commentaires", data={"body": "x"}).status_code == 403


def test_comment_list_issues_a_constant_number_of_queries(app, db, count_queries):
    from tests.conftest import _empty_tables

    counts = []
    for size in (3, 30):
        db.session.rollback()
        _empty_tables()
        org, residence, idea, author = _setup()
        viewer = make_user("tenant", org=org, residence=residence)
        for _ in range(size):
            parent = make_comment(idea, make_user("tenant", org=org))
            make_comment(idea, make_user("tenant", org=org), parent=parent)
        db.session.commit()
        client = app.test_client()
        client.post(
            "/connexion", data={"email": viewer.email, "password": "un mot de passe de test solide"}
        )
        client.get(f"/idees/{idea.id}")
        with count_queries() as counter:
            assert client.get(f"/idees/{idea.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
