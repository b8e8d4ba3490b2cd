"""Irreversible buttons ask first, on a page that works without JavaScript (issue 14).

Closing a vote (its own button, or the phase form), archiving a challenge and deleting
a comment: a POST without `confirm` changes nothing and answers a page with the real
consequences, a "Confirmer" button (the same POST with `confirm=1` and a CSRF token)
and an "Annuler" link back; only the confirmed POST acts.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.domain.roles import Role
from ideation.voting.models import VoteResult
from tests.factories import (
    make_ballot,
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import plain, unchanged


def text(response) -> str:
    return plain(html.unescape(response.text))


def confirm_form(page: str) -> tuple[str, dict[str, str]]:
    """The confirmation page's form: its action and its fields."""
    page = page[page.index('class="narrow confirm-page"') :]
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form, page
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[2]))
    return html.unescape(form[1]), fields


@pytest.fixture
def vote(db):
    org = make_org("Habitat Clôture")
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-clos", voting_ends_at=utcnow() + timedelta(days=2)
    )
    challenge.vote_winners = 1
    author = make_user(org=org)
    ideas = [make_idea(challenge, author, status="shortlisted") for _ in range(3)]
    facilitator = make_user(Role.FACILITATOR, org=make_regional())
    db.session.commit()
    return {"challenge": challenge, "ideas": ideas, "facilitator": facilitator}


def result_count(db) -> int:
    db.session.expire_all()
    return len(db.session.scalars(select(VoteResult)).all())


@pytest.mark.parametrize(("ballots", "words"), [(1, "1 bulletin ;"), (30, "30 bulletins ;")])
def test_closing_the_vote_asks_first_with_the_real_count(client, db, login, vote, ballots, words):
    for _ in range(ballots):
        make_ballot(vote["challenge"], ranking=[vote["ideas"][0]])
    login(vote["facilitator"])
    with unchanged():
        response = client.post("/defis/defi-clos/vote/cloturer")
    assert response.status_code == 200
    page = text(response)
    assert f"Clôturer maintenant ? {words} ce n'est pas réversible." in page
    assert 'name="csrf_token"' in response.text
    assert 'href="/defis/defi-clos">Annuler</a>' in response.text
    assert result_count(db) == 0
    action, fields = confirm_form(response.text)
    assert action == "/defis/defi-clos/vote/cloturer" and fields["confirm"] == "1"
    response = client.post(action, data=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith("/resultats")
    assert result_count(db) == 1


def test_closing_by_the_phase_form_asks_too(client, db, login, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][1]])
    login(vote["facilitator"])
    response = client.post("/defis/defi-clos/phase", data={"target": "results"})
    assert response.status_code == 200
    assert "Clôturer maintenant ? 1 bulletin" in text(response)
    assert result_count(db) == 0
    action, fields = confirm_form(response.text)
    assert action == "/defis/defi-clos/phase" and fields["target"] == "results"
    assert client.post(action, data=fields).status_code == 302
    assert result_count(db) == 1


def test_only_facilitators_see_the_close_confirmation(client, db, login, vote):
    login(make_user(org=vote["challenge"].organisation))
    with unchanged():
        assert client.post("/defis/defi-clos/vote/cloturer").status_code == 403


def test_archiving_asks_first(client, db, login):
    challenge = make_challenge(phase="results", slug="defi-fini", title="Le défi fini")
    db.session.commit()
    login(make_user("facilitator", org=make_regional()))
    with unchanged():
        response = client.post("/defis/defi-fini/phase", data={"target": "archived"})
    assert response.status_code == 200
    page = text(response)
    assert "Archiver « Le défi fini » maintenant ? Ce n'est pas réversible." in page
    assert 'href="/defis/defi-fini">Annuler</a>' in response.text
    action, fields = confirm_form(response.text)
    assert fields == {"csrf_token": fields["csrf_token"], "target": "archived", "confirm": "1"}
    assert client.post(action, data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == Phase.ARCHIVED


def test_a_skipped_phase_is_refused_without_asking(client, db, login):
    make_challenge(phase="ideation", slug="defi-tot")
    db.session.commit()
    login(make_user("facilitator", org=make_regional()))
    response = client.post("/defis/defi-tot/phase", data={"target": "archived"})
    assert response.status_code == 302  # refused with its message, no confirmation asked


def test_deleting_a_comment_asks_first(client, db, login):
    org = make_org()
    residence = make_residence(org)
    challenge = make_challenge(org=org, phase="ideation")
    idea = make_idea(challenge, make_user(org=org, residence=residence), status="published")
    writer = make_user("tenant", org=org, residence=residence)
    comment = make_comment(idea, writer, body="Mon avis à effacer")
    login(writer)
    with unchanged():
        response = client.post(f"/commentaires/{comment.id}/supprimer")
    assert response.status_code == 200
    page = text(response)
    assert "Supprimer votre commentaire ? Ce n'est pas réversible." in page
    assert "Mon avis à effacer" in page
    assert f'href="/idees/{idea.id}#commentaire-{comment.id}">Annuler</a>' in response.text
    action, fields = confirm_form(response.text)
    assert client.post(action, data=fields).status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).is_deleted


def test_someone_else_gets_no_confirmation_page(client, db, login):
    org = make_org()
    challenge = make_challenge(org=org, phase="ideation")
    idea = make_idea(challenge, make_user(org=org), status="published")
    comment = make_comment(idea)
    login(make_user("admin"))
    with unchanged():
        assert client.post(f"/commentaires/{comment.id}/supprimer").status_code == 403
