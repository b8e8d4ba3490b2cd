"""The vote pages: casting, replacing, refusals, closing (by hand, by date, by cron)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.db_types import utcnow
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import Role
from ideation.ideas.models import Idea
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult
from tests.factories import (
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import outbox, unchanged


@pytest.fixture
def vote(db):
    """A landlord's challenge in its vote: four shortlisted ideas and one that is not."""
    org = make_org("Rhône Habitat Vote")
    residence = make_residence(org)
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-vote", voting_ends_at=utcnow() + timedelta(days=5)
    )
    challenge.vote_winners = 2
    author = make_user(org=org, residence=residence)
    ideas = [make_idea(challenge, author, status="shortlisted", title=f"Idée {n}") for n in "ABCD"]
    other = make_idea(challenge, author, status="published", title="Pas au vote")
    voter = make_user(Role.TENANT, org=org, residence=residence, email="voter@example.test")
    facilitator = make_user(Role.FACILITATOR, org=make_regional())
    db.session.commit()
    return {
        "org": org,
        "residence": residence,
        "challenge": challenge,
        "ideas": ideas,
        "other": other,
        "voter": voter,
        "facilitator": facilitator,
    }


def ranks(*pairs) -> dict[str, str]:
    return {f"rang-{idea.id}": str(rank) for idea, rank in pairs}


def stored(db, challenge) -> list[Ballot]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ballot).where(Ballot.challenge_id == challenge.id)))


# --- who may vote --------------------------------------------------------------------


def test_visitor_is_sent_to_log_in(client, vote):
    response = client.get("/defis/defi-vote/vote")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]
    response = client.post("/defis/defi-vote/vote", data=ranks((vote["ideas"][0], 1)))
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_out_of_scope_tenant_may_not_vote(client, db, login, vote):
    outsider = make_user(Role.TENANT, org=make_org())
    login(outsider)
    assert client.get("/defis/defi-vote/vote").status_code == 403
    response = client.post("/defis/defi-vote/vote", data=ranks((vote["ideas"][0], 1)))
    assert response.status_code == 403
    assert stored(db, vote["challenge"]) == []


def test_tenant_of_another_residence_may_not_vote_when_the_challenge_is_limited(
    client, db, login, vote
):
    vote["challenge"].residences = [vote["residence"]]
    elsewhere = make_user(Role.TENANT, org=vote["org"], residence=make_residence(vote["org"]))
    db.session.commit()
    login(elsewhere)
    assert client.get("/defis/defi-vote/vote").status_code == 403


def test_regional_facilitator_does_not_vote_in_a_landlord_challenge(client, login, vote):
    login(vote["facilitator"])
    assert client.get("/defis/defi-vote/vote").status_code == 403


def test_vote_page_shows_cards_and_selects_without_any_tally(client, login, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][2]])
    login(vote["voter"])
    page = client.get("/defis/defi-vote/vote").text
    for idea in vote["ideas"]:
        assert f'name="rang-{idea.id}"' in page
        assert f'data-idea-id="{idea.id}"' in page
    assert "Pas au vote" not in page
    assert "1 bulletin déposé" in page  # a total is fine, no count per idea
    assert "soutien" not in page
    assert 'src="/static/js/ranking.js"' in page and "<script>" not in page


# --- casting and replacing ------------------------------------------------------------


