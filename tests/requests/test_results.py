"""The results page, the ballot files and the receipt check; recounts equal the stored result."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from ideation.domain.roles import Role
from ideation.voting import services as voting
from ideation.voting.models import VoteResult
from tests.factories import make_ballot, make_challenge, make_idea, make_org, make_user

ROOT = Path(__file__).resolve().parents[2]


def _closed(db, method: str = "schulze", winners: int = 2, ballots=None, titles="ABCD"):
    org = make_org("Bailleur des résultats")
    challenge = make_challenge(phase="voting", org=org, slug="defi-clos")
    challenge.vote_method = method
    challenge.vote_winners = winners
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {t}") for t in titles]
    a, b, c, d = ideas[:4]
    rankings = ballots or (
        [[a, b, c, d]] * 5 + [[b, c, a]] * 4 + [[c, b]] * 3 + [[d]] * 2 + [[b, a]] * 2 + [[]]
    )
    receipts = [make_ballot(challenge, ranking=r).receipt for r in rankings]
    for _ in range(3):
        make_user(Role.TENANT, org=org)  # eligible, did not vote
    result = voting.close_vote(challenge)
    db.session.commit()
    return challenge, ideas, result, receipts


def _recount(tmp_path, client, url: str, method: str, winners: int) -> dict:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = disposition.split('filename="')[1].rstrip('"')
    path = tmp_path / name
    path.write_bytes(response.data)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ideation.recount",
            str(path),
            "--method",
            method,
            "--winners",
            str(winners),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.child_process
@pytest.mark.parametrize("method", ["schulze", "irv", "borda"])
@pytest.mark.parametrize("ext", ["csv", "preflib", "blt"])
def test_recount_of_each_downloaded_file_equals_the_stored_result(
    client, db, tmp_path, method, ext
):
    challenge, _ideas, result, _ = _closed(db, method=method)
    recount = _recount(
        tmp_path,
        client,
        f"/defis/defi-clos/resultats/bulletins.{ext}",
        method,
        result.winners_count,
    )
    assert recount == result.explanation  # the whole object: ranking, winners, digest, details
    assert recount["digest"] == result.digest
    names = dict(zip(result.candidate_ids, result.candidate_names, strict=True))
    assert recount["ranking"] == [[names[i] for i in g] for g in result.ranking]
    assert recount["winners"] == [names[i] for i in result.winners]
    assert recount["ballots"] == result.ballots_count == 17


def test_the_page_shows_the_recount_command_that_works(client, db, tmp_path):
    _challenge, _ideas, result, _ = _closed(db)
    page = html.unescape(client.get("/defis/defi-clos/resultats").text)
    command = (
        "python -m ideation.recount defi-clos-bulletins.csv --method schulze --winners 2 --json"
    )
    assert command in page
    assert result.digest in page


def test_results_page_explains_schulze(client, db):
    _challenge, ideas, result, _ = _closed(db)
    page = html.unescape(client.get("/defis/defi-clos/resultats").text)
    assert "Les 2 idées choisies" in page
    assert "Duels : nombre de personnes" in page and "Chemins les plus forts" in page
    assert "passe devant" in page
    # 17 voters, 4 idea authors and 3 tenants who did not vote: all in the landlord's scope
    assert f"17 bulletins pour {result.eligible_count} participant·es" in page
    assert result.eligible_count == 24 and "(70,8 %)" in page
    assert "<svg" in page and 'role="img"' in page
    assert "style=" not in page.split("<main")[1]  # CSP: no inline styles


def test_tie_is_written_ex_aequo(client, db):
    org = make_org()
    challenge = make_challenge(phase="voting", org=org, slug="defi-egal")
    challenge.vote_winners = 1
    a, b, c = (make_idea(challenge, status="shortlisted", title=f"Idée {t}") for t in "ABC")
    make_ballot(challenge, ranking=[a, b])
    make_ballot(challenge, ranking=[b, a])
    voting.close_vote(challenge)
    db.session.commit()
    page = html.unescape(client.get("/defis/defi-egal/resultats").text)
    assert "1er ex aequo :" in page
    assert "Une égalité a dû être départagée" in page
    assert "3e :" in page


@pytest.mark.parametrize("method", ["irv", "borda"])
def test_results_page_explains_the_other_methods(client, db, method):
    _closed(db, method=method)
    page = client.get("/defis/defi-clos/resultats").text
    if method == "irv":
        assert "Voix à chaque tour" in page and "Bulletins épuisés" in page
    else:
        assert "Points de chaque idée" in page


def test_verify_my_receipt(client, db):
    _challenge, _ideas, _result, receipts = _closed(db)
    code = receipts[0]
    page = html.unescape(
        client.get(
            f"/defis/defi-clos/resultats/verifier?recu={code.lower().replace('-', ' ')}"
        ).text
    )
    assert f"Le bulletin au reçu {code} fait partie des bulletins publiés" in page
    assert page.index("Idée A") < page.index("Idée B") < page.index("Idée C")
    missing = html.unescape(
        client.get("/defis/defi-clos/resultats/verifier?recu=ZZZZ-ZZZZ-ZZZZ").text
    )
    assert "Aucun bulletin publié ne porte le reçu ZZZZ-ZZZZ-ZZZZ" in missing
    blank = html.unescape(
        client.get(f"/defis/defi-clos/resultats/verifier?recu={receipts[-1]}").text
    )
    assert "Un bulletin blanc" in blank


def test_csv_lists_every_receipt_and_no_voter(client, db):
    """Each ballot's line carries a short hash of its receipt code, never the code."""
    _challenge, _ideas, _result, receipts = _closed(db)
    text = client.get("/defis/defi-clos/resultats/bulletins.csv").text
    for code in receipts:
        assert code not in text
        assert voting.published_receipt(code) in text
    assert "@" not in text and "Participant" not in text


