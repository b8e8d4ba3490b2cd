"""Independent reference counts for the tests: plain Python, exact fractions, no numpy.

Written from the conventions in ideation/domain/voting/methods.py's docstring, not from
its code, so a counting slip there (a tied ballot split the wrong way, a second winner
sorted backwards, a float that rounds) shows up as a difference. Slow on purpose: one
loop per ballot per round, every value a Python int or a Fraction.

A ballot here is (groups, count): groups is a tuple of tie groups of names, best first;
candidates it does not name are unranked.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

Groups = tuple[tuple[str, ...], ...]
Profile = list[tuple[Groups, int]]


def _position(groups: Groups) -> dict[str, int]:
    return {name: place for place, group in enumerate(groups) for name in group}


def pairwise(candidates: list[str], profile: Profile) -> list[list[int]]:
    """d[x][y]: voters ranking x strictly above y (unranked below every ranked one)."""
    m = len(candidates)
    d = [[0] * m for _ in range(m)]
    for groups, count in profile:
        place = _position(groups)
        for i, x in enumerate(candidates):
            for j, y in enumerate(candidates):
                if place.get(x, m) < place.get(y, m):
                    d[i][j] += count
    return d


def schulze(candidates: list[str], profile: Profile) -> tuple[list, list, list[list[str]]]:
    """(pairwise, strongest paths, order as tie groups) with winning-votes links."""
    d = pairwise(candidates, profile)
    m = len(candidates)
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(m)] for i in range(m)]
    for k in range(m):
        for i in range(m):
            for j in range(m):
                if i != j and i != k and j != k:
                    p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
    for i in range(m):
        p[i][i] = 0
    remaining = list(range(m))
    order: list[list[str]] = []
    while remaining:
        group = [x for x in remaining if not any(p[y][x] > p[x][y] for y in remaining)]
        order.append([candidates[x] for x in group])
        remaining = [x for x in remaining if x not in group]
    return d, p, order


def borda(candidates: list[str], profile: Profile) -> dict[str, int]:
    """One point per candidate (unranked included) ranked strictly below."""
    m = len(candidates)
    scores = dict.fromkeys(candidates, 0)
    for groups, count in profile:
        place = _position(groups)
        for x in candidates:
            below = sum(1 for y in candidates if place.get(x, m) < place.get(y, m))
            scores[x] += count * below
    return scores


def groups_by_value(values: dict[str, int], candidates: list[str]) -> list[list[str]]:
    """Tie groups of equal values, highest first, candidate order within a group."""
    return [
        [c for c in candidates if values[c] == v]
        for v in sorted(set(values.values()), reverse=True)
    ]


def cut(groups: list[list[str]], winners: int, tie_break: list[str]) -> tuple[list[str], bool]:
    """The first `winners` names; only a group straddling the cut uses the tie-break."""
    chosen: list[str] = []
    for group in groups:
        room = winners - len(chosen)
        if room <= 0:
            break
        if len(group) <= room:
            chosen.extend(group)
        else:
            chosen.extend(sorted(group, key=tie_break.index)[:room])
            return chosen, True
    return chosen, False


def _shown(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def instant_runoff(candidates: list[str], profile: Profile, tie_break: list[str]) -> dict[str, Any]:
    """Rounds, order, tie-break flag of the documented instant-runoff, in exact fractions."""
    running = list(candidates)
    eliminated: list[str] = []
    rounds: list[dict[str, Any]] = []
    used = False
    while True:
        votes = dict.fromkeys(running, Fraction(0))
        exhausted = 0
        for groups, count in profile:
            top = next((g for g in ([c for c in g if c in running] for g in groups) if g), None)
            if top is None:
                exhausted += count
                continue
            for name in top:
                votes[name] += Fraction(count, len(top))
        total = sum(votes.values())
        record = {
            "counts": {c: _shown(votes[c]) for c in running},
            "exhausted": exhausted,
            "eliminated": [],
        }
        rounds.append(record)
        best = max(votes.values())
        if len(running) == 1 or 2 * best > total:
            break
        fewest = min(votes.values())
        last = [c for c in running if votes[c] == fewest]
        used = used or len(last) > 1
        loser = max(last, key=tie_break.index)  # the last in the tie-break order goes
        record["eliminated"] = [loser]
        eliminated.append(loser)
        running.remove(loser)
    winner = max(running, key=lambda c: (votes[c], -tie_break.index(c)))
    rest = sorted(
        (c for c in running if c != winner), key=lambda c: (-votes[c], tie_break.index(c))
    )
    finals = [votes[c] for c in rest]
    used = used or len(set(finals)) < len(finals)
    return {
        "rounds": rounds,
        "order": [winner, *rest, *reversed(eliminated)],
        "tie_break_used": used,
    }
