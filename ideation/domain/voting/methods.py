"""The three tally methods (Schulze, instant-runoff, Borda) and `tally`.

Every method reads the rank matrix of a `Ballots` profile (see `ballots.py`) with
numpy, so the cost grows with the number of *distinct* rankings, and a million
distinct ballots over twenty candidates still count in well under a second each.

Conventions, fixed because a published result must be recomputable by anyone:

Schulze
    ``d[x][y]`` is the number of voters ranking x strictly above y (an unranked
    candidate is below every ranked one; two unranked candidates are tied). A link
    x→y exists when ``d[x][y] > d[y][x]`` and its strength is ``d[x][y]`` (*winning
    votes*). ``p`` holds the strongest-path strengths (Floyd–Warshall widest paths, 0
    when there is no path, 0 on the diagonal). x is ahead of y when
    ``p[x][y] > p[y][x]``. The first tie group of the order holds the candidates no one
    is ahead of; they are removed and the rule repeats on the rest with the same ``p``.

Instant-runoff
    Each round gives every continuing ballot to its highest ranked continuing
    candidate. When that highest continuing place is a tie of t candidates, the ballot
    is split equally, 1/t to each (a ballot is never exhausted while it still ranks a
    continuing candidate). A ballot that ranks no continuing candidate is exhausted
    and no longer counts. A candidate holding more than half of the continuing ballots
    wins; the last continuing candidate wins too. Otherwise exactly one candidate is
    eliminated: the one with the fewest votes, and among equals the one that comes
    *last* in the tie-break order. Arithmetic is exact (integers scaled by the least
    common multiple of the possible split sizes); a count is shown as a float only
    when it is not a whole number. The order is the winner, then the candidates still
    running at the win by decreasing final count (tie-break order among equals), then
    the eliminated ones from the last eliminated to the first.

Borda
    A ballot gives a candidate one point for each candidate it ranks that candidate
    strictly above, unranked candidates included (so on a complete strict ballot the
    first of m gets m − 1 points, and an unranked candidate gets 0). Equal scores form a
    tie group.

Winners
    The K winners are read from the head of the order. Only a tie group that straddles
    the K-th place is broken, by the tie-break order (earlier wins). Ties that decide
    nothing are shown as ties.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from .ballots import Ballots, digest, tie_break_order

__all__ = [
    "METHODS",
    "Method",
    "TallyResult",
    "borda_scores",
    "instant_runoff",
    "pairwise_matrix",
    "schulze_order",
    "strongest_paths",
    "tally",
]

Method = Literal["schulze", "irv", "borda"]
METHODS: tuple[str, ...] = ("schulze", "irv", "borda")

# Rows handled per numpy step: large enough to amortise Python overhead, small enough
# for the temporaries (rows × candidates booleans and floats) to stay in the CPU cache.
_CHUNK = 1 << 14
# float64 sums of integers are exact below 2**53; bincount accumulates in float64.
_EXACT_FLOAT = 2**53


@dataclass(frozen=True)
class TallyResult:
    """The outcome of a count, with what is needed to explain and verify it.

    `ranking` lists tie groups of names, best first; `winners` the K elected names;
    `tie_break` the tie-break order that was available (most favoured first), and
    `tie_break_used` says whether it actually decided something. Method details:
    `pairwise` and `strongest_paths` (Schulze), `rounds` (instant-runoff), `scores`
    (Borda); the others are None.
    """

    method: str
    candidates: list[str]
    ballots: int
    ranking: list[list[str]]
    winners: list[str]
    tie_break: list[str]
    digest: str
    tie_break_used: bool = False
    pairwise: list[list[int]] | None = None
    strongest_paths: list[list[int]] | None = None
    rounds: list[dict[str, Any]] | None = None
    scores: dict[str, int] | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The recount JSON object (the same one `python -m ideation.recount --json` prints)."""
        data: dict[str, Any] = {
            "method": self.method,
            "candidates": list(self.candidates),
            "ballots": self.ballots,
            "ranking": [list(group) for group in self.ranking],
            "winners": list(self.winners),
            "tie_break": list(self.tie_break),
            "digest": self.digest,
        }
        if self.method == "schulze":
            data["pairwise"] = [list(row) for row in self.pairwise or []]
            data["strongest_paths"] = [list(row) for row in self.strongest_paths or []]
        elif self.method == "irv":
            data["rounds"] = [
                {
                    "counts": dict(r["counts"]),
                    "exhausted": r["exhausted"],
                    "eliminated": list(r["eliminated"]),
                }
                for r in self.rounds or []
            ]
        elif self.method == "borda":
            data["scores"] = dict(self.scores or {})
        return data


