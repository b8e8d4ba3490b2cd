"""Published examples the tally must reproduce exactly."""

from __future__ import annotations

import json

import pytest

from ideation.domain.voting import Ballots, from_counts, tally

from .voting_helpers import TENNESSEE, TENNESSEE_BALLOTS, shared_data

# Wikipedia, "Schulze method", example with 45 voters and 5 candidates.
WIKIPEDIA_45 = [
    ("ACBED", 5),
    ("ADECB", 5),
    ("BEDAC", 8),
    ("CABED", 3),
    ("CAEBD", 7),
    ("CBADE", 2),
    ("DCEBA", 7),
    ("EBADC", 8),
]


@pytest.fixture
def wikipedia() -> Ballots:
    return from_counts("ABCDE", [(tuple(order), n) for order, n in WIKIPEDIA_45])


def test_schulze_reproduces_wikipedia_45_voter_example(wikipedia: Ballots) -> None:
    result = tally(wikipedia, "schulze")
    assert result.ballots == 45
    assert result.pairwise == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert result.strongest_paths == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    assert result.ranking == [["E"], ["A"], ["C"], ["B"], ["D"]]
    assert result.winners == ["E"]
    assert not result.tie_break_used


def test_schulze_elects_the_top_k_of_the_full_order(wikipedia: Ballots) -> None:
    assert tally(wikipedia, "schulze", winners=3).winners == ["E", "A", "C"]


@pytest.fixture
def tennessee() -> Ballots:
    return from_counts(TENNESSEE, TENNESSEE_BALLOTS)


def test_tennessee_schulze_elects_nashville(tennessee: Ballots) -> None:
    result = tally(tennessee, "schulze")
    assert result.winners == ["Nashville"]
    assert result.ranking == [["Nashville"], ["Chattanooga"], ["Knoxville"], ["Memphis"]]


def test_tennessee_borda_elects_nashville(tennessee: Ballots) -> None:
    result = tally(tennessee, "borda")
    assert result.scores == {"Memphis": 126, "Nashville": 194, "Chattanooga": 173, "Knoxville": 107}
    assert result.winners == ["Nashville"]
    assert result.ranking == [["Nashville"], ["Chattanooga"], ["Memphis"], ["Knoxville"]]


def test_tennessee_instant_runoff_elects_knoxville(tennessee: Ballots) -> None:
    result = tally(tennessee, "irv")
    assert result.winners == ["Knoxville"]
    assert result.rounds == [
        {
            "counts": {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
            "exhausted": 0,
            "eliminated": ["Chattanooga"],
        },
        {
            "counts": {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
            "exhausted": 0,
            "eliminated": ["Nashville"],
        },
        {"counts": {"Memphis": 42, "Knoxville": 58}, "exhausted": 0, "eliminated": []},
    ]
    assert result.ranking == [["Knoxville"], ["Memphis"], ["Nashville"], ["Chattanooga"]]


@pytest.fixture(scope="module")
def burlington() -> Ballots:
    data = json.loads(shared_data("burlington_2009/burlington_2009.json").read_text())
    return from_counts(data["candidates"], [(b["ranking"], b["count"]) for b in data["ballots"]])


def test_burlington_instant_runoff_reproduces_published_rounds(burlington: Ballots) -> None:
    result = tally(burlington, "irv")
    assert result.ballots == 8980
    assert result.winners == ["Bob Kiss"]
    first, last = result.rounds[0], result.rounds[-1]
    assert first["counts"] == {
        "Bob Kiss": 2585,
        "Kurt Wright": 2951,
        "Andy Montroll": 2063,
        "Dan Smith": 1306,
        "James Simpson": 35,
        "Write-in": 36,
    }
    assert last["counts"] == {"Bob Kiss": 4313, "Kurt Wright": 4060}
    assert last["exhausted"] == 607
    assert last["eliminated"] == []
    eliminated = [name for r in result.rounds for name in r["eliminated"]]
    assert eliminated[-1] == "Andy Montroll"  # the Condorcet winner is knocked out


def test_burlington_montroll_is_condorcet_winner_and_schulze_elects_him(
    burlington: Ballots,
) -> None:
    result = tally(burlington, "schulze")
    montroll = result.candidates.index("Andy Montroll")
    d = result.pairwise
    assert all(d[montroll][y] > d[y][montroll] for y in range(6) if y != montroll)
    assert result.winners == ["Andy Montroll"]
    assert result.ranking[0] == ["Andy Montroll"]