def test_cast_then_receipt(client, db, login, vote):
    a, b, c, _d = vote["ideas"]
    login(vote["voter"])
    response = client.post(
        "/defis/defi-vote/vote", data=ranks((b, 1), (a, 2), (c, 3)) | {f"rang-{_d.id}": ""}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/defis/defi-vote/vote/merci")
    [ballot] = stored(db, vote["challenge"])
    assert ballot.voter_id == vote["voter"].id
    assert ballot.ranking == [[b.id], [a.id], [c.id]]
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", ballot.receipt)
    page = client.get("/defis/defi-vote/vote/merci").text
    assert ballot.receipt in page and "Votre vote est enregistré" in page
    mine = client.get("/defis/defi-vote/mon-vote").text
    assert ballot.receipt in mine and "Changer mon vote" in mine
    assert mine.index("Idée B") < mine.index("Idée A") < mine.index("Idée C")


def test_changing_the_vote_replaces_the_ballot_and_keeps_the_receipt(client, db, login, vote):
    a, b, c, d = vote["ideas"]
    login(vote["voter"])
    client.post("/defis/defi-vote/vote", data=ranks((a, 1)))
    [first] = stored(db, vote["challenge"])
    form = client.get("/defis/defi-vote/vote").text
    assert re.search(rf'name="rang-{a.id}">.*?<option value="1" selected', form, re.S)
    client.post("/defis/defi-vote/vote", data=ranks((d, 1), (c, 2)))
    [second] = stored(db, vote["challenge"])
    assert second.id == first.id and second.receipt == first.receipt
    assert second.ranking == [[d.id], [c.id]]


def test_confirmation_without_a_ballot_goes_back_to_the_vote(client, login, vote):
    login(vote["voter"])
    response = client.get("/defis/defi-vote/vote/merci")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/defis/defi-vote/vote"
    )
    assert "Vous n'avez pas voté" in html.unescape(client.get("/defis/defi-vote/mon-vote").text)


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda i, o: ranks((i[0], 1), (i[1], 1), (i[2], 2)), "Trop de rangs"),
        (lambda i, o: ranks((i[0], 2)), "Trou dans le classement : il manque le rang 1"),
        (lambda i, o: ranks((i[0], 1), (i[1], 2), (i[2], 3)), "Trop de rangs"),
        (lambda i, o: ranks((i[0], 1)) | {"rang-999999": "2"}, "ne fait pas partie de ce vote"),
        (lambda i, o: ranks((i[0], 1), (o, 2)), "ne fait pas partie de ce vote"),
        (lambda i, o: {f"rang-{i[0].id}": "premier"}, "n'est pas valide"),
        (lambda i, o: {f"rang-{i[0].id}": ""}, "Classez au moins une idée"),
        (lambda i, o: ranks((i[0], 0)), "Trop de rangs"),
    ],
    ids=[
        "tie-over-the-cap",
        "gap",
        "too-many",
        "unknown-id",
        "not-shortlisted",
        "not-a-number",
        "empty",
        "zero",
    ],
)
def test_bad_rankings_show_the_form_again_with_a_french_error(
    client, db, login, vote, make_data, message
):
    vote["challenge"].vote_max_ranks = 2
    db.session.commit()
    login(vote["voter"])
    data = make_data(vote["ideas"], vote["other"])
    response = client.post("/defis/defi-vote/vote", data=data)
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert 'role="alert"' in response.text
    assert stored(db, vote["challenge"]) == []
    # the voter's choices are kept
    first = vote["ideas"][0]
    value = data.get(f"rang-{first.id}")
    if value:
        assert re.search(
            rf'name="rang-{first.id}">.*?<option value="{re.escape(value)}" selected',
            response.text,
            re.S,
        )


def test_rank_cap_is_enforced_by_the_service_too(db, vote):
    vote["challenge"].vote_max_ranks = 2
    a, b, c, _ = vote["ideas"]
    with pytest.raises(voting.BallotRefused):
        voting.cast_ballot(vote["challenge"], vote["voter"].id, [[a.id], [b.id], [c.id]])
    with pytest.raises(voting.BallotRefused):
        voting.cast_ballot(vote["challenge"], vote["voter"].id, [[a.id], [vote["other"].id]])
    with pytest.raises(voting.BallotRefused):
        voting.cast_ballot(vote["challenge"], vote["voter"].id, [[a.id], [a.id]])


# --- closing -------------------------------------------------------------------------


def test_facilitator_closes_the_vote(client, db, login, vote):
    a, b, c, d = vote["ideas"]
    for ranking in ([a, b, c], [a, c], [b, a], [d, a, b, c]):
        make_ballot(vote["challenge"], ranking=ranking)
    make_ballot(vote["challenge"], voter=vote["voter"], ranking=[a])
    db.session.commit()
    login(vote["facilitator"])
    page = client.get("/defis/defi-vote")
    assert page.status_code == 200
    response = client.post("/defis/defi-vote/vote/cloturer", data={"confirm": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/defis/defi-vote/resultats"
    )
    db.session.expire_all()
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 5
    assert result.winners == [a.id, b.id]
    assert result.ranking[0] == [a.id]
    assert result.explanation["candidates"] == ["Idée A", "Idée B", "Idée C", "Idée D"]
    statuses = {i.id: i.status for i in db.session.scalars(select(Idea))}
    assert statuses[a.id] == statuses[b.id] == IdeaStatus.SELECTED
    assert statuses[c.id] == statuses[d.id] == IdeaStatus.NOT_SELECTED
    assert statuses[vote["other"].id] == IdeaStatus.PUBLISHED
    assert vote["challenge"].phase.value == "results"
    mails = outbox()
    assert len(mails) == 5
    assert any(m.recipient == "voter@example.test" for m in mails)
    assert "/defis/defi-vote/resultats" in mails[0].body_text
    # a second close is refused (the vote is no longer open) and nothing is recounted
    assert client.post("/defis/defi-vote/vote/cloturer", data={"confirm": "1"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 1


def test_close_vote_is_idempotent(db, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][1]])
    first = voting.close_vote(vote["challenge"])
    db.session.commit()
    computed_at = first.computed_at
    again = voting.close_vote(vote["challenge"])
    db.session.commit()
    assert again.id == first.id and again.computed_at == computed_at
    assert len(outbox()) == 1


def test_only_facilitators_close(client, login, vote):
    login(vote["voter"])
    with unchanged():
        assert (
            client.post("/defis/defi-vote/vote/cloturer", data={"confirm": "1"}).status_code == 403
        )


def test_ballot_after_close_is_refused(client, db, login, vote):
    login(vote["voter"])
    voting.close_vote(vote["challenge"])
    db.session.commit()
    response = client.post("/defis/defi-vote/vote", data=ranks((vote["ideas"][0], 1)))
    assert response.status_code == 302 and response.headers["Location"].endswith("/resultats")
    page = client.get(response.headers["Location"]).text
    assert "Le vote est clos : votre bulletin n'a pas été enregistré." in html.unescape(page)
    assert stored(db, vote["challenge"]) == []
    # and the service refuses too
    with pytest.raises(voting.VoteClosed):
        voting.cast_ballot(vote["challenge"], vote["voter"].id, [[vote["ideas"][0].id]])


def test_vote_closes_lazily_at_its_end_date(client, db, login, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][3]])
    vote["challenge"].voting_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(vote["voter"])
    response = client.post("/defis/defi-vote/vote", data=ranks((vote["ideas"][0], 1)))
    assert response.status_code == 302 and response.headers["Location"].endswith("/resultats")
    db.session.expire_all()
    result = db.session.scalar(select(VoteResult))
    assert (
        result is not None
        and result.ballots_count == 1
        and result.winners[0] == vote["ideas"][3].id
    )
    assert len(stored(db, vote["challenge"])) == 1
    # reading again does not recount
    client.get("/defis/defi-vote/resultats")
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 1


