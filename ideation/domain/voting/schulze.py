"""The Schulze method (winning votes), the platform's default.

``d[x][y]`` is the number of voters ranking x strictly above y (an unranked candidate
is below every ranked one; two unranked candidates are tied). A link x→y exists when
``d[x][y] > d[y][x]`` and its strength is ``d[x][y]`` (*winning votes*). ``p`` holds
the strongest-path strengths (Floyd–Warshall widest paths, 0 when there is no path, 0
on the diagonal). x is ahead of y when ``p[x][y] > p[y][x]``. The first tie group of
the order holds the candidates no one is ahead of; they are removed and the rule
repeats on the rest with the same ``p``.

Published JSON: ``pairwise`` (d) and ``strongest_paths`` (p), rows and columns in
candidate order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .ballots import Ballots
from .base import CHUNK, EXACT_FLOAT, N_, Count, VotingMethod, table

NAME = "schulze"


def pairwise_matrix(ballots: Ballots) -> np.ndarray:
    """``d[x][y]``: voters ranking x strictly above y (int64, candidate order)."""
    ranks = ballots.ranks
    # Accumulated in float64 because numpy's matrix-vector product only runs fast on
    # floats; the totals are integers below 2**53, hence exact. Beyond, int64 (slower).
    kind = np.float64 if ballots.voters < EXACT_FLOAT else np.int64
    weights = ballots.counts.astype(kind)
    m = ranks.shape[1]
    total: np.ndarray = np.zeros((m, m), dtype=kind)
    for start in range(0, ranks.shape[0], CHUNK):
        block = ranks[start : start + CHUNK]
        w = weights[start : start + CHUNK]
        for x in range(m):
            total[x] += w @ (block[:, x : x + 1] < block)
    return total if kind is np.int64 else np.rint(total).astype(np.int64)


def strongest_paths(pairwise: np.ndarray) -> np.ndarray:
    """Widest-path strengths over winning-votes links; 0 means no path."""
    d = np.asarray(pairwise, dtype=np.int64)
    p = np.where(d > d.T, d, 0)
    for k in range(p.shape[0]):
        # Updating all (i, j) at once also touches i == k, j == k and the diagonal;
        # the first two cannot change (p[k][k] only bounds the minimum) and the
        # diagonal is reset below, so this equals the textbook triple loop.
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
    np.fill_diagonal(p, 0)
    return p


def schulze_order(paths: np.ndarray) -> list[list[int]]:
    """Tie groups of candidate indices: winners first, then the winners of the rest."""
    ahead = paths > paths.T
    remaining = list(range(paths.shape[0]))
    groups: list[list[int]] = []
    while remaining:
        group = [x for x in remaining if not any(ahead[y, x] for y in remaining)]
        if not group:  # impossible: "ahead" is a strict order (Schulze, 2011)
            group = list(remaining)
        groups.append(group)
        remaining = [x for x in remaining if x not in group]
    return groups


def count(profile: Ballots, tie_break: Sequence[int]) -> Count:
    """The Schulze order; the tie-break order only cuts at the K-th winner."""
    d = pairwise_matrix(profile)
    p = strongest_paths(d)
    return Count(
        groups=schulze_order(p),
        details={"pairwise": d.tolist(), "strongest_paths": p.tolist()},
    )


def present(data: Mapping[str, Any]) -> dict[str, Any]:
    """Ties, one decisive duel per pair of consecutive places, and duels won per idea."""
    names = data["candidates"]
    index = {name: n for n, name in enumerate(names)}
    d, p = data["pairwise"], data["strongest_paths"]
    ranking = data["ranking"]
    ties = [list(group) for group in ranking if len(group) > 1]
    duels = []
    for upper, lower in zip(ranking, ranking[1:], strict=False):
        x, y = index[upper[0]], index[lower[0]]
        duels.append(
            {
                "x": names[x],
                "y": names[y],
                "pxy": p[x][y],
                "pyx": p[y][x],
                "dxy": d[x][y],
                "dyx": d[y][x],
            }
        )
    beaten = [
        (name, sum(1 for j in range(len(names)) if p[i][j] > p[j][i]))
        for i, name in enumerate(names)
    ]
    return {
        "ties": ties,
        "duels": duels,
        "pairwise": d,
        "strongest_paths": p,
        "chart": beaten,
    }


def report(data: Mapping[str, Any]) -> list[str]:
    """The pairwise and strongest-path matrices, candidates numbered."""
    names = data["candidates"]
    if not data.get("pairwise") or not data.get("strongest_paths"):
        return []
    short = [str(i) for i in range(1, len(names) + 1)]

    def numbered(matrix: list[list[int]]) -> list[list[str]]:
        return [[str(i), *map(str, row)] for i, row in enumerate(matrix, start=1)]

    lines = ["Duels : nombre de votant·es qui placent la ligne devant la colonne"]
    lines += table(["", *short], numbered(data["pairwise"]))
    lines += ["", "Chemins les plus forts (0 : aucun chemin)"]
    lines += table(["", *short], numbered(data["strongest_paths"]))
    lines += ["", *[f"  {i}. {name}" for i, name in enumerate(names, start=1)]]
    return lines


METHOD = VotingMethod(
    name=NAME,
    label=N_("méthode de Schulze"),
    choice_label=N_("Classement (méthode de Schulze, conseillée)"),
    count=count,
    json_fields=("pairwise", "strongest_paths"),
    present=present,
    report=report,
)
