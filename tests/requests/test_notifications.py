"""Notifications: in-app centre, preferences (immediately / digest / never), digests,
and the signed one-click unsubscribe link that works without logging in."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from ideation import create_app
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import (
    build_digests,
    notify,
    notify_many,
    set_preference,
    unsubscribe_token,
)
from tests.factories import make_user
from tests.helpers import outbox

KIND = NotificationKind.COMMENT_ON_MY_IDEA


def _notify(user, kind=KIND, title="Nouveau commentaire sur « Jardin partagé »", link="/idees/1"):
    with current_app.test_request_context():
        note = notify(user, kind, title, link)
        current_app.extensions["sqlalchemy"].session.commit()
    return note


def test_default_is_digest_no_email_at_once(db):
    user = make_user()
    _notify(user)
    assert outbox() == []
    [note] = db.session.scalars(select(Notification)).all()
    assert note.digest_pending and note.read_at is None


def test_immediate_preference_sends_an_email_with_unsubscribe_links(db):
    user = make_user(email="vite@example.test")
    set_preference(user.id, KIND, Delivery.IMMEDIATE)
    _notify(user)
    [email] = outbox("vite@example.test")
    assert "Jardin partagé" in email.subject
    assert "/notifications/desabonner/" in email.body_text
    assert email.list_unsubscribe and "/notifications/desabonner/" in email.list_unsubscribe


def test_never_preference_sends_nothing_but_keeps_the_in_app_notification(db):
    user = make_user()
    set_preference(user.id, KIND, Delivery.NEVER)
    _notify(user)
    with current_app.test_request_context():
        assert build_digests() == 0
    assert outbox() == []
    assert db.session.scalar(select(Notification)).title.startswith("Nouveau commentaire")


def test_digest_gathers_pending_notifications_once(db, runner):
    user = make_user(email="resume@example.test")
    other = make_user(email="autre@example.test")
    _notify(user, title="Premier")
    _notify(user, NotificationKind.IDEA_PUBLISHED, title="Deuxième")
    _notify(other, title="Pour l'autre")
    result = runner.invoke(args=["notifications", "digest"])
    assert "2 résumé(s)" in result.output
    db.session.expire_all()
    [digest] = outbox("resume@example.test")
    assert "Premier" in digest.body_text and "Deuxième" in digest.body_text
    assert "Pour l'autre" not in digest.body_text
    assert len(outbox("autre@example.test")) == 1
    again = runner.invoke(args=["notifications", "digest"])
    assert "0 résumé(s)" in again.output


def test_digest_respects_a_preference_changed_after_the_event(db):
    user = make_user()
    _notify(user)
    set_preference(user.id, KIND, Delivery.NEVER)
    db.session.commit()
    with current_app.test_request_context():
        assert build_digests() == 0
    assert outbox() == []


def test_inactive_accounts_are_not_notified(db):
    user = make_user(active=False)
    assert _notify(user) is None


def test_notify_many_uses_one_preference_query(db, count_queries):
    from ideation.auth.models import User

    [make_user() for _ in range(10)]
    db.session.commit()
    users = db.session.scalars(select(User)).all()  # loaded once, as a caller would
    with current_app.test_request_context():
        with count_queries() as c:
            notify_many(users, NotificationKind.VOTE_OPENED, "Le vote est ouvert", "/defis/x")
    # one SELECT of the preferences + the INSERTs (batched or not) — never a SELECT per user
    selects = [s for s in c.statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1


def test_unread_count_in_the_header_and_mark_all_read(client, db, login):
    user = login(make_user())
    _notify(user)
    _notify(user)
    page = client.get("/").text
    assert re.search(r'notif-count">2<', page)
    client.post("/notifications/lues")
    assert "notif-count" not in client.get("/").text


def test_the_unread_count_comes_with_the_account(client, db, login, count_queries):
    """The header's figure is read by the user loader's own query (auth/sessions.py,
    account_fact): no statement of its own on any logged-in page."""
    user = login(make_user())
    _notify(user)
    someone_else = make_user()
    _notify(someone_else)  # not theirs: never counted
    db.session.commit()
    with count_queries() as c:
        page = client.get("/").text
    assert re.search(r'notif-count">1<', page)
    naming = [s for s in c.statements if "notifications" in s]
    assert len(naming) == 1 and "FROM users" in naming[0], naming


def test_the_unread_count_of_an_account_loaded_otherwise(app, db):
    """An account the loader did not read (just logged in, say) has no facts: the
    header's figure is then counted by a query of its own."""
    from flask_login import login_user

    from ideation.notifications.views import unread_notifications

    user = make_user()
    _notify(user)
    _notify(user)
    db.session.commit()
    with app.test_request_context("/"):
        login_user(db.session.get(type(user), user.id))
        assert unread_notifications() == {"unread_notifications": 2}


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, db, login):
    user = login(make_user())
    note = _notify(user, link="/defis")
    response = client.post(f"/notifications/{note.id}/ouvrir")
    assert response.status_code == 302 and response.headers["Location"] == "/defis"
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None


