"""The close's vectorised read of stored rankings (`fastread.json_ranks`) against the
row-by-row read it replaced: on random rankings with ties, blank ballots, empty groups
and ids that are not candidates, the same profile up to row order, hence the same
digest and the same count by every method; anything else it declines (None)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ideation.domain.voting import Ballots, digest, registry, tally
from ideation.domain.voting.fastread import json_ranks


def _random_rankings(rng: np.random.Generator, n: int, ids: list[int]) -> list[list[list[int]]]:
    """Stored rankings as the database holds them: tie groups of idea ids, best first."""
    stray = [max(ids) + 1, 10**12, 0]  # ideas no longer on the ballot
    rankings = []
    for _ in range(n):
        chosen = [
            int(i) for i in rng.permutation(ids + stray)[: int(rng.integers(0, len(ids) + 4))]
        ]
        groups, i = [], 0
        while i < len(chosen):
            size = int(rng.integers(1, 4)) if rng.random() < 0.3 else 1
            groups.append(chosen[i : i + size])
            i += size
        if groups and rng.random() < 0.05:
            groups.insert(int(rng.integers(0, len(groups))), [])
        rankings.append(groups)
    return rankings


def _row_by_row(ids: list[int], names: list[str], rankings: list[list[list[int]]]) -> Ballots:
    """What the close did before: name each group's candidates, drop empty groups."""
    name_of = dict(zip(ids, names, strict=True))
    named = []
    for ranking in rankings:
        groups = tuple(tuple(name_of[i] for i in group if i in name_of) for group in ranking)
        named.append(tuple(g for g in groups if g))
    return Ballots.from_rankings(names, named)


def _as_stored(rankings: list[list[list[int]]]) -> bytes:
    return "\n".join(json.dumps(r) for r in rankings).encode()


@pytest.mark.parametrize("seed", range(12))
def test_the_vectorised_read_counts_like_the_row_by_row_read(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 12))
    ids = sorted(int(i) for i in rng.choice(10**6, m, replace=False) + 1)
    ids = [int(i) for i in rng.permutation(ids)]  # candidate order need not be id order
    names = [f"Idée {i}" for i in ids]
    rankings = _random_rankings(rng, int(rng.integers(1, 300)), ids)
    ranks = json_ranks(_as_stored(rankings), ids)
    assert ranks is not None
    fast, slow = Ballots(names, ranks), _row_by_row(ids, names, rankings)
    assert fast.voters == slow.voters == len(rankings)
    assert digest(fast) == digest(slow)
    for method in registry.names():
        winners = int(rng.integers(1, m + 1))
        assert (
            tally(fast, method, winners).to_json_dict()
            == tally(slow, method, winners).to_json_dict()
        )


def test_each_line_is_one_ballot_in_order():
    ranks = json_ranks(b"[[12], [7, 30]]\n[]\n[[5], [99], [7]]\n[[30], [], [12]]", [7, 12, 30, 5])
    assert ranks is not None
    assert ranks.tolist() == [[1, 0, 1, 4], [4, 4, 4, 4], [1, 4, 4, 0], [4, 1, 0, 4]]
    assert ranks.dtype == np.uint8  # the profile's own rank type: no copy at the close


def test_up_to_254_candidates_are_read_and_more_are_left_to_the_row_by_row_read():
    ids = list(range(1, 256))
    assert json_ranks(b"[[3], [1]]\n", ids[:254]) is not None
    assert json_ranks(b"[[3], [1]]\n", ids[:255]) is None
    assert json_ranks(b"[[3], [1]]\n", []) is None
    # One ballot without its final line break still counts.
    one = json_ranks(b"[[3], [1]]", [1, 2, 3])
    assert one is not None and one.tolist() == [[1, 3, 0]]


@pytest.mark.parametrize(
    "stored",
    [
        b"[[12], [12]]",  # ranked twice: the row-by-row read raises its own error
        b"[12]",  # a bare id in the outer list
        b"[[[12]]]",
        b"[[12]]]",
        b"[[12]][[7]]",
        b"null",
        b'[["12"]]',
        b"[[-12]]",
        b"[[12.0]]",
        b"[[12],\n [7]]",
        b"[[12], [7]] ",
        b"",
    ],
)
def test_anything_else_is_left_to_the_row_by_row_read(stored):
    assert json_ranks(stored, [7, 12]) is None
