"""Instant-runoff (the alternative vote).

Each round gives every continuing ballot to its highest ranked continuing candidate.
When that highest continuing place is a tie of t candidates, the ballot is split
equally, 1/t to each (a ballot is never exhausted while it still ranks a continuing
candidate). A ballot that ranks no continuing candidate is exhausted and no longer
counts. A candidate holding more than half of the continuing ballots wins; the last
continuing candidate wins too. Otherwise exactly one candidate is eliminated: the one
with the fewest votes, and among equals the one that comes *last* in the tie-break
order. Arithmetic is exact (integers scaled by the least common multiple of the
possible split sizes); a count is shown as a float only when it is not a whole
number. The order is the winner, then the candidates still running at the win by
decreasing final count (tie-break order among equals), then the eliminated ones from
the last eliminated to the first.

Published JSON: ``rounds``, one object per round: ``counts`` (votes per continuing
candidate), ``exhausted`` (ballots no longer counting) and ``eliminated`` (a list of
at most one name).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .ballots import Ballots
from .base import CHUNK, EXACT_FLOAT, N_, Count, VotingMethod, table

NAME = "irv"


@dataclass
class _Runoff:
    rounds: list[dict[str, Any]]
    order: list[int]
    tie_break_used: bool


def _largest_group(ranks: np.ndarray) -> int:
    """Size of the largest tie group on any ballot (1 when no ballot has ties)."""
    n, m = ranks.shape
    largest = 1
    for start in range(0, n, CHUNK):
        block = ranks[start : start + CHUNK].astype(np.int64)
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
    huge = ballots.voters * scale >= EXACT_FLOAT
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


def count(profile: Ballots, tie_break: Sequence[int]) -> Count:
    """A strict order (one candidate per place); the tie-break may decide eliminations."""
    runoff = instant_runoff(profile, tie_break)
    return Count(
        groups=[[i] for i in runoff.order],
        details={"rounds": runoff.rounds},
        tie_break_used=runoff.tie_break_used,
    )


def present(data: Mapping[str, Any]) -> dict[str, Any]:
    """The rounds, and as bars the votes at the last round (the first when it is empty)."""
    names = data["candidates"]
    rounds = data.get("rounds") or []
    last = rounds[-1]["counts"] if rounds else {}
    first = rounds[0]["counts"] if rounds else {}
    chart = [(n, last.get(n, 0)) for n in names]
    if not any(v for _n, v in chart):
        chart = [(n, first.get(n, 0)) for n in names]
    return {"rounds": rounds, "chart": chart}


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.2f}".replace(".", ",")


def report(data: Mapping[str, Any]) -> list[str]:
    """Votes per candidate at each round, exhausted ballots, who was eliminated."""
    rounds = data.get("rounds")
    if not rounds:
        return []
    header = ["", *[f"tour {i}" for i in range(1, len(rounds) + 1)]]
    rows = [
        [name, *[_number(r["counts"][name]) if name in r["counts"] else "—" for r in rounds]]
        for name in data["candidates"]
    ]
    rows.append(["bulletins épuisés", *[str(r["exhausted"]) for r in rounds]])
    rows.append(["éliminé·e", *[", ".join(r["eliminated"]) or "—" for r in rounds]])
    return ["Tours :", *table(header, rows)]


METHOD = VotingMethod(
    name=NAME,
    label=N_("vote alternatif (second tour instantané)"),
    choice_label=N_("Élimination successive (vote alternatif)"),
    count=count,
    json_fields=("rounds",),
    present=present,
    report=report,
)
