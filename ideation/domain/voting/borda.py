"""The Borda count.

A ballot gives a candidate one point for each candidate it ranks that candidate
strictly above, unranked candidates included (so on a complete strict ballot the first
of m gets m − 1 points, and an unranked candidate gets 0). Equal scores form a tie
group.

Published JSON: ``scores``, points per candidate name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .ballots import Ballots
from .base import CHUNK, EXACT_FLOAT, N_, Count, VotingMethod, groups_by_value, table

NAME = "borda"


def borda_scores(ballots: Ballots) -> np.ndarray:
    """Points per candidate (int64): one per candidate ranked strictly below it."""
    ranks = ballots.ranks
    # float64 is exact while the points stay below 2**53; int64 beyond (see pairwise).
    kind = np.float64 if ballots.voters * max(ranks.shape[1] - 1, 1) < EXACT_FLOAT else np.int64
    weights = ballots.counts.astype(kind)
    n, m = ranks.shape
    total: np.ndarray = np.zeros(m, dtype=kind)
    for start in range(0, n, CHUNK):
        block = ranks[start : start + CHUNK].astype(np.int64)
        rows = block.shape[0]
        # Per-row histogram of group positions, then "how many candidates sit at or
        # above position r" by a running sum: O(m) per row instead of O(m²) pairs.
        offsets = block + (np.arange(rows, dtype=np.int64) * (m + 1))[:, None]
        hist = np.bincount(offsets.ravel(), minlength=rows * (m + 1)).reshape(rows, m + 1)
        at_or_above = np.cumsum(hist, axis=1)
        below = m - np.take_along_axis(at_or_above, block, axis=1)
        total += weights[start : start + CHUNK] @ below
    return total if kind is np.int64 else np.rint(total).astype(np.int64)


def count(profile: Ballots, tie_break: Sequence[int]) -> Count:
    """Scores, highest first; the tie-break order only cuts at the K-th winner."""
    scores = borda_scores(profile).tolist()
    names = profile.candidates
    return Count(
        groups=groups_by_value(scores),
        details={"scores": {names[i]: int(s) for i, s in enumerate(scores)}},
    )


def present(data: Mapping[str, Any]) -> dict[str, Any]:
    """The points of each idea (the partial shows them as a table and as bars)."""
    names = data["candidates"]
    return {"candidates_count": len(names), "chart": [(n, data["scores"][n]) for n in names]}


def report(data: Mapping[str, Any]) -> list[str]:
    """Points per candidate, highest first."""
    scores = data.get("scores")
    if scores is None:
        return []
    ordered = sorted(data["candidates"], key=lambda n: -scores[n])
    return ["Points :", *table(["", "points"], [[n, str(scores[n])] for n in ordered])]


METHOD = VotingMethod(
    name=NAME,
    label=N_("méthode de Borda"),
    choice_label=N_("Points selon le rang (Borda)"),
    count=count,
    json_fields=("scores",),
    present=present,
    report=report,
)
