"""One count (issue 14, item 4): online, desk and paper ballots are counted together,
published with their channel, recounted from every published file to the stored result;
the results page shows who voted per channel and per residence."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from ideation.db_types import utcnow
from ideation.desks import paper
from ideation.desks.models import VoteDesk
from ideation.domain import voting as engine
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.domain.voting import formats
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import VoteResult
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import plain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def counted(db):
    return every_channel_vote()


def every_channel_vote() -> dict:
    """A landlord's vote with every channel, closed: 4 online ballots, 1 desk ballot (it
    replaced that person's online one), 3 paper voters ticked (one had voted online: that
    ballot is annulled) and 2 paper ballots (the third sheet was blank). Residences: Le
    Parc 4 voters of 5, Les Tilleuls 3 of 4, no residence 1 of 5 (a paper voter; the
    assessor and the ideas' three authors did not vote)."""
    org = make_org("Bailleur du compte unique")
    parc = make_residence(org, "Le Parc")
    tilleuls = make_residence(org, "Les Tilleuls")
    challenge = make_challenge(phase="voting", org=org, slug="defi-compte-unique")
    challenge.vote_winners = 1
    a, b, c = (make_idea(challenge, status="shortlisted", title=f"Idée {n}") for n in "ABC")
    facilitator = make_user(Role.FACILITATOR, org=make_regional())
    assessor = make_user(Role.STAFF, org=org)
    desk = VoteDesk(challenge_id=challenge.id, name="Loge du Parc", opened_by_id=facilitator.id)
    desk.assessors = [assessor]
    _db.session.add(desk)
    _db.session.flush()

    def tenant(residence):
        return make_user(Role.TENANT, org=org, residence=residence)

    for residence, ranking in (
        (parc, [[a.id], [b.id]]),
        (parc, [[b.id], [a.id], [c.id]]),
        (tilleuls, [[a.id, c.id]]),
        (tilleuls, [[a.id]]),
    ):
        voting.cast_ballot(challenge, tenant(residence).id, ranking)
    at_desk = tenant(tilleuls)
    voting.cast_ballot(challenge, at_desk.id, [[b.id]])
    desk_receipt = voting.cast_at_desk(
        challenge, at_desk.id, [[c.id], [a.id]], desk.id, assessor.id
    )
    changed_mind = tenant(parc)
    voting.cast_ballot(challenge, changed_mind.id, [[c.id]])
    for voter in (changed_mind, tenant(parc), tenant(None)):
        voting.mark_paper_voter(challenge, voter.id, desk.id, assessor.id)
    tenant(parc), tenant(tilleuls)  # could vote, did not
    sheets = [voting.new_receipt() for _ in range(2)]
    for receipt, ranking in zip(sheets, ([[a.id], [c.id]], [[c.id, b.id]]), strict=True):
        voting.cast_paper_ballot(challenge, ranking, desk.id, receipt)
    desk.closed_at = utcnow()
    desk.closed_by_id = facilitator.id
    paper.freeze_record(desk.id, facilitator.id, sheets_received=3, set_aside=True)
    result = voting.close_vote(challenge)
    _db.session.commit()
    return {
        "challenge": challenge,
        "result": result,
        "desk_receipt": desk_receipt,
        "paper_receipts": sheets,
        "residences": (parc, tilleuls),
    }


def test_the_close_keeps_the_turnout_per_channel_and_per_residence(counted):
    result, (parc, tilleuls) = counted["result"], counted["residences"]
    assert result.ballots_count == 7 and result.eligible_count == 14
    assert result.turnout["channels"] == {
        "online": {"voters": 4, "ballots": 4},
        "desk": {"voters": 1, "ballots": 1},
        "paper": {"voters": 3, "ballots": 2},
    }
    assert result.turnout["residences"] == [
        {"residence_id": parc.id, "voters": 4, "eligible": 5},
        {"residence_id": tilleuls.id, "voters": 3, "eligible": 4},
        {"residence_id": None, "voters": 1, "eligible": 5},
    ]
    eligible = sum(row["eligible"] for row in result.turnout["residences"])
    assert eligible == result.eligible_count


def _download(client, slug: str, ext: str, tmp_path: Path) -> Path:
    response = client.get(f"/defis/{slug}/resultats/bulletins.{ext}", follow_redirects=True)
    assert response.status_code == 200
    name = response.headers["Content-Disposition"].split('filename="')[1].rstrip('"')
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


@pytest.mark.parametrize("ext", ["csv", "preflib", "blt"])
def test_a_recount_of_each_published_file_equals_the_stored_result(client, counted, tmp_path, ext):
    result: VoteResult = counted["result"]
    path = _download(client, counted["challenge"].slug, ext, tmp_path)
    loaded = formats.read_ballots(path)
    recount = engine.tally(loaded.ballots, result.method, result.winners_count)
    id_of = dict(zip(result.candidate_names, result.candidate_ids, strict=True))
    assert recount.ballots == result.ballots_count == 7
    assert recount.digest == result.digest
    assert [[id_of[n] for n in group] for group in recount.ranking] == result.ranking
    assert [id_of[n] for n in recount.winners] == result.winners
    assert list(recount.tie_break) == result.tie_break
    assert recount.to_json_dict() == result.explanation
    if ext == "csv":
        assert path.read_text(encoding="utf-8").startswith("receipt,channel,ranking\n")
        assert loaded.channel_counts() == {Channel.ONLINE: 4, Channel.DESK: 1, Channel.PAPER: 2}
        channel_of = dict(zip(loaded.receipts, loaded.channels, strict=True))
        assert channel_of[voting.published_receipt(counted["desk_receipt"])] == Channel.DESK
        for receipt in counted["paper_receipts"]:
            assert channel_of[voting.published_receipt(receipt)] == Channel.PAPER
    else:
        assert loaded.channels is None  # PrefLib and BLT have no channel


def test_the_recount_command_reads_the_published_csv_with_its_channels(client, counted, tmp_path):
    result: VoteResult = counted["result"]
    path = _download(client, counted["challenge"].slug, "csv", tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ideation.recount", str(path), "--method", result.method]
        + ["--winners", str(result.winners_count)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Nombre de bulletins : 7\n  par canal : en ligne 4, bureau 1, papier 2\n" in done.stdout
    assert result.digest in done.stdout


def _table(page: str, caption: str) -> list[list[str]]:
    """The rows of the table with this caption, each as its cells' text."""
    start = page.index(f"<caption>{caption}</caption>")
    body = page[start : page.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(plain(unescape(re.sub("<[^>]+>", "", c))).split()) for c in cells])
    return rows


def test_the_results_page_shows_the_turnout_per_channel_and_per_residence(client, counted):
    page = client.get(f"/defis/{counted['challenge'].slug}/resultats")
    assert page.status_code == 200
    assert _table(page.text, "Participation par canal") == [
        ["Canal", "Votant·es", "Bulletins comptés"],
        ["En ligne", "4", "4"],
        ["Bureau de vote", "1", "1"],
        ["Papier", "3", "2"],
        ["Total", "8", "7"],
    ]
    assert _table(page.text, "Participation par résidence") == [
        ["Résidence", "Votant·es", "Pouvant voter", "Participation"],
        ["Le Parc", "4", "5", "80 %"],
        ["Les Tilleuls", "3", "4", "75 %"],
        ["Sans résidence", "1", "5", "20 %"],
    ]
    assert page.text.count('<th scope="row">') >= 8
    assert page.text.count('class="table-wrap"') >= 2


def test_many_residences_show_the_first_twelve_and_add_up_the_others(db, count_queries):
    org = make_org()
    homes = [make_residence(org, f"Résidence {n:02d}") for n in range(15)]
    rows = [
        {"residence_id": home.id, "voters": 30 - n, "eligible": 40} for n, home in enumerate(homes)
    ]
    channels = {c.value: {"voters": 0, "ballots": 0} for c in Channel}
    result = VoteResult(turnout={"channels": channels, "residences": rows})
    with count_queries() as counted:
        tables = voting.turnout_tables(result)
    assert counted.count == 1  # the names of the rows shown, in one query
    assert [row["name"] for row in tables["residences"]] == [h.name for h in homes[:12]]
    assert tables["others"] == {
        "name": None,
        "count": 3,
        "voters": 18 + 17 + 16,
        "eligible": 120,
        "rate": 51 / 120,
    }
    assert tables["no_residence"] is None
    # Thirteen residences: the thirteenth is shown rather than added up alone.
    thirteen = voting.turnout_tables(
        VoteResult(turnout={"channels": channels, "residences": rows[:13]})
    )
    assert len(thirteen["residences"]) == 13 and thirteen["others"] is None


def test_a_result_closed_before_the_figures_shows_no_turnout_table(client, counted):
    result = _db.session.get(VoteResult, counted["result"].id)
    result.turnout = None
    _db.session.commit()
    page = client.get(f"/defis/{counted['challenge'].slug}/resultats")
    assert page.status_code == 200
    assert "Participation par canal" not in page.text


def test_the_turnout_takes_the_same_queries_for_few_or_many_ballots(db, count_queries):
    def counted_queries(voters: int, slug: str) -> int:
        org = make_org()
        challenge = make_challenge(phase="voting", org=org, slug=slug)
        idea = make_idea(challenge, status="shortlisted")
        for _ in range(voters):
            voting.cast_ballot(
                challenge, make_user(org=org, residence=make_residence(org)).id, [[idea.id]]
            )
        _db.session.flush()
        with count_queries() as counted:
            voting.vote_turnout(challenge)
        return counted.count

    assert counted_queries(1, "defi-un") == counted_queries(12, "defi-douze")


def test_the_turnout_tables_read_in_english(client, login, counted):
    """Needs the strings of /work/helpers/count-en.po in the English catalogue."""
    reader = make_user(Role.TENANT, org=counted["challenge"].organisation)
    reader.locale = "en"
    login(reader)
    page = client.get(f"/defis/{counted['challenge'].slug}/resultats")
    assert '<html lang="en">' in page.text
    assert _table(page.text, "Turnout by channel")[0] == ["Channel", "Voters", "Ballots counted"]
    assert _table(page.text, "Turnout by residence")[0] == [
        "Residence",
        "Voters",
        "Eligible",
        "Participation",
    ]
    assert "Who voted" in page.text and "Qui a voté" not in page.text


def test_a_vote_all_online_shows_the_residences_but_no_channel_table(client, db):
    org = make_org()
    home = make_residence(org, "La Source")
    challenge = make_challenge(phase="voting", org=org, slug="defi-en-ligne")
    idea, _other = (make_idea(challenge, status="shortlisted") for _ in range(2))
    for _ in range(3):
        voting.cast_ballot(challenge, make_user(org=org, residence=home).id, [[idea.id]])
    voting.close_vote(challenge)
    _db.session.commit()
    page = client.get(f"/defis/{challenge.slug}/resultats")
    assert "Participation par canal" not in page.text
    rows = _table(page.text, "Participation par résidence")
    assert rows[1] == ["La Source", "3", "3", "100 %"]


def test_a_residence_where_few_people_voted_is_not_named(client, db):
    """In a small building, naming it would tell the neighbours who voted."""
    org = make_org()
    big, small = make_residence(org, "Le Grand Ensemble"), make_residence(org, "La Maisonnée")
    challenge = make_challenge(phase="voting", org=org, slug="defi-petite-residence")
    idea, _other = (make_idea(challenge, status="shortlisted") for _ in range(2))
    for home, voters in ((big, 3), (small, 2)):
        for _ in range(voters):
            voting.cast_ballot(challenge, make_user(org=org, residence=home).id, [[idea.id]])
    voting.close_vote(challenge)
    _db.session.commit()
    page = client.get(f"/defis/{challenge.slug}/resultats")
    rows = _table(page.text, "Participation par résidence")
    assert rows[1] == ["Le Grand Ensemble", "3", "3", "100 %"]
    assert rows[2][:2] == ["1 autre résidence", "2"]
    assert "La Maisonnée" not in page.text
