"""Participation needs a confirmed address or an in-person check (issue 10, item 4).

An unconfirmed account may log in and read, but every way of taking part is refused
with a page that says how to confirm, and nothing is written. Reports from fresh or
unconfirmed accounts never hide an item on their own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.ideas.models import Idea, Support
from ideation.moderation.models import Report
from ideation.voting.models import Ballot
from tests.factories import make_challenge, make_idea, make_org, make_user
from tests.helpers import outbox, unchanged


@pytest.fixture
def world(db):
    org = make_org()
    ideation = make_challenge(org=org, slug="ouvert", premoderation=False)
    idea = make_idea(ideation, make_user("tenant", org=org))
    voting = make_challenge(
        org=org, phase="voting", slug="urne", voting_ends_at=utcnow() + timedelta(days=2)
    )
    candidate = make_idea(voting, status="shortlisted")
    newcomer = make_user("tenant", org=org, verified=False, created_at=utcnow())
    db.session.commit()
    return {"org": org, "idea": idea, "candidate": candidate, "newcomer": newcomer}


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


ATTEMPTS = {
    "idea": (
        lambda w: "/defis/ouvert/idees/nouvelle",
        lambda w: {"title": "Un goûter", "summary": "Dans le hall.", "body": "x", "theme_id": 0},
        Idea,
    ),
    "support": (lambda w: f"/idees/{w['idea'].id}/soutien", lambda w: {"action": "add"}, Support),
    "comment": (
        lambda w: f"/idees/{w['idea'].id}/commentaires",
        lambda w: {"body": "Bonne idée"},
        Comment,
    ),
    "report": (
        lambda w: f"/idees/{w['idea'].id}/signaler",
        lambda w: {"reason": "spam", "details": ""},
        Report,
    ),
    "ballot": (
        lambda w: "/defis/urne/vote",
        lambda w: {f"rang-{w['candidate'].id}": "1"},
        Ballot,
    ),
}


@pytest.mark.parametrize("action", sorted(ATTEMPTS))
def test_unconfirmed_account_cannot_take_part_and_nothing_is_written(
    client, db, login, world, action
):
    path, data, model = ATTEMPTS[action]
    before = _count(db, model)
    login(world["newcomer"])
    response = client.post(path(world), data=data(world))
    assert response.status_code == 403
    assert "Confirmez votre adresse e-mail" in response.text
    assert "Renvoyer l'e-mail" in response.text
    assert _count(db, model) == before


@pytest.mark.parametrize("action", sorted(ATTEMPTS))
def test_in_person_verification_lets_the_account_take_part(client, db, login, world, action):
    path, data, model = ATTEMPTS[action]
    facilitator = make_user("facilitator")
    newcomer = world["newcomer"]
    newcomer.verified_in_person_at = utcnow()
    newcomer.verified_by_id = facilitator.id
    db.session.commit()
    before = _count(db, model)
    login(newcomer)
    response = client.post(path(world), data=data(world))
    assert response.status_code == 302
    assert _count(db, model) == before + 1


def test_the_confirmation_page_resends_the_email(client, db, login, world):
    login(world["newcomer"])
    page = client.get("/defis/ouvert/idees/nouvelle")
    assert page.status_code == 403 and "Renvoyer l'e-mail" in page.text
    before = len(outbox(world["newcomer"].email))
    response = client.post("/verifier", data={"next": "/defis/ouvert/idees/nouvelle"})
    assert response.headers["Location"].endswith("/defis/ouvert/idees/nouvelle")
    assert len(outbox(world["newcomer"].email)) == before + 1


def test_resending_is_throttled(app, client, db, login, world):
    saved = app.config["RATELIMIT_RESET"]
    app.config["RATELIMIT_RESET"] = "1 per minute"
    try:
        login(world["newcomer"])
        before = len(outbox(world["newcomer"].email))
        assert client.post("/verifier").status_code == 302
        assert client.post("/verifier").status_code == 429
        assert len(outbox(world["newcomer"].email)) == before + 1
    finally:
        app.config["RATELIMIT_RESET"] = saved


def test_a_refusal_for_another_reason_is_a_plain_403(client, db, login, world):
    """An unconfirmed tenant of another landlord is not told to confirm: it would not help."""
    stranger = make_user("tenant", org=make_org(), verified=False)
    login(stranger)
    with unchanged():
        response = client.post(f"/idees/{world['idea'].id}/soutien", data={"action": "add"})
        assert response.status_code == 403
    assert "Confirmez votre adresse e-mail" not in response.text


@pytest.fixture
def threshold(app):
    saved = app.config["REPORT_THRESHOLD"]
    app.config["REPORT_THRESHOLD"] = 3
    yield
    app.config["REPORT_THRESHOLD"] = saved


def _reports_by(client, login, db, reporters, idea) -> bool:
    for reporter in reporters:
        client.post("/deconnexion")
        login(reporter)
        assert client.post(f"/idees/{idea.id}/signaler", data={"reason": "spam"}).status_code == 302
    db.session.expire_all()
    return db.session.get(Idea, idea.id).hidden_at is not None


def test_reports_from_accounts_younger_than_a_day_do_not_hide(client, db, login, world, threshold):
    fresh = [
        make_user("tenant", org=world["org"], created_at=utcnow() - timedelta(hours=20))
        for _ in range(3)
    ]
    assert _reports_by(client, login, db, fresh, world["idea"]) is False
    assert _count(db, Report) == 3  # the moderators still see them in their queue


def test_reports_from_day_old_confirmed_accounts_hide(client, db, login, world, threshold):
    seasoned = [
        make_user("tenant", org=world["org"], created_at=utcnow() - timedelta(days=2))
        for _ in range(3)
    ]
    assert _reports_by(client, login, db, seasoned, world["idea"]) is True


def test_fresh_reports_add_to_trusted_ones_only_as_information(client, db, login, world, threshold):
    reporters = [make_user("tenant", org=world["org"]) for _ in range(2)] + [
        make_user("tenant", org=world["org"], created_at=utcnow() - timedelta(minutes=5))
    ]
    assert _reports_by(client, login, db, reporters, world["idea"]) is False
