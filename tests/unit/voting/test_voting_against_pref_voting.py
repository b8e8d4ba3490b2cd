"""Property tests against pref_voting (a test-only dependency) on random partial ballots.

Conventions compared only where both libraries agree:
- Schulze: pref_voting's ``beat_path`` with ``strength_function=profile.support`` is
  the winning-votes variant, and ``use_extended_strict_preference()`` makes unranked
  candidates tie below ranked ones, as here. Its default (margins) can differ on
  truncated ballots, so it is not used.
- Borda: pref_voting's Borda for truncated ballots is the *symmetric* score (below
  minus above); ours counts only candidates ranked below. So our scores are compared
  with the sum of pref_voting's supports (voters ranking x above y, summed over y), and
  with pref_voting's classic Borda on complete strict ballots, where both agree.
- Instant-runoff: pref_voting runs to the last candidate and eliminates every tied
  loser at once, and splits or approves tied first places differently; the winner is
  compared on ballots without ties and only when no elimination tie arose here.
"""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from ideation.domain.voting import Ballots, from_counts, tally

from .voting_helpers import examples

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pref_voting.iterative_methods import instant_runoff
    from pref_voting.margin_based_methods import beat_path
    from pref_voting.profiles import Profile
    from pref_voting.profiles_with_ties import ProfileWithTies


@st.composite
def profiles(draw, ties: bool = True, complete: bool = False) -> Ballots:
    m = draw(st.integers(2, 5))
    ballots = []
    for _ in range(draw(st.integers(1, 12))):
        order = draw(st.permutations(range(m)))
        length = m if complete else draw(st.integers(1, m))
        groups, i = [], 0
        while i < length:
            size = draw(st.integers(1, 3)) if ties else 1
            groups.append(tuple(order[i : i + size]))
            i += size
        ballots.append((tuple(groups), draw(st.integers(1, 5))))
    return from_counts([f"c{i}" for i in range(m)], ballots)


def to_pref_voting(profile: Ballots) -> ProfileWithTies:
    rankings, counts = [], []
    for ranking, count in profile.rankings():
        rankings.append({int(name[1:]): pos for pos, group in enumerate(ranking) for name in group})
        counts.append(count)
    prof = ProfileWithTies(
        rankings, rcounts=counts, candidates=list(range(len(profile.candidates)))
    )
    prof.use_extended_strict_preference()
    return prof


@settings(max_examples=examples(150), deadline=None)
@given(profiles())
def test_pairwise_counts_match_pref_voting_supports(profile: Ballots) -> None:
    prof = to_pref_voting(profile)
    result = tally(profile, "schulze")
    m = len(profile.candidates)
    assert result.pairwise == [
        [0 if x == y else int(prof.support(x, y)) for y in range(m)] for x in range(m)
    ]


@settings(max_examples=examples(150), deadline=None)
@given(profiles())
def test_schulze_winners_match_pref_voting_beat_path_winning_votes(profile: Ballots) -> None:
    prof = to_pref_voting(profile)
    expected = beat_path(prof, strength_function=prof.support)
    result = tally(profile, "schulze")
    assert sorted(int(name[1:]) for name in result.ranking[0]) == sorted(expected)


@settings(max_examples=examples(150), deadline=None)
@given(profiles())
def test_borda_scores_are_the_sums_of_pref_voting_supports(profile: Ballots) -> None:
    prof = to_pref_voting(profile)
    scores = tally(profile, "borda").scores
    m = len(profile.candidates)
    for x in range(m):
        assert scores[f"c{x}"] == sum(int(prof.support(x, y)) for y in range(m) if y != x)


@settings(max_examples=examples(100), deadline=None)
@given(profiles(ties=False, complete=True))
def test_borda_matches_pref_voting_on_complete_strict_ballots(profile: Ballots) -> None:
    rankings, counts = [], []
    for ranking, count in profile.rankings():
        rankings.append([int(group[0][1:]) for group in ranking])
        counts.append(count)
    expected = Profile(rankings, rcounts=counts).borda_scores()
    scores = tally(profile, "borda").scores
    assert {int(name[1:]): s for name, s in scores.items()} == expected


@settings(max_examples=examples(150), deadline=None)
@given(profiles(ties=False))
def test_instant_runoff_winner_matches_pref_voting_without_ties(profile: Ballots) -> None:
    result = tally(profile, "irv")
    for r in result.rounds[:-1]:
        lowest = min(r["counts"].values())
        if list(r["counts"].values()).count(lowest) > 1:
            return  # a tie was broken: the conventions differ, nothing to compare
    expected = instant_runoff(to_pref_voting(profile))
    assert [int(result.winners[0][1:])] == expected
