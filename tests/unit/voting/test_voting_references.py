"""The three methods against the plain-Python reference counts (reference_count.py).

Random profiles *with* tied groups (the case pref_voting cannot referee for
instant-runoff), random tie-break orders and several winners; then the two code paths
the small profiles never reach: more than 16,384 distinct rankings (the chunked numpy
loops) and counts beyond 2**53 (where float64 sums stop being exact).
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ideation.domain.voting import from_counts, tally

from . import reference_count as ref
from .voting_helpers import examples

BIG = 2**53
# `make mutation` runs these once per mutant: it asks for fewer random profiles.
EXAMPLES = examples(400)


@st.composite
def elections(draw, big: bool = False):
    m = draw(st.integers(2, 6))
    candidates = [f"c{i}" for i in range(m)]
    profile = []
    for _ in range(draw(st.integers(1, 14))):
        order = draw(st.permutations(candidates))
        length = draw(st.integers(1, m))
        groups, i = [], 0
        while i < length:
            size = draw(st.integers(1, 3))
            groups.append(tuple(order[i : i + size]))
            i += size
        count = draw(st.integers(BIG // 8, BIG // 2) if big else st.integers(1, 6))
        profile.append((tuple(groups), count))
    tie_break = draw(st.permutations(candidates))
    winners = draw(st.integers(1, m))
    return candidates, profile, list(tie_break), winners


def _check_all_methods(candidates, profile, tie_break, winners):
    ballots = from_counts(candidates, profile)
    assert ballots.voters == sum(count for _, count in profile)

    irv = tally(ballots, "irv", winners=winners, tie_break=tie_break)
    expected = ref.instant_runoff(candidates, profile, tie_break)
    assert irv.to_json_dict()["rounds"] == expected["rounds"]
    assert irv.ranking == [[name] for name in expected["order"]]
    assert irv.winners == expected["order"][:winners]
    assert irv.tie_break_used is expected["tie_break_used"]

    schulze = tally(ballots, "schulze", winners=winners, tie_break=tie_break)
    d, p, order = ref.schulze(candidates, profile)
    assert schulze.pairwise == d
    assert schulze.strongest_paths == p
    assert schulze.ranking == order
    chosen, used = ref.cut(order, winners, tie_break)
    assert schulze.winners == chosen and schulze.tie_break_used is used

    borda = tally(ballots, "borda", winners=winners, tie_break=tie_break)
    scores = ref.borda(candidates, profile)
    assert borda.scores == scores
    groups = ref.groups_by_value(scores, candidates)
    assert borda.ranking == groups
    chosen, used = ref.cut(groups, winners, tie_break)
    assert borda.winners == chosen and borda.tie_break_used is used


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_every_method_matches_the_reference_on_profiles_with_ties(election):
    _check_all_methods(*election)


@settings(
    max_examples=max(EXAMPLES // 3, 10), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(elections(big=True))
def test_every_method_matches_the_reference_with_counts_beyond_2_53(election):
    candidates, profile, tie_break, winners = election
    assert sum(count for _, count in profile) < 2**63  # the profile's own int64 limit
    _check_all_methods(candidates, profile, tie_break, winners)


def test_counts_one_above_2_53_are_not_rounded():
    """float64 cannot hold 2**53 + 1: each method must count in integers there."""
    profile = [
        ((("A",), ("B",), ("C",)), BIG + 1),
        ((("B",), ("C",), ("A",)), BIG),
        ((("C",),), 3),
    ]
    _check_all_methods(["A", "B", "C"], profile, ["A", "B", "C"], 2)
    result = tally(from_counts(["A", "B", "C"], profile), "schulze")
    assert result.pairwise[0][1] == BIG + 1


def test_second_winners_of_instant_runoff_come_by_decreasing_count():
    """A wins at once; B (3) must come before C (1), not the other way round."""
    profile = [((("A",),), 5), ((("B",),), 3), ((("C",),), 1)]
    result = tally(from_counts(["A", "B", "C"], profile), "irv", winners=2)
    assert result.rounds == [{"counts": {"A": 5, "B": 3, "C": 1}, "exhausted": 0, "eliminated": []}]
    assert result.ranking == [["A"], ["B"], ["C"]] and result.winners == ["A", "B"]


def test_a_tied_first_place_is_split_and_moves_whole_when_one_half_goes():
    """Three voters tie A and B first; when B goes, A gets all three ballots back."""
    profile = [((("A", "B"),), 3), ((("C",),), 2), ((("B",),), 1), ((("D",),), 2)]
    result = tally(from_counts(list("ABCD"), profile), "irv", tie_break=list("CDAB"))
    assert result.rounds[0]["counts"] == {"A": 1.5, "B": 2.5, "C": 2, "D": 2}
    assert result.rounds[0]["eliminated"] == ["A"]
    assert result.rounds[1]["counts"] == {"B": 4, "C": 2, "D": 2}


def _all_strict_rankings(m: int) -> list:
    names = [f"k{i}" for i in range(m)]
    rng = random.Random(17)
    profile = []
    for perm in itertools.permutations(names):
        groups = tuple((name,) for name in perm)
        profile.append((groups, rng.randint(1, 9)))
    return names, profile


@pytest.fixture(scope="module")
def many_rankings():
    """17,000 of the 8! = 40,320 strict rankings and 1,000 with ties: more than one
    16,384-row chunk, the second one part full (the references are pure Python: 40,320
    rows took 2 s a test, run again for every mutant of the vote code)."""
    names, profile = _all_strict_rankings(8)
    rng = random.Random(53)
    profile = rng.sample(profile, 17_000)
    # Ballots with tied groups too, so the split shares cross chunks.
    for _ in range(1000):
        order = rng.sample(names, 8)
        cut_at = rng.randint(1, 3)
        profile.append(((tuple(order[:cut_at]), tuple(order[cut_at:5])), rng.randint(1, 4)))
    return names, profile


def test_more_than_16384_distinct_rankings_match_the_reference(many_rankings):
    names, profile = many_rankings
    ballots = from_counts(names, profile)
    assert ballots.ranks.shape[0] > 16384
    tie_break = list(reversed(names))
    _check_all_methods(names, profile, tie_break, 3)


def test_more_than_16384_distinct_rankings_with_counts_beyond_2_53(many_rankings):
    names, profile = many_rankings
    # Scaled so the total passes 2**53 (the instant-runoff big-integer path) but stays
    # below the int64 total the profile keeps.
    scale = 2**40
    scaled = [(groups, count * scale + 1) for groups, count in profile]
    assert BIG < sum(count for _, count in scaled) < 2**63
    _check_all_methods(names, scaled, names, 2)