def test_someone_elses_notification_cannot_be_opened(client, db, login):
    owner = make_user()
    note = _notify(owner)
    login(make_user())
    assert client.post(f"/notifications/{note.id}/ouvrir").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_notification_link_never_redirects_off_site(client, db, login):
    user = login(make_user())
    note = _notify(user, link="//evil.example")
    assert client.post(f"/notifications/{note.id}/ouvrir").headers["Location"] == "/notifications"


def test_notification_list_is_escaped_and_paginated(client, db, login):
    user = login(make_user())
    for i in range(25):
        _notify(user, title=f"<script>alert({i})</script> n°{i}")
    page = client.get("/notifications").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "Page 1 sur 2" in page


def test_preferences_form_saves_each_kind(client, db, login):
    user = login(make_user())
    data = {f"kind_{k.value}": "digest" for k in NotificationKind}
    data["kind_comment_on_my_idea"] = "immediate"
    data["kind_vote_opened"] = "never"
    assert client.post("/notifications/preferences", data=data).status_code == 302
    from ideation.notifications.services import delivery_for

    assert delivery_for(user.id, NotificationKind.COMMENT_ON_MY_IDEA) == Delivery.IMMEDIATE
    assert delivery_for(user.id, NotificationKind.VOTE_OPENED) == Delivery.NEVER
    bad = client.post("/notifications/preferences", data={**data, "kind_vote_opened": "souvent"})
    assert bad.status_code == 200 and "error-summary" in bad.text


def test_unsubscribe_link_works_without_logging_in(client, db):
    user = make_user(email="stop@example.test")
    set_preference(user.id, KIND, Delivery.IMMEDIATE)
    db.session.commit()
    with current_app.test_request_context():
        token = unsubscribe_token(user.id, KIND)
    page = client.get(f"/notifications/desabonner/{token}")
    assert page.status_code == 200 and "Confirmer le désabonnement" in page.text
    from ideation.notifications.services import delivery_for

    assert delivery_for(user.id, KIND) == Delivery.IMMEDIATE  # a GET (mail scanner) changes nothing
    assert client.post(f"/notifications/desabonner/{token}").status_code == 200
    db.session.expire_all()
    assert delivery_for(user.id, KIND) == Delivery.NEVER
    _notify(user)
    assert outbox("stop@example.test") == []


def test_one_click_unsubscribe_post_needs_no_csrf_token_but_a_valid_signature(database_url, db):
    app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    user = make_user()
    db.session.commit()
    with app.test_request_context():
        token = unsubscribe_token(user.id)
    assert (
        client.post(
            f"/notifications/desabonner/{token}", data={"List-Unsubscribe": "One-Click"}
        ).status_code
        == 200
    )
    assert client.post(f"/notifications/desabonner/{token[:-2]}xx").status_code == 400
    from ideation.notifications.services import delivery_for

    db.session.expire_all()
    assert all(delivery_for(user.id, k) == Delivery.NEVER for k in NotificationKind)


def test_smtp_message_carries_list_unsubscribe_headers(db):
    from ideation.mail.services import _message

    user = make_user(email="hdr@example.test")
    set_preference(user.id, KIND, Delivery.IMMEDIATE)
    _notify(user)
    [email] = outbox("hdr@example.test")
    with current_app.app_context():
        msg = _message(email)
    assert (
        msg["List-Unsubscribe"].startswith("<http")
        and msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