# --------------------------------------------------------------------------- pairwise


def pairwise_matrix(ballots: Ballots) -> np.ndarray:
    """``d[x][y]``: voters ranking x strictly above y (int64, candidate order)."""
    ranks = ballots.ranks
    # Accumulated in float64 because numpy's matrix-vector product only runs fast on
    # floats; the totals are integers below 2**53, hence exact. Beyond, int64 (slower).
    kind = np.float64 if ballots.voters < _EXACT_FLOAT else np.int64
    weights = ballots.counts.astype(kind)
    m = ranks.shape[1]
    total = np.zeros((m, m), dtype=kind)
    for start in range(0, ranks.shape[0], _CHUNK):
        block = ranks[start : start + _CHUNK]
        w = weights[start : start + _CHUNK]
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


# ---------------------------------------------------------------------------- Borda


def borda_scores(ballots: Ballots) -> np.ndarray:
    """Points per candidate (int64): one per candidate ranked strictly below it."""
    ranks = ballots.ranks
    # float64 is exact while the points stay below 2**53; int64 beyond (see pairwise).
    kind = np.float64 if ballots.voters * max(ranks.shape[1] - 1, 1) < _EXACT_FLOAT else np.int64
    weights = ballots.counts.astype(kind)
    n, m = ranks.shape
    total = np.zeros(m, dtype=kind)
    for start in range(0, n, _CHUNK):
        block = ranks[start : start + _CHUNK].astype(np.int64)
        rows = block.shape[0]
        # Per-row histogram of group positions, then "how many candidates sit at or
        # above position r" by a running sum: O(m) per row instead of O(m²) pairs.
        offsets = block + (np.arange(rows, dtype=np.int64) * (m + 1))[:, None]
        hist = np.bincount(offsets.ravel(), minlength=rows * (m + 1)).reshape(rows, m + 1)
        at_or_above = np.cumsum(hist, axis=1)
        below = m - np.take_along_axis(at_or_above, block, axis=1)
        total += weights[start : start + _CHUNK] @ below
    return total if kind is np.int64 else np.rint(total).astype(np.int64)


def _groups_by_score(scores: np.ndarray) -> list[list[int]]:
    groups: list[list[int]] = []
    for value in sorted(set(scores.tolist()), reverse=True):
        groups.append([i for i, s in enumerate(scores.tolist()) if s == value])
    return groups


# ---------------------------------------------------------------- instant-runoff


@dataclass
class _Runoff:
    rounds: list[dict[str, Any]]
    order: list[int]
    tie_break_used: bool


def _largest_group(ranks: np.ndarray) -> int:
    """Size of the largest tie group on any ballot (1 when no ballot has ties)."""
    n, m = ranks.shape
    largest = 1
    for start in range(0, n, _CHUNK):
        block = ranks[start : start + _CHUNK].astype(np.int64)
        rows = block.shape[0]
        offsets = block + (np.arange(rows, dtype=np.int64) * (m + 1))[:, None]
        hist = np.bincount(offsets.ravel(), minlength=rows * (m + 1)).reshape(rows, m + 1)
        largest = max(largest, int(hist[:, :m].max(initial=1)))
    return largest


def _accumulate(cols: np.ndarray, weights: np.ndarray, m: int) -> np.ndarray:
    """Sum `weights` per column index, exactly (int64, or Python ints when huge)."""
    if weights.dtype != object:
        # bincount adds in float64, exact while the total stays below 2**53 (checked
        # by the caller through the `huge` flag).
        return np.rint(np.bincount(cols, weights=weights, minlength=m)).astype(np.int64)
    totals = [0] * m
    for c, w in zip(cols.tolist(), weights.tolist(), strict=True):
        totals[c] += int(w)
    return np.array(totals, dtype=object)


