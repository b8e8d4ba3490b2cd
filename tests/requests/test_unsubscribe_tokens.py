"""Unsubscribe tokens carry a per-user version: a link from an older e-mail stops working
once the person subscribes again, and after erasure (issue 10, item 11)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import URLSafeSerializer

from ideation.notifications.models import Delivery, NotificationKind
from ideation.notifications.services import delivery_for, set_preference, unsubscribe_token
from tests.factories import make_user

KIND = NotificationKind.IDEA_PUBLISHED


def _token(user, kind=KIND) -> str:
    with current_app.test_request_context():
        return unsubscribe_token(user.id, kind)


def _unsubscribe(client, token: str) -> int:
    return client.post(f"/notifications/desabonner/{token}").status_code


def test_an_old_link_stops_working_after_subscribing_again(client, db):
    user = make_user()
    set_preference(user.id, KIND, Delivery.IMMEDIATE)
    db.session.commit()
    old = _token(user)
    assert _unsubscribe(client, old) == 200
    db.session.expire_all()
    set_preference(user.id, KIND, Delivery.IMMEDIATE)  # back on, from the preferences page
    db.session.commit()
    assert _unsubscribe(client, old) == 400
    db.session.expire_all()
    assert delivery_for(user.id, KIND) == Delivery.IMMEDIATE


def test_the_link_of_a_newer_email_works_after_subscribing_again(client, db):
    user = make_user()
    set_preference(user.id, KIND, Delivery.NEVER)
    db.session.commit()
    set_preference(user.id, KIND, Delivery.IMMEDIATE)
    db.session.commit()
    assert _unsubscribe(client, _token(user)) == 200


def test_subscribing_the_first_time_keeps_earlier_links(client, db):
    user = make_user()
    db.session.commit()
    token = _token(user)
    set_preference(
        user.id, KIND, Delivery.IMMEDIATE
    )  # from the default digest: not a re-subscription
    db.session.commit()
    assert _unsubscribe(client, token) == 200


def test_an_unsubscribe_link_is_dead_after_erasure(client, db):
    from ideation.privacy.services import erase_account

    user = make_user()
    db.session.commit()
    token = _token(user)
    erase_account(user, actor=user)
    db.session.commit()
    assert _unsubscribe(client, token) == 400


def test_a_token_without_version_is_refused(client, db):
    """The tokens of before (user and kind only, never expiring) no longer work."""
    user = make_user()
    db.session.commit()
    old_style = URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe").dumps(
        {"u": user.id, "k": "*"}
    )
    assert _unsubscribe(client, old_style) == 400
