"""Ranked-vote counting: pure Python and numpy, no Flask, no database.

The public API, kept small and stable for the web app and the offline recount::

    from ideation.domain.voting import Ballots, tally

    profile = Ballots.from_rankings(["A", "B", "C"], [("A", ("B", "C")), ("B",)])
    result = tally(profile, winners=1)  # the default method; `method=` names another
    result.ranking, result.winners, result.to_json_dict()

Ballot files (PrefLib, BLT, the project's CSV) live in `ideation.domain.voting.formats`.
The voting methods are listed in `registry.py` (one module each, whose docstring gives
its conventions); the canonical form, digest and tie-break order are in `ballots.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import registry
from .ballots import (
    BallotError,
    Ballots,
    Candidate,
    Ranking,
    canonical_form,
    digest,
    tie_break_order,
)
from .base import VotingMethod
from .methods import TallyResult, tally
from .registry import VoteMethod

__all__ = [
    "BallotError",
    "Ballots",
    "Candidate",
    "Ranking",
    "TallyResult",
    "VoteMethod",
    "VotingMethod",
    "canonical_form",
    "digest",
    "from_counts",
    "from_rankings",
    "registry",
    "tally",
    "tie_break_order",
]


def from_rankings(candidates: Iterable[str], rankings: Iterable[Ranking]) -> Ballots:
    """One ranking per voter → a collapsed profile (see `Ballots.from_rankings`)."""
    return Ballots.from_rankings(candidates, rankings)


def from_counts(candidates: Iterable[str], items: Iterable[tuple[Ranking, int]]) -> Ballots:
    """(ranking, number of voters) pairs → a collapsed profile."""
    return Ballots.from_counts(candidates, items)
