"""A vote opens only with more shortlisted ideas than winners (issue 14).

With three shortlisted ideas and three winners every idea "wins": the facilitator's
"Ouvrir le vote" is refused with the reason on the page that holds the button, and the
calendar does not open it either: the challenge stays in review, and its page tells
the facilitators why.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.voting.models import VoteResult
from tests.factories import DEFAULT_PASSWORD, make_challenge, make_idea, make_regional, make_user
from tests.helpers import plain, unchanged

REFUSAL = "il faut plus d'idées sélectionnées que de gagnantes"


def text(response) -> str:
    return plain(html.unescape(response.text))


@pytest.fixture
def review(db):
    challenge = make_challenge(phase="review", slug="defi-etude")
    challenge.vote_winners = 3
    author = make_user()
    ideas = [make_idea(challenge, author, status="shortlisted") for _ in range(3)]
    make_idea(challenge, author, status="published")  # not on the shortlist: not counted
    facilitator = make_user("facilitator", org=make_regional())
    db.session.commit()
    return {"challenge": challenge, "ideas": ideas, "author": author, "facilitator": facilitator}


def phase_of(db, slug: str) -> Phase:
    db.session.expire_all()
    return db.session.scalar(select(Challenge.phase).where(Challenge.slug == slug))


def test_opening_with_as_many_ideas_as_winners_is_refused_on_the_form(client, db, login, review):
    login(review["facilitator"])
    with unchanged():
        response = client.post("/defis/defi-etude/phase", data={"target": "voting"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/defis/defi-etude/apercu"
    )
    page = text(client.get(response.headers["Location"]))
    assert REFUSAL in page
    assert "Idées sélectionnées : 3 ; gagnantes prévues : 3" in page
    assert phase_of(db, "defi-etude") == Phase.REVIEW
    # the form that opens the vote says it before anyone clicks, too
    assert REFUSAL in text(client.get("/defis/defi-etude"))


def test_the_refusal_is_translated(client, db, login, review):
    review["facilitator"].locale = "en"
    login(review["facilitator"])
    response = client.post(
        "/defis/defi-etude/phase", data={"target": "voting"}, follow_redirects=True
    )
    page = text(response)
    assert REFUSAL not in page
    assert "more shortlisted ideas than winners" in page


def test_one_more_idea_and_the_vote_opens(client, db, login, review):
    make_idea(review["challenge"], review["author"], status="shortlisted")
    db.session.commit()
    login(review["facilitator"])
    assert REFUSAL not in text(client.get("/defis/defi-etude"))
    response = client.post("/defis/defi-etude/phase", data={"target": "voting"})
    assert response.status_code == 302
    assert phase_of(db, "defi-etude") == Phase.VOTING


def test_fewer_winners_and_the_vote_opens(client, db, login, review):
    review["challenge"].vote_winners = 2
    db.session.commit()
    login(review["facilitator"])
    client.post("/defis/defi-etude/phase", data={"target": "voting"})
    assert phase_of(db, "defi-etude") == Phase.VOTING


def test_the_calendar_does_not_open_it_and_the_page_says_why(
    app, client, runner, db, login, review
):
    challenge = review["challenge"]
    challenge.voting_starts_at = utcnow() - timedelta(hours=2)
    challenge.voting_ends_at = utcnow() + timedelta(days=3)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).current_phase() == Phase.REVIEW
    result = runner.invoke(args=["challenges", "advance"])
    assert result.exit_code == 0, result.output
    assert phase_of(db, "defi-etude") == Phase.REVIEW
    # the facilitators read the reason on the challenge page
    login(review["facilitator"])
    page = text(client.get("/defis/defi-etude"))
    assert "La date d'ouverture du vote est passée, mais le vote reste fermé." in page
    assert REFUSAL in page
    # a participant has no vote page (the challenge is not in its vote) and no reason
    tenant = make_user(org=challenge.organisation)
    db.session.commit()
    other = app.test_client()
    assert (
        other.post(
            "/connexion", data={"email": tenant.email, "password": DEFAULT_PASSWORD}
        ).status_code
        == 302
    )
    assert other.get("/defis/defi-etude/vote").status_code == 403
    assert REFUSAL not in text(other.get("/defis/defi-etude"))


def test_the_calendar_opens_it_once_the_shortlist_is_long_enough(runner, db, review):
    challenge = review["challenge"]
    challenge.voting_starts_at = utcnow() - timedelta(hours=2)
    make_idea(challenge, review["author"], status="shortlisted")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).current_phase() == Phase.VOTING
    assert runner.invoke(args=["challenges", "advance"]).exit_code == 0
    assert phase_of(db, "defi-etude") == Phase.VOTING


def test_a_late_vote_never_closes_into_an_empty_result(runner, db, review):
    challenge = review["challenge"]
    challenge.voting_starts_at = utcnow() - timedelta(days=5)
    challenge.voting_ends_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert runner.invoke(args=["challenges", "advance"]).exit_code == 0
    assert phase_of(db, "defi-etude") == Phase.REVIEW
    assert db.session.scalar(select(VoteResult)) is None
