"""Methods come from the registry: a fourth one renders and recounts; labels translate;
Challenge.vote_method only holds a shipped method."""

from __future__ import annotations

import html
import json

import pytest
from jinja2 import ChoiceLoader, DictLoader

from ideation import recount
from ideation.domain.roles import Role
from ideation.domain.voting import VoteMethod, registry, tally
from ideation.voting import services as voting
from ideation.voting.models import VoteResult
from tests.factories import make_ballot, make_challenge, make_idea, make_org, make_user
from tests.fake_vote_method import NAME as FAKE
from tests.fake_vote_method import PARTIAL, registered
from tests.requests.test_challenges import _form
from tests.requests.test_results import _closed


@pytest.fixture
def fake_method(app):
    """The fake method in the registry, and its partial where the results page looks."""
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({f"voting/methods/{FAKE}.html": PARTIAL}), original]
    )
    try:
        with registered() as method:
            yield method
    finally:
        app.jinja_env.loader = original
        app.jinja_env.cache.clear()


def _stored_result(db, method: str) -> tuple[VoteResult, list[str]]:
    """A closed vote whose result was counted with `method`, stored as close_vote stores it."""
    org = make_org()
    challenge = make_challenge(phase="results", org=org, slug="defi-methode")
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {t}") for t in "ABC"]
    a, b, c = ideas
    ballots = [make_ballot(challenge, ranking=r) for r in [[a, b]] * 3 + [[[b, c]]] * 2 + [[c]]]
    ids = [i.id for i in ideas]
    names = voting.candidate_names(ideas)
    rows = [(ballot.receipt, ballot.ranking) for ballot in ballots]
    profile, _named = voting.profile_from_ballots(ids, names, rows)
    tallied = tally(profile, method, 1)
    id_of = dict(zip(names, ids, strict=True))
    result = VoteResult(
        challenge_id=challenge.id,
        method=tallied.method,
        winners_count=1,
        candidate_ids=ids,
        candidate_names=names,
        ranking=[[id_of[n] for n in group] for group in tallied.ranking],
        winners=[id_of[n] for n in tallied.winners],
        explanation=tallied.to_json_dict(),
        tie_break=list(tallied.tie_break),
        tie_break_used=tallied.tie_break_used,
        digest=tallied.digest,
        ballots_count=profile.voters,
        eligible_count=voting.eligible_count(challenge),
    )
    db.session.add(result)
    db.session.commit()
    return result, names


def test_results_page_renders_a_registered_fourth_method(client, db, fake_method):
    result, _names = _stored_result(db, FAKE)
    response = client.get("/defis/defi-methode/resultats")
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Premiers choix : chaque bulletin approuve" in page  # its partial
    assert "<li>Idée A : 3</li>" in page and "<li>Idée B : 2</li>" in page  # its presenter
    assert '<title id="chart-title">Approbations</title>' in page  # the shared chart
    assert f"Méthode : {fake_method.label}." in page
    assert f"--method {FAKE} --winners 1 --json" in page
    assert result.digest in page


def test_recount_of_the_published_file_equals_a_fourth_method_result(
    client, db, fake_method, tmp_path, capsys
):
    result, _names = _stored_result(db, FAKE)
    response = client.get("/defis/defi-methode/resultats/bulletins.csv")
    assert response.status_code == 200
    path = tmp_path / "defi-methode-bulletins.csv"
    path.write_bytes(response.data)
    assert recount.main([str(path), "--method", FAKE, "--winners", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == result.explanation


def test_a_result_whose_method_is_no_longer_registered_still_shows(client, db, fake_method):
    _stored_result(db, FAKE)
    # Once the method is gone (the fixture removes it at the end), the page must not fail.
    registry.unregister(FAKE)
    response = client.get("/defis/defi-methode/resultats")
    registry.register(fake_method)
    assert response.status_code == 200
    assert "Le détail de cette méthode de calcul ne peut pas être affiché." in response.text


@pytest.mark.parametrize(
    ("method", "english", "french"),
    [
        ("schulze", "Method: Schulze method.", "méthode de Schulze"),
        ("irv", "Method: instant-runoff voting.", "vote alternatif"),
        ("borda", "Method: Borda count.", "méthode de Borda"),
    ],
)
def test_method_labels_show_in_english_on_the_english_site(client, db, method, english, french):
    _closed(db, method=method)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = html.unescape(client.get("/defis/defi-clos/resultats").text)
    assert english in page
    assert french not in page


def test_a_challenge_cannot_be_set_to_a_method_that_is_not_shipped(client, db, login, fake_method):
    facilitator = make_user(role=Role.FACILITATOR)
    challenge = make_challenge(phase="ideation", org=None)
    login(facilitator)
    response = client.post(f"/defis/{challenge.slug}/modifier", data=_form(vote_method=FAKE))
    assert response.status_code == 200  # the form is shown again with its error
    assert "Façon de compter les votes : N'est pas un choix valide." in html.unescape(response.text)
    db.session.refresh(challenge)
    assert challenge.vote_method is VoteMethod("schulze")


def test_the_vote_close_counts_with_the_challenge_method(db):
    challenge, _ideas, result, _ = _closed(db, method="borda")
    assert challenge.vote_method is VoteMethod("borda")
    assert result.method == "borda" and "scores" in result.explanation