def _tops(
    block: np.ndarray, running: np.ndarray, ties: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: best running position (m if none), size of that group, first member.

    The first member is -1 on exhausted rows. Without ties in the profile every
    non-exhausted top group has one member, which spares a full comparison pass.
    """
    m = block.shape[1]
    masked = block if running.all() else np.where(running[None, :], block, m)
    first = masked.argmin(axis=1)
    top = np.take_along_axis(masked, first[:, None], axis=1)[:, 0]
    done = top >= m
    if ties:
        sizes = (masked == top[:, None]).sum(axis=1)
        sizes[done] = 0
    else:
        sizes = (~done).astype(np.int64)
    first[done] = -1
    return top, sizes, first


def _members(
    block: np.ndarray, top: np.ndarray, sizes: np.ndarray, first: np.ndarray, running: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, candidate) pairs of the rows' top groups among running candidates."""
    rows = np.flatnonzero(sizes == 1)
    cols = first[rows]
    multi = np.flatnonzero(sizes > 1)
    if multi.size:
        eq = (block[multi] == top[multi, None]) & running[None, :]
        r, c = np.nonzero(eq)
        rows = np.concatenate([rows, multi[r]])
        cols = np.concatenate([cols, c])
    return rows, cols


def instant_runoff(ballots: Ballots, tie_break: Sequence[int]) -> _Runoff:
    """Run instant-runoff rounds; `tie_break` lists candidate indices, favoured first."""
    ranks = ballots.ranks
    n, m = ranks.shape
    names = ballots.candidates
    position = {c: i for i, c in enumerate(tie_break)}
    # Scaling every ballot by the lcm of the possible split sizes keeps the split
    # fractions exact integers, so "fewest votes" and "more than half" never suffer
    # from rounding.
    largest = _largest_group(ranks)
    ties = largest > 1
    scale = math.lcm(*range(1, largest + 1))
    huge = ballots.voters * scale >= _EXACT_FLOAT
    counts = ballots.counts.astype(object) if huge else ballots.counts

    running = np.ones(m, dtype=bool)
    top, sizes, first = _tops(ranks, running, ties)
    share = counts * scale // np.maximum(sizes, 1)  # what each top candidate gets
    rows, cols = _members(ranks, top, sizes, first, running)
    votes = _accumulate(cols, share[rows], m)
    exhausted = int(ballots.counts[sizes == 0].sum())

    def shown(value: int) -> int | float:
        whole, rest = divmod(int(value), scale)
        return whole if rest == 0 else float(Fraction(int(value), scale))

    rounds: list[dict[str, Any]] = []
    eliminated: list[int] = []
    tie_break_used = False
    while True:
        alive = np.flatnonzero(running).tolist()
        total = sum(int(votes[c]) for c in alive)
        record: dict[str, Any] = {
            "counts": {names[c]: shown(votes[c]) for c in alive},
            "exhausted": exhausted,
            "eliminated": [],
        }
        rounds.append(record)
        leader = max(alive, key=lambda c: int(votes[c]))
        if len(alive) == 1 or 2 * int(votes[leader]) > total:
            break
        fewest = min(int(votes[c]) for c in alive)
        last = [c for c in alive if int(votes[c]) == fewest]
        tie_break_used = tie_break_used or len(last) > 1
        loser = max(last, key=lambda c: position[c])
        record["eliminated"] = [names[loser]]
        eliminated.append(loser)

        # Only the ballots whose top group holds the loser change hands: take back
        # their shares, recompute their top group without the loser, hand them out.
        hit = np.flatnonzero(first == loser)
        if ties:
            multi = np.flatnonzero(sizes > 1)
            hit = np.union1d(hit, multi[ranks[multi, loser] == top[multi]])
        block = ranks[hit]
        r_old, c_old = _members(block, top[hit], sizes[hit], first[hit], running)
        votes = votes - _accumulate(c_old, share[hit][r_old], m)
        running[loser] = False
        new_top, new_sizes, new_first = _tops(block, running, ties)
        new_share = counts[hit] * scale // np.maximum(new_sizes, 1)
        r_new, c_new = _members(block, new_top, new_sizes, new_first, running)
        votes = votes + _accumulate(c_new, new_share[r_new], m)
        exhausted += int(ballots.counts[hit][new_sizes == 0].sum())
        top[hit] = new_top
        sizes[hit] = new_sizes
        first[hit] = new_first
        share[hit] = new_share

    alive = [c for c in range(m) if running[c]]
    winner = max(alive, key=lambda c: (int(votes[c]), -position[c]))
    rest = sorted((c for c in alive if c != winner), key=lambda c: (-int(votes[c]), position[c]))
    finals = [int(votes[c]) for c in rest]
    tie_break_used = tie_break_used or len(set(finals)) < len(finals)
    return _Runoff(rounds, [winner, *rest, *reversed(eliminated)], tie_break_used)


# ------------------------------------------------------------------------ tally


def _resolve_tie_break(ballots: Ballots, tie_break: Sequence[str] | None) -> list[str]:
    if tie_break is None:
        return tie_break_order(ballots)
    order = list(tie_break)
    if sorted(order) != sorted(ballots.candidates):
        raise ValueError(
            "l'ordre de départage doit citer chaque candidat exactement une fois : "
            + ", ".join(ballots.candidates)
        )
    return order


def _cut(groups: list[list[int]], winners: int, position: dict[int, int]) -> tuple[list[int], bool]:
    chosen: list[int] = []
    for group in groups:
        room = winners - len(chosen)
        if room <= 0:
            break
        if len(group) <= room:
            chosen.extend(group)
        else:
            chosen.extend(sorted(group, key=position.__getitem__)[:room])
            return chosen, True
    return chosen, False


def tally(
    profile: Ballots,
    method: str = "schulze",
    winners: int = 1,
    tie_break: Sequence[str] | None = None,
) -> TallyResult:
    """Count `profile` with `method` ("schulze", "irv" or "borda") and elect `winners`.

    `tie_break` overrides the order derived from the ballots' digest (names, most
    favoured first). Raises ValueError for an unknown method, a number of winners
    outside 1..m or a tie-break order that is not a permutation of the candidates.
    """
    if method not in METHODS:
        raise ValueError(f"méthode inconnue « {method} » (choisir parmi {', '.join(METHODS)})")
    names = profile.candidates
    m = len(names)
    if isinstance(winners, bool) or not isinstance(winners, int) or not 1 <= winners <= m:
        raise ValueError(f"le nombre de gagnant·es doit être compris entre 1 et {m}")
    order = _resolve_tie_break(profile, tie_break)
    index = {name: i for i, name in enumerate(names)}
    position = {index[name]: p for p, name in enumerate(order)}
    common: dict[str, Any] = {
        "method": method,
        "candidates": list(names),
        "ballots": profile.voters,
        "tie_break": order,
        "digest": digest(profile),
    }

    def named(groups: list[list[int]]) -> list[list[str]]:
        return [[names[i] for i in group] for group in groups]

    if method == "schulze":
        d = pairwise_matrix(profile)
        p = strongest_paths(d)
        groups = schulze_order(p)
        chosen, used = _cut(groups, winners, position)
        return TallyResult(
            ranking=named(groups),
            winners=[names[i] for i in chosen],
            tie_break_used=used,
            pairwise=d.tolist(),
            strongest_paths=p.tolist(),
            **common,
        )
    if method == "borda":
        scores = borda_scores(profile)
        groups = _groups_by_score(scores)
        chosen, used = _cut(groups, winners, position)
        return TallyResult(
            ranking=named(groups),
            winners=[names[i] for i in chosen],
            tie_break_used=used,
            scores={names[i]: int(s) for i, s in enumerate(scores.tolist())},
            **common,
        )
    runoff = instant_runoff(profile, [index[name] for name in order])
    return TallyResult(
        ranking=[[names[i]] for i in runoff.order],
        winners=[names[i] for i in runoff.order[:winners]],
        tie_break_used=runoff.tie_break_used,
        rounds=runoff.rounds,
        **common,
    )
