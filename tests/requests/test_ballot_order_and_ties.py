"""A fairer ballot (issue 14): each voter's own candidate order, and ties ("ex aequo").

The order only changes what the vote page shows; what is stored, counted and published
is the same whatever order a voter saw. Ideas given the same rank are stored as one
group of the ranking and counted as a tie by the engine.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult
from tests.factories import make_ballot, make_challenge, make_idea, make_org, make_user
from tests.helpers import plain
from tests.requests.test_results import _recount


@pytest.fixture
def box(db):
    """An open vote of six shortlisted ideas, five voters and a facilitator."""
    org = make_org("Habitat Ordre")
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-ordre", voting_ends_at=utcnow() + timedelta(days=3)
    )
    challenge.vote_winners = 2
    author = make_user(org=org)
    ideas = [
        make_idea(challenge, author, status="shortlisted", title=f"Idée {n}") for n in "ABCDEF"
    ]
    voters = [make_user(Role.TENANT, org=org, email=f"v{n}@example.test") for n in range(5)]
    db.session.commit()
    return {"challenge": challenge, "ideas": ideas, "voters": voters}


def signed_in(app, db, user):
    """A client of its own for each voter (one browser each)."""
    from tests.factories import DEFAULT_PASSWORD

    db.session.commit()
    client = app.test_client()
    response = client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def text(response) -> str:
    return plain(html.unescape(response.text))


def shown_order(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-idea-id="(\d+)"', page)]


# --- the order -------------------------------------------------------------------------


def test_each_voter_sees_their_own_order_and_the_same_one_twice(app, db, box):
    ids = sorted(i.id for i in box["ideas"])
    orders = []
    for voter in box["voters"]:
        client = signed_in(app, db, voter)
        first = shown_order(client.get("/defis/defi-ordre/vote").text)
        assert sorted(first) == ids  # every candidate, once
        assert shown_order(client.get("/defis/defi-ordre/vote").text) == first
        # the selects follow the cards: the no-JavaScript form is in the same order
        page = client.get("/defis/defi-ordre/vote").text
        assert [int(i) for i in re.findall(r'name="rang-(\d+)"', page)] == first
        orders.append(tuple(first))
    # two voters (here: at least two of five) see different orders
    assert len(set(orders)) > 1
    # and nobody's order is simply the ids' order by rule: it is the keyed shuffle
    assert any(list(o) != ids for o in orders)


def test_the_order_is_the_services_keyed_shuffle(app, client, login, box):
    voter = box["voters"][0]
    login(voter)
    page = client.get("/defis/defi-ordre/vote").text
    with app.test_request_context():
        expected = voting.candidate_order(box["challenge"], voter.id, box["ideas"])
        assert voting.candidate_order(box["challenge"], None, reversed(box["ideas"])) == sorted(
            box["ideas"], key=lambda i: i.id
        )
    assert shown_order(page) == [i.id for i in expected]


def test_the_order_changes_neither_the_stored_ballot_nor_the_results(app, db, box):
    a, b, *_ = box["ideas"]
    clients = [signed_in(app, db, voter) for voter in box["voters"][:2]]
    for client in clients:
        response = client.post(
            "/defis/defi-ordre/vote", data={f"rang-{b.id}": "1", f"rang-{a.id}": "2"}
        )
        assert response.status_code == 302
    db.session.expire_all()
    rankings = [b.ranking for b in db.session.scalars(select(Ballot))]
    assert rankings == [[[b.id], [a.id]], [[b.id], [a.id]]]
    voting.close_vote(box["challenge"])
    db.session.commit()
    seen = []
    for client in clients:
        results = client.get("/defis/defi-ordre/resultats").text
        csv = client.get("/defis/defi-ordre/resultats/bulletins.csv").data
        main = results[results.index("<h1") : results.index("</main>")]
        seen.append((re.sub(r'name="csrf_token"[^>]*>', "", main), csv))
    assert seen[0] == seen[1]


# --- ties ------------------------------------------------------------------------------


def ranks(*pairs) -> dict[str, str]:
    return {f"rang-{idea.id}": str(rank) for idea, rank in pairs}


def test_the_form_says_how_to_tie(client, login, box):
    login(box["voters"][0])
    page = text(client.get("/defis/defi-ordre/vote"))
    assert "Donnez-leur le même rang : elles sont ex aequo." in page
    assert "Ex aequo avec la précédente" in page  # the script's button label


@pytest.mark.parametrize(
    ("given", "groups"),
    [
        ((1, 1, 2), [[0, 1], [2]]),  # the next rank follows at once
        ((1, 1, 3), [[0, 1], [2]]),  # or skips the tied places
        ((1, 2, 2), [[0], [1, 2]]),
        ((1, 1, 1), [[0, 1, 2]]),
    ],
)
def test_same_rank_is_stored_as_one_group(client, db, login, box, given, groups):
    ideas = box["ideas"]
    login(box["voters"][0])
    response = client.post(
        "/defis/defi-ordre/vote", data=ranks(*zip(ideas[:3], given, strict=True))
    )
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    [ballot] = db.session.scalars(select(Ballot))
    assert ballot.ranking == [sorted(ideas[i].id for i in group) for group in groups]
    receipt = text(client.get("/defis/defi-ordre/vote/merci"))
    assert "(ex aequo)" in receipt
    # changing the vote: the form comes back with the same ranks
    form = client.get("/defis/defi-ordre/vote").text
    for idea, rank in zip(ideas[:3], [1, 1, 2] if given == (1, 1, 3) else given, strict=True):
        assert re.search(rf'name="rang-{idea.id}">.*?<option value="{rank}" selected', form, re.S)


def test_a_tie_counts_ideas_against_the_cap(client, db, login, box):
    box["challenge"].vote_max_ranks = 2
    db.session.commit()
    a, b, c, *_ = box["ideas"]
    login(box["voters"][0])
    response = client.post("/defis/defi-ordre/vote", data=ranks((a, 1), (b, 1), (c, 2)))
    assert response.status_code == 200
    assert "Trop de rangs" in text(response)
    assert db.session.scalars(select(Ballot)).all() == []
    response = client.post("/defis/defi-ordre/vote", data=ranks((a, 1), (b, 1)))
    assert response.status_code == 302


def test_a_gap_after_a_tie_is_still_refused(client, db, login, box):
    a, b, c, *_ = box["ideas"]
    login(box["voters"][0])
    response = client.post("/defis/defi-ordre/vote", data=ranks((a, 1), (b, 1), (c, 4)))
    assert response.status_code == 200
    assert "il manque le rang 2" in text(response)


def test_a_tied_ballot_is_counted_and_recounted(client, db, login, box, tmp_path):
    a, b, c, d, *_ = box["ideas"]
    login(box["voters"][0])
    assert (
        client.post("/defis/defi-ordre/vote", data=ranks((a, 1), (b, 1), (c, 2))).status_code == 302
    )
    make_ballot(box["challenge"], ranking=[d, [a, b]])
    make_ballot(box["challenge"], ranking=[[a, c]])
    db.session.commit()
    result = voting.close_vote(box["challenge"])
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(VoteResult))
    assert stored.ballots_count == 3
    # the published CSV keeps the group, and the offline recount equals the stored result
    csv = client.get("/defis/defi-ordre/resultats/bulletins.csv").data.decode()
    assert "Idée A" in csv and "Idée B" in csv
    recount = _recount(
        tmp_path,
        client,
        "/defis/defi-ordre/resultats/bulletins.csv",
        stored.method.value if hasattr(stored.method, "value") else stored.method,
        stored.winners_count,
    )
    assert recount["digest"] == stored.digest == result.digest
