"""Moderation and comment notifications reach the right people, by e-mail according to
their preference (immediately, daily digest, never) and their one-click unsubscribe."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ideation.challenges.services import move_challenge
from ideation.domain.challenge_phases import Phase
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import build_digests, set_preference
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_support,
    make_user,
)
from tests.helpers import link_in, outbox


def _world():
    org = make_org()
    challenge = make_challenge(org=org)
    author = make_user("tenant", org=org, email="autrice@example.test")
    idea = make_idea(challenge, author)
    return org, challenge, author, idea


def test_immediate_preference_sends_one_email_to_the_idea_author_only(client, db, login):
    org, challenge, author, idea = _world()
    set_preference(author.id, NotificationKind.COMMENT_ON_MY_IDEA, Delivery.IMMEDIATE)
    writer = make_user("tenant", org=org, email="ecrit@example.test")
    login(writer)
    client.post(f"/idees/{idea.id}/commentaires", data={"body": "Bravo"})
    [email] = outbox()
    assert email.recipient == "autrice@example.test"
    assert (
        "Nouveau commentaire" in email.subject and "/notifications/desabonner/" in email.body_text
    )


def test_default_digest_gathers_comment_and_reply_for_each_recipient(client, db, login):
    org, challenge, author, idea = _world()
    first = make_user("tenant", org=org, email="premier@example.test")
    parent = make_comment(idea, first)
    login(make_user("tenant", org=org, email="repond@example.test"))
    client.post(f"/commentaires/{parent.id}/repondre", data={"body": "Je suis d'accord"})
    client.post(f"/idees/{idea.id}/commentaires", data={"body": "Et une autre remarque"})
    assert outbox() == []  # digest by default: nothing at once
    with current_app.test_request_context():
        assert build_digests() == 2
    db.session.commit()
    recipients = sorted(e.recipient for e in outbox())
    assert recipients == ["autrice@example.test", "premier@example.test"]
    [digest] = outbox("autrice@example.test")
    assert "2 nouveauté" in digest.subject


def test_never_preference_keeps_the_notification_in_the_app_only(client, db, login):
    org, challenge, author, idea = _world()
    set_preference(author.id, NotificationKind.COMMENT_ON_MY_IDEA, Delivery.NEVER)
    login(make_user("tenant", org=org))
    client.post(f"/idees/{idea.id}/commentaires", data={"body": "Bravo"})
    with current_app.test_request_context():
        assert build_digests() == 0
    assert outbox() == []
    assert db.session.scalar(select(Notification.kind)) == NotificationKind.COMMENT_ON_MY_IDEA


def test_unsubscribe_link_from_a_moderation_email_stops_the_next_ones(client, db, login):
    org, challenge, author, idea = _world()
    pending = make_idea(challenge, author, status="submitted")
    other_pending = make_idea(challenge, author, status="submitted")
    set_preference(author.id, NotificationKind.IDEA_PUBLISHED, Delivery.IMMEDIATE)
    login(make_user("facilitator", org=org))
    client.post(f"/moderation/idees/{pending.id}/publier")
    [email] = outbox("autrice@example.test")
    path = link_in(email, "/notifications/desabonner/")
    client.post("/deconnexion")
    assert client.post(path).status_code == 200  # one click, without logging in
    login(make_user("facilitator", org=org))
    client.post(f"/moderation/idees/{other_pending.id}/publier")
    assert len(outbox("autrice@example.test")) == 1
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.user_id == author.id)
    ).all()
    assert kinds == [NotificationKind.IDEA_PUBLISHED, NotificationKind.IDEA_PUBLISHED]


def test_rejection_email_carries_the_reason(client, db, login):
    org, challenge, author, idea = _world()
    pending = make_idea(challenge, author, status="submitted")
    set_preference(author.id, NotificationKind.IDEA_REJECTED, Delivery.IMMEDIATE)
    login(make_user("facilitator", org=org))
    client.post(
        f"/moderation/idees/{pending.id}/refuser", data={"reject-reason": "Hors du sujet du défi"}
    )
    [email] = outbox("autrice@example.test")
    assert "Hors du sujet du défi" in email.body_text


def _second_shortlisted(challenge, author):
    """The vote opens only when there are more shortlisted ideas than winners."""
    challenge.vote_winners = 1
    make_idea(challenge, author, status="shortlisted")


def test_vote_opening_tells_authors_supporters_and_commenters_only(app, db):
    org, challenge, author, idea = _world()
    challenge.phase = Phase.REVIEW
    idea.status = idea.status.__class__("shortlisted")
    _second_shortlisted(challenge, author)
    supporter = make_support(idea, make_user("tenant", org=org))
    commenter = make_user("tenant", org=org)
    make_comment(idea, commenter)
    bystander = make_user("tenant", org=org)
    gone = make_user("tenant", org=org, active=False)
    make_support(idea, gone)
    set_preference(supporter.id, NotificationKind.VOTE_OPENED, Delivery.IMMEDIATE)
    db.session.commit()
    with current_app.test_request_context():
        move_challenge(challenge, Phase.VOTING)
        db.session.commit()
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == NotificationKind.VOTE_OPENED)
        )
    )
    assert told == {author.id, supporter.id, commenter.id}
    assert bystander.id not in told and gone.id not in told
    [email] = outbox(supporter.email)
    assert f"/defis/{challenge.slug}/vote" in email.body_text


def test_vote_opening_by_the_calendar_command_notifies_too(app, db, runner):
    from datetime import timedelta

    from ideation.db_types import utcnow

    org, challenge, author, idea = _world()
    challenge.phase = Phase.REVIEW
    challenge.voting_starts_at = utcnow() - timedelta(hours=1)
    challenge.voting_ends_at = utcnow() + timedelta(days=3)
    idea.status = idea.status.__class__("shortlisted")
    _second_shortlisted(challenge, author)
    set_preference(author.id, NotificationKind.VOTE_OPENED, Delivery.IMMEDIATE)
    db.session.commit()
    result = runner.invoke(args=["challenges", "advance"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    [email] = outbox(author.email)
    assert f"/defis/{challenge.slug}/vote" in email.body_text
