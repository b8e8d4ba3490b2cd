"""`tally`: count a profile with a registered method, then elect the K winners.

Every method reads the rank matrix of a `Ballots` profile (see `ballots.py`) with
numpy, so the cost grows with the number of *distinct* rankings, and a million
distinct ballots over twenty candidates still count in well under a second each.
The conventions of each method, fixed because a published result must be
recomputable by anyone, are written in its own module's docstring; the methods are
listed in `registry.py`.

Winners
    The K winners are read from the head of the order. Only a tie group that straddles
    the K-th place is broken, by the tie-break order (earlier wins). Ties that decide
    nothing are shown as ties.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import registry
from .ballots import Ballots, digest, tie_break_order

__all__ = ["TallyResult", "tally"]


@dataclass(frozen=True)
class TallyResult:
    """The outcome of a count, with what is needed to explain and verify it.

    `ranking` lists tie groups of names, best first; `winners` the K elected names;
    `tie_break` the tie-break order that was available (most favoured first), and
    `tie_break_used` says whether it actually decided something. `details` holds the
    method's own fields of the published JSON (its `json_fields`, in order), also
    readable as attributes: ``result.pairwise``, ``result.rounds``...
    """

    method: str
    candidates: list[str]
    ballots: int
    ranking: list[list[str]]
    winners: list[str]
    tie_break: list[str]
    digest: str
    tie_break_used: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # Only called for names that are not fields: the method's JSON fields.
        details = self.__dict__.get("details") or {}
        if name in details:
            return details[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def to_json_dict(self) -> dict[str, Any]:
        """The recount JSON object (the same one `python -m ideation.recount --json` prints)."""
        return {
            "method": self.method,
            "candidates": list(self.candidates),
            "ballots": self.ballots,
            "ranking": [list(group) for group in self.ranking],
            "winners": list(self.winners),
            "tie_break": list(self.tie_break),
            "digest": self.digest,
            **copy.deepcopy(self.details),
        }


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
    method: str = registry.DEFAULT,
    winners: int = 1,
    tie_break: Sequence[str] | None = None,
) -> TallyResult:
    """Count `profile` with the registered `method` (its code value) and elect `winners`.

    `tie_break` overrides the order derived from the ballots' digest (names, most
    favoured first). Raises ValueError for an unknown method, a number of winners
    outside 1..m or a tie-break order that is not a permutation of the candidates.
    """
    spec = registry.require(method)
    names = profile.candidates
    m = len(names)
    if isinstance(winners, bool) or not isinstance(winners, int) or not 1 <= winners <= m:
        raise ValueError(f"le nombre de gagnant·es doit être compris entre 1 et {m}")
    order = _resolve_tie_break(profile, tie_break)
    index = {name: i for i, name in enumerate(names)}
    position = {index[name]: p for p, name in enumerate(order)}
    counted = spec.count(profile, [index[name] for name in order])
    if tuple(counted.details) != spec.json_fields:
        raise ValueError(
            f"la méthode « {spec.name} » a rendu {tuple(counted.details)} "
            f"au lieu de {spec.json_fields}"
        )
    chosen, cut_used = _cut(counted.groups, winners, position)
    return TallyResult(
        method=spec.name,
        candidates=list(names),
        ballots=profile.voters,
        ranking=[[names[i] for i in group] for group in counted.groups],
        winners=[names[i] for i in chosen],
        tie_break=order,
        digest=digest(profile),
        tie_break_used=counted.tie_break_used or cut_used,
        details=counted.details,
    )
