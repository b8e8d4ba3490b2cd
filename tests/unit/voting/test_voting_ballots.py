"""Profiles, validation, canonical form, digest and tie-break order."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from ideation.domain.voting import (
    BallotError,
    Ballots,
    canonical_form,
    digest,
    from_counts,
    from_rankings,
    tally,
    tie_break_order,
)


def test_identical_rankings_are_collapsed() -> None:
    profile = from_rankings("ABC", [("A", "B"), (("A",), ("B",)), ("C",), ("A", "B")])
    assert profile.voters == 4
    assert profile.ranks.shape == (2, 3)
    assert sorted(profile.rankings(), key=lambda r: -r[1]) == [
        ((("A",), ("B",)), 3),
        ((("C",),), 1),
    ]


def test_ranking_naming_an_unknown_candidate_is_refused() -> None:
    with pytest.raises(BallotError, match="candidat inconnu « Z »"):
        from_rankings("ABC", [("A", "Z")])


def test_ranking_naming_a_candidate_twice_is_refused() -> None:
    with pytest.raises(BallotError, match="« B » classé deux fois"):
        from_rankings("ABC", [("B", ("A", "B"))])


def test_ballot_error_is_a_value_error() -> None:
    assert issubclass(BallotError, ValueError)


@pytest.mark.parametrize("names", [["A", "A"], ["A", " B"], ["A", "B\nC"], []])
def test_bad_candidate_lists_are_refused(names: list[str]) -> None:
    with pytest.raises(BallotError):
        from_rankings(names, [])


def test_rankings_may_use_indices_and_bare_names() -> None:
    a = from_rankings("ABC", [(0, (1, 2))])
    b = from_rankings("ABC", [("A", ("C", "B"))])
    assert digest(a) == digest(b)


def test_canonical_form_is_exactly_the_documented_text() -> None:
    profile = from_counts(
        ["Memphis", "Nashville", "Chattanooga"],
        [(("Memphis", ("Nashville", "Chattanooga")), 10), (("Chattanooga",), 2), ((), 1)],
    )
    assert canonical_form(profile) == (
        "# NUMBER ALTERNATIVES: 3\n"
        "# ALTERNATIVE NAME 1: Memphis\n"
        "# ALTERNATIVE NAME 2: Nashville\n"
        "# ALTERNATIVE NAME 3: Chattanooga\n"
        "10: 1,{2,3}\n"
        "1: {}\n"
        "2: 3\n"
    )
    expected = hashlib.sha256(canonical_form(profile).encode()).hexdigest()
    assert digest(profile) == expected
    keyed = sorted(
        profile.candidates, key=lambda n: hashlib.sha256((expected + n).encode()).hexdigest()
    )
    assert tie_break_order(profile) == keyed


def test_rank_matrix_with_gaps_and_duplicates_has_the_same_canonical_form() -> None:
    rng = np.random.default_rng(7)
    m = 6
    rankings = []
    for _ in range(300):
        order = rng.permutation(m)[: rng.integers(0, m + 1)]
        groups, i = [], 0
        while i < len(order):
            size = int(rng.integers(1, 3))
            groups.append(tuple(int(c) for c in order[i : i + size]))
            i += size
        rankings.append(tuple(groups))
    names = [f"c{i}" for i in range(m)]
    collapsed = from_rankings(names, rankings)
    # Same ballots, one row per voter, positions spread out (gaps) and shuffled rows.
    rows = np.full((len(rankings), m), m)
    for r, ranking in enumerate(rankings):
        for position, group in enumerate(ranking):
            gap = 1 if 0 < position and len(ranking) < m else 0
            rows[r, list(group)] = position + gap
    expanded = Ballots(names, rows[rng.permutation(len(rows))])
    assert canonical_form(expanded) == canonical_form(collapsed)
    for method in ("schulze", "irv", "borda"):
        assert tally(expanded, method).to_json_dict() == tally(collapsed, method).to_json_dict()


def test_explicit_tie_break_overrides_the_derived_one() -> None:
    profile = from_rankings("ABC", [("A",), ("B",)])
    assert tally(profile, "schulze", tie_break=["B", "A", "C"]).winners == ["B"]
    assert tally(profile, "schulze", tie_break=["A", "B", "C"]).winners == ["A"]
    with pytest.raises(ValueError):
        tally(profile, tie_break=["A", "B"])


def test_ties_that_decide_nothing_stay_ties() -> None:
    profile = from_counts("ABCD", [(("A", ("B", "C")), 3), (("A", ("C", "B")), 1)])
    for method in ("schulze", "borda"):
        result = tally(profile, method)
        assert result.ranking == [["A"], ["B", "C"], ["D"]]
        assert result.winners == ["A"]
        assert not result.tie_break_used


def test_tie_across_the_winner_cut_is_settled_by_the_tie_break_order() -> None:
    profile = from_counts("ABCD", [(("A", ("B", "C")), 3)])
    order = tie_break_order(profile)
    for method in ("schulze", "borda"):
        result = tally(profile, method, winners=2)
        assert result.ranking[:2] == [["A"], ["B", "C"]]
        favoured = min(("B", "C"), key=order.index)
        assert result.winners == ["A", favoured]
        assert result.tie_break_used
        reversed_order = list(reversed(order))
        other = tally(profile, method, winners=2, tie_break=reversed_order)
        assert other.winners == ["A", "C" if favoured == "B" else "B"]


def test_instant_runoff_eliminates_the_last_in_tie_break_order() -> None:
    profile = from_counts("ABC", [(("A",), 4), (("B",), 3), (("C",), 3)])
    result = tally(profile, "irv", tie_break=["A", "B", "C"])
    assert result.rounds[0]["eliminated"] == ["C"]
    assert result.tie_break_used
    result = tally(profile, "irv", tie_break=["A", "C", "B"])
    assert result.rounds[0]["eliminated"] == ["B"]


def test_instant_runoff_splits_a_tied_top_group_equally() -> None:
    profile = from_counts("ABCD", [((("A", "B", "C"),), 1), (("D",), 1), (("A",), 1)])
    result = tally(profile, "irv", tie_break=list("ABCD"))
    first = result.rounds[0]["counts"]
    assert first["A"] == pytest.approx(4 / 3) and isinstance(first["A"], float)
    assert first["B"] == pytest.approx(1 / 3)
    assert first["D"] == 1 and isinstance(first["D"], int)
    assert result.winners == ["A"]


def test_instant_runoff_counts_blank_and_exhausted_ballots() -> None:
    profile = from_counts("ABC", [((), 2), (("C",), 3), (("A",), 4), (("B", "A"), 2)])
    result = tally(profile, "irv")
    assert result.rounds[0]["exhausted"] == 2
    assert result.ballots == 11
    assert result.rounds[-1]["counts"]["A"] == 6


def test_single_candidate_wins_without_rounds_of_elimination() -> None:
    profile = from_rankings(["Seule idée"], [("Seule idée",), ()])
    for method in ("schulze", "irv", "borda"):
        assert tally(profile, method).winners == ["Seule idée"]


def test_winners_outside_range_and_unknown_method_are_refused() -> None:
    profile = from_rankings("AB", [("A",)])
    with pytest.raises(ValueError):
        tally(profile, winners=3)
    with pytest.raises(ValueError):
        tally(profile, "condorcet")


def test_borda_gives_unranked_candidates_nothing() -> None:
    profile = from_rankings("ABCD", [("A", "B")])
    assert tally(profile, "borda").scores == {"A": 3, "B": 2, "C": 0, "D": 0}