def test_the_receipt_page_shows_the_line_of_the_file(client, db):
    _challenge, _ideas, _result, receipts = _closed(db)
    page = client.get(f"/defis/defi-clos/resultats/verifier?recu={receipts[0]}").text
    assert voting.published_receipt(receipts[0]) in page


def test_no_results_before_the_close(client, db):
    org = make_org()
    challenge = make_challenge(phase="voting", org=org, slug="defi-en-cours")
    a, b = (make_idea(challenge, status="shortlisted", title=f"Idée {t}") for t in "AB")
    make_ballot(challenge, ranking=[a, b])
    db.session.commit()
    page = client.get("/defis/defi-en-cours/resultats")
    assert page.status_code == 200
    assert "Le vote est en cours" in page.text
    assert "Idée A" not in page.text
    assert client.get("/defis/defi-en-cours/resultats/bulletins.csv").status_code == 404
    assert client.get("/defis/defi-en-cours/resultats/verifier?recu=X").status_code == 404


def test_unknown_file_extension_is_404(client, db):
    _closed(db)
    assert client.get("/defis/defi-clos/resultats/bulletins.exe").status_code == 404
    # the ballots of _closed rank only some ideas: the file is published as .soi, the
    # narrowest PrefLib type, and a complete-ranking .soc of them does not exist
    assert client.get("/defis/defi-clos/resultats/bulletins.soi").status_code == 200
    assert client.get("/defis/defi-clos/resultats/bulletins.soc").status_code == 404


def test_draft_challenge_results_are_hidden(client, db):
    make_challenge(phase="draft", slug="defi-secret")
    db.session.commit()
    assert client.get("/defis/defi-secret/resultats").status_code == 403


def test_results_page_query_count_does_not_grow(client, db, count_queries):
    small_org = make_org()
    small = make_challenge(phase="voting", org=small_org, slug="petit")
    ideas = [make_idea(small, status="shortlisted") for _ in range(2)]
    make_ballot(small, ranking=ideas)
    voting.close_vote(small)
    _closed(db)
    with count_queries() as few:
        assert client.get("/defis/petit/resultats").status_code == 200
    with count_queries() as many:
        assert client.get("/defis/defi-clos/resultats").status_code == 200
    assert many.count == few.count, many.statements


def test_closing_with_no_shortlisted_idea_stores_no_result(client, db):
    challenge = make_challenge(phase="voting", slug="defi-vide")
    voting.close_vote(challenge)
    db.session.commit()
    assert db.session.scalar(select(VoteResult)) is None
    page = html.unescape(client.get("/defis/defi-vide/resultats").text)
    assert "Aucune idée n'était soumise au vote" in page


def test_equal_titles_are_told_apart_in_the_files(client, db):
    org = make_org()
    challenge = make_challenge(phase="voting", org=org, slug="defi-homonymes")
    a = make_idea(challenge, status="shortlisted", title="Un jardin")
    b = make_idea(challenge, status="shortlisted", title="Un jardin")
    c = make_idea(challenge, status="shortlisted", title="A > B = C")
    make_ballot(challenge, ranking=[b, c, a])
    result = voting.close_vote(challenge)
    db.session.commit()
    assert result.candidate_names == [
        f"Un jardin (idée n°{a.id})",
        f"Un jardin (idée n°{b.id})",
        "A › B ≃ C",
    ]
    assert client.get("/defis/defi-homonymes/resultats/bulletins.csv").status_code == 200