def test_challenges_advance_closes_due_votes(runner, db, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][2], vote["ideas"][0]])
    vote["challenge"].voting_ends_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = runner.invoke(args=["challenges", "advance"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    stored_result = db.session.scalar(select(VoteResult))
    assert stored_result is not None and stored_result.winners[0] == vote["ideas"][2].id
    assert db.session.get(Idea, vote["ideas"][2].id).status == IdeaStatus.SELECTED
    again = runner.invoke(args=["challenges", "advance"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 1


def test_phase_move_to_results_closes_the_vote(client, db, login, vote):
    make_ballot(vote["challenge"], ranking=[vote["ideas"][1]])
    db.session.commit()
    login(vote["facilitator"])
    response = client.post("/defis/defi-vote/phase", data={"target": "results", "confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.scalar(select(VoteResult))
    assert result is not None and result.winners[0] == vote["ideas"][1].id


def test_vote_page_query_count_does_not_grow(client, db, login, vote, count_queries):
    login(vote["voter"])
    with count_queries() as small:
        assert client.get("/defis/defi-vote/vote").status_code == 200
    author = make_user(org=vote["org"])
    for n in range(8):
        make_idea(
            vote["challenge"], make_user(org=vote["org"]) if n % 2 else author, status="shortlisted"
        )
    for _ in range(5):
        make_ballot(vote["challenge"], ranking=[vote["ideas"][0]])
    db.session.commit()
    with count_queries() as large:
        assert client.get("/defis/defi-vote/vote").status_code == 200
    assert large.count == small.count, large.statements


def test_seed_has_an_open_vote_without_the_demo_tenant_and_a_closed_one(runner, db):
    from ideation.auth.models import User
    from ideation.challenges.models import Challenge
    from tests.seeded import demo

    demo(db)  # the demo, run once per test process (tests/seeded.py)
    open_vote = db.session.scalar(select(Challenge).where(Challenge.slug == "economies-energie"))
    closed = db.session.scalar(select(Challenge).where(Challenge.slug == "lien-entre-voisins"))
    newcomer = db.session.scalar(select(User).where(User.email == "locataire@demo.fabrique.test"))
    tenants = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.TENANT)
    )
    voters = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.challenge_id == open_vote.id)
    )
    assert voters > tenants // 2
    assert voting.get_ballot(open_vote.id, newcomer.id) is None
    result = voting.get_result(closed.id)
    assert result is not None and result.ballots_count > 10
    statuses = {
        i.status for i in db.session.scalars(select(Idea).where(Idea.id.in_(result.candidate_ids)))
    }
    # The pilots seed (issue 6) turns some of the winners into pilots.
    assert IdeaStatus.NOT_SELECTED in statuses
    assert statuses <= {IdeaStatus.SELECTED, IdeaStatus.NOT_SELECTED, IdeaStatus.PILOTED}
    assert voting.get_result(open_vote.id) is None
    # One result per counted vote: the demo's closed vote, the archived youth-jobs challenge
    # (its shortlist now has more ideas than winners, so its vote opens and is counted) and
    # the two earlier editions, whose votes the seed replays through the ballot service.
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 4
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 4
