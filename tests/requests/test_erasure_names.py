"""An erased person's name leaves every place that held it (issue 10, item 8).

Names are rendered from the user row at display time: a reply notification stores who
replied, not their name. E-mails not sent yet that name the person are redacted, and
earlier audit rows about them lose the name but keep their ids and actions.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ideation.core.audit import AuditEntry
from ideation.domain.roles import Role
from ideation.mail.models import Email, EmailStatus
from ideation.moderation import services as moderation
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import set_preference
from ideation.privacy.services import ERASED_NAME
from tests.factories import (
    DEFAULT_PASSWORD,
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_user,
)

NAME = "Bernadette Lenom"


def _reply_world(db):
    org = make_org()
    idea = make_idea(make_challenge(org=org))
    alice = make_user("tenant", org=org, display_name="Alice", email="alice@example.test")
    bob = make_user("tenant", org=org, display_name=NAME, email="bob@example.test")
    comment = make_comment(idea, alice, body="Je suis pour.")
    set_preference(alice.id, NotificationKind.REPLY_TO_MY_COMMENT, Delivery.IMMEDIATE)
    db.session.commit()
    return alice, bob, comment


def _erase_self(client, login, user):
    client.post("/deconnexion")
    login(user)
    response = client.post("/compte/supprimer", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302


def test_a_reply_notification_stores_no_name_and_shows_the_current_one(client, db, login):
    alice, bob, comment = _reply_world(db)
    login(bob)
    client.post(f"/commentaires/{comment.id}/repondre", data={"body": "Moi aussi !"})
    note = db.session.scalar(select(Notification).where(Notification.user_id == alice.id))
    assert NAME not in note.title and note.actor_id == bob.id
    client.post("/deconnexion")
    login(alice)
    assert f"{NAME} a répondu à votre commentaire" in client.get("/notifications").text


def test_after_erasure_notifications_and_pending_emails_no_longer_name_the_person(
    client, db, login
):
    alice, bob, comment = _reply_world(db)
    login(bob)
    client.post(f"/commentaires/{comment.id}/repondre", data={"body": "Moi aussi !"})
    [pending] = db.session.scalars(select(Email).where(Email.recipient == "alice@example.test"))
    assert NAME in pending.subject and pending.status == EmailStatus.PENDING
    _erase_self(client, login, bob)
    db.session.expire_all()
    pending = db.session.get(Email, pending.id)
    for text in (pending.subject, pending.body_text, pending.body_html):
        assert NAME not in text
    assert ERASED_NAME in pending.subject
    client.post("/deconnexion")
    login(alice)
    page = client.get("/notifications").text
    assert NAME not in page and f"{ERASED_NAME} a répondu à votre commentaire" in page


def test_sent_emails_and_other_names_are_left_alone(client, db, login):
    alice, bob, comment = _reply_world(db)
    login(bob)
    client.post(f"/commentaires/{comment.id}/repondre", data={"body": "Moi aussi !"})
    [email] = db.session.scalars(select(Email).where(Email.recipient == "alice@example.test"))
    email.status = EmailStatus.SENT
    db.session.commit()
    _erase_self(client, login, bob)
    db.session.expire_all()
    assert NAME in db.session.get(Email, email.id).subject  # already delivered: history


def test_earlier_audit_rows_lose_the_name_and_keep_ids_and_actions(client, db, login):
    facilitator = make_user("facilitator", display_name=NAME, email="anim@example.test")
    idea = make_idea()
    with current_app.test_request_context():  # the author's notice builds a link
        moderation.hide(facilitator, idea, "Hors sujet")
    admin = make_user(Role.ADMIN, display_name="Admin")
    from ideation.core.audit import audit

    audit(admin, "user.update", facilitator, reason="Rôle")
    db.session.commit()
    _erase_self(client, login, facilitator)
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [r.action for r in rows] == ["idea.hide", "user.update", "user.erase"]
    hide_row, update_row, _erase_row = rows
    assert hide_row.actor_id == facilitator.id and hide_row.actor_name == ERASED_NAME
    assert hide_row.target_id == idea.id and hide_row.target_label == idea.title
    assert update_row.target_id == facilitator.id and update_row.target_label == ERASED_NAME
    assert update_row.actor_name == "Admin"
    assert not [r for r in rows if NAME in (r.actor_name, r.target_label)]
