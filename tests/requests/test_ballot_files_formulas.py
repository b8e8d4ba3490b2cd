"""Candidate names that a spreadsheet would run are made safe at the close (issue 10, item 6).

The dashboard CSV already neutralised formulas; the public ballots file did not. The
names are made safe once, when the vote closes, so the CSV, PrefLib and BLT files carry
the same names and recounts of each still equal the stored result.
"""

from __future__ import annotations

import csv
import io

import pytest

from ideation.voting import services as voting
from tests.factories import make_ballot, make_challenge, make_idea, make_org
from tests.requests.test_results import _recount

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def closed(db):
    challenge = make_challenge(phase="voting", org=make_org(), slug="defi-formules")
    hostile = make_idea(challenge, status="shortlisted", title=FORMULA)
    plus = make_idea(challenge, status="shortlisted", title="+33 6 12 34 56 78")
    plain = make_idea(challenge, status="shortlisted", title="Un jardin")
    for ranking in ([hostile, plain], [plus, hostile], [hostile]):
        make_ballot(challenge, ranking=ranking)
    result = voting.close_vote(challenge)
    db.session.commit()
    return result


def test_no_cell_of_the_public_csv_starts_a_formula(client, closed):
    response = client.get("/defis/defi-formules/resultats/bulletins.csv")
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    assert "'" + FORMULA in cells  # the candidate list
    assert any(cell.startswith("'" + FORMULA) for cell in cells if " > " in cell)
    assert not [c for c in cells if c.startswith(voting.FORMULA_START)]


def test_the_stored_names_are_the_safe_ones(closed):
    assert "'" + FORMULA in closed.candidate_names
    assert "'+33 6 12 34 56 78" in closed.candidate_names
    assert "Un jardin" in closed.candidate_names


@pytest.mark.child_process
@pytest.mark.parametrize("ext", ["csv", "preflib", "blt"])
def test_recounts_of_every_file_still_match(client, closed, tmp_path, ext):
    recount = _recount(
        tmp_path,
        client,
        f"/defis/defi-formules/resultats/bulletins.{ext}",
        "schulze",
        closed.winners_count,
    )
    assert recount["digest"] == closed.digest
    assert "'" + FORMULA in [name for group in recount["ranking"] for name in group]
