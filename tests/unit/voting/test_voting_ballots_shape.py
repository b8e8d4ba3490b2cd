"""A profile's arrays: read-only, in the smallest rank type, and what its readers refuse.

Mutation testing found these unchecked: arrays left writable (a count could then change
a profile behind its digest), the rank type past 254 candidates, a carriage return in a
name, a boolean or an out-of-range index taken for a candidate.
"""

from __future__ import annotations

import numpy as np
import pytest

from ideation.domain.voting import BallotError, Ballots, from_counts
from ideation.domain.voting.ballots import _rank_dtype


@pytest.fixture
def profile() -> Ballots:
    return from_counts(["A", "B", "C"], [((("A",), ("B", "C")), 2), ((("C",),), 1)])


def test_a_profile_s_arrays_cannot_be_written(profile):
    assert not profile.ranks.flags.writeable and not profile.counts.flags.writeable
    with pytest.raises(ValueError):
        profile.ranks[0, 0] = 2
    with pytest.raises(ValueError):
        profile.counts[0] = 99
    built = Ballots(["A", "B"], np.array([[0, 1]]), np.array([4], dtype=np.int32))
    assert not built.ranks.flags.writeable and not built.counts.flags.writeable
    assert built.counts.dtype == np.int64  # counts are summed: never a 32-bit total


def test_ranks_take_the_smallest_type_and_counts_are_64_bit(profile):
    assert profile.ranks.dtype == np.uint8
    assert profile.counts.dtype == np.int64
    assert sorted(profile.counts.tolist()) == [1, 2]


@pytest.mark.parametrize(
    "m, expected", [(1, np.uint8), (254, np.uint8), (255, np.uint16), (65534, np.uint16)]
)
def test_the_rank_type_grows_past_254_candidates(m, expected):
    # A rank goes up to m, the mark of "not ranked".
    assert _rank_dtype(m) is expected


def test_more_than_65534_candidates_are_refused():
    with pytest.raises(BallotError, match="trop de candidats"):
        _rank_dtype(65535)


@pytest.mark.parametrize("name", ["A\rB", "A\nB", " A", "A ", ""])
def test_a_name_that_would_not_survive_a_file_is_refused(name):
    with pytest.raises(BallotError, match="nom de candidat invalide"):
        from_counts([name, "Z"], [((("Z",),), 1)])


@pytest.mark.parametrize("member", [True, False, 3, -1])
def test_a_boolean_or_an_index_out_of_range_is_not_a_candidate(member):
    with pytest.raises(BallotError, match="candidat inconnu"):
        from_counts(["A", "B", "C"], [(((member,),), 1)])


def test_an_index_in_range_names_its_candidate():
    assert from_counts(["A", "B", "C"], [(((2,), (0,)), 1)]).rankings() == [((("C",), ("A",)), 1)]


def test_a_profile_describes_itself(profile):
    assert repr(profile) == "Ballots(3 candidats, 3 bulletins, 2 classements)"
