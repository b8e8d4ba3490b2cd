"""The vote method cannot change once a ballot exists; one close button.

See docs/domain.md#vote-settings.
"""

from __future__ import annotations

from ideation.challenges.models import Challenge
from tests.factories import make_ballot, make_challenge, make_idea, make_user
from tests.helpers import unchanged
from tests.requests.test_challenges import _form


def _voting_challenge(db):
    facilitator = make_user(role="facilitator")
    challenge = make_challenge(phase="voting", org=None)
    ideas = [make_idea(challenge, status="shortlisted") for _ in range(3)]
    return facilitator, challenge, ideas


def test_vote_method_can_change_before_any_ballot(client, db, login):
    facilitator, challenge, _ = _voting_challenge(db)
    login(facilitator)
    response = client.post(f"/defis/{challenge.slug}/modifier", data=_form(vote_method="borda"))
    assert response.status_code == 302
    db.session.refresh(challenge)
    assert challenge.vote_method == "borda"


def test_vote_settings_are_frozen_once_a_ballot_exists(client, db, login):
    facilitator, challenge, ideas = _voting_challenge(db)
    make_ballot(challenge, ranking=ideas[:2])
    login(facilitator)
    for change in ({"vote_method": "irv"}, {"vote_winners": "1"}, {"vote_max_ranks": "2"}):
        response = client.post(f"/defis/{challenge.slug}/modifier", data=_form(**change))
        assert response.status_code == 200
        assert "ne peut plus changer" in response.text
    db.session.refresh(challenge)
    assert (challenge.vote_method, challenge.vote_winners, challenge.vote_max_ranks) == (
        "schulze",
        3,
        None,
    )
    # other fields still editable when the vote settings are left alone
    ok = client.post(f"/defis/{challenge.slug}/modifier", data=_form(title="Titre corrigé"))
    assert ok.status_code == 302


def test_the_challenge_page_shows_a_single_close_button(client, db, login):
    facilitator, challenge, _ = _voting_challenge(db)
    login(facilitator)
    page = client.get(f"/defis/{challenge.slug}").text
    assert page.count("Clôturer le vote") == 1
    assert "Clore le vote et publier les résultats" not in page


def test_a_facilitator_reserves_the_vote_to_verified_households(client, db, login):
    facilitator, challenge, _ = _voting_challenge(db)
    login(facilitator)
    response = client.post(f"/defis/{challenge.slug}/modifier", data=_form(vote_verified_only="y"))
    assert response.status_code == 302
    db.session.refresh(challenge)
    assert challenge.vote_verified_only is True
    assert "Vote réservé aux foyers vérifiés" in client.get(f"/defis/{challenge.slug}").text


def test_the_household_rule_is_frozen_once_a_ballot_exists(client, db, login):
    facilitator, challenge, ideas = _voting_challenge(db)
    make_ballot(challenge, ranking=ideas[:2])
    login(facilitator)
    with unchanged(Challenge):
        response = client.post(
            f"/defis/{challenge.slug}/modifier", data=_form(vote_verified_only="y")
        )
        assert response.status_code == 200
    assert "ne peut plus changer" in response.text
