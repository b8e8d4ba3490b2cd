"""What a voting method module declares: a `VotingMethod` value and its `Count`.

A method module (one per method in this package) holds its algorithm and one
`METHOD = VotingMethod(...)`; `registry.py` lists the shipped ones. Adding a method is
one new module here, one line in the registry and one template partial
(``templates/voting/methods/<name>.html``).

Pure Python: labels are plain French strings marked with `N_` (a no-op that
``pybabel extract -k N_`` collects); the web app translates them when it shows them,
the offline recount prints them as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .ballots import Ballots

# Rows handled per numpy step: large enough to amortise Python overhead, small enough
# for the temporaries (rows × candidates booleans and floats) to stay in the CPU cache.
CHUNK = 1 << 14
# float64 sums of integers are exact below 2**53; bincount accumulates in float64.
EXACT_FLOAT = 2**53


def N_(message: str) -> str:  # noqa: N802 (the gettext convention for a deferred marker)
    """Mark `message` for translation without translating it (the domain has no locale)."""
    return message


@dataclass(frozen=True)
class Count:
    """What a method's count returns, in candidate indices.

    `groups` is the order, tie groups best first; `tallies` tells whether the
    tie-break order decided something inside the count itself (instant-runoff's
    eliminations); the cut at the K-th winner is handled by `tally` for every method.
    `details` are the method's fields of the published JSON, JSON-ready, in the order
    the method's `json_fields` declares.
    """

    groups: list[list[int]]
    details: dict[str, Any] = field(default_factory=dict)
    tie_break_used: bool = False


# count(profile, tie-break order as candidate indices, most favoured first) -> Count
Counter = Callable[[Ballots, Sequence[int]], Count]
# present(published JSON object) -> the template context of the method's partial
Presenter = Callable[[Mapping[str, Any]], dict[str, Any]]
# report(published JSON object) -> French lines for `python -m ideation.recount`
Reporter = Callable[[Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class VotingMethod:
    """One voting method, everything the app and the recount need to know of it.

    `name` is the code value (stored on challenges and results, given to
    ``--method``); `label` names the method in a sentence ("Méthode : <label>"),
    `choice_label` offers it to a facilitator; both French, marked `N_`.
    `json_fields` are the keys the method adds to the published result JSON, after
    the common ones (method, candidates, ballots, ranking, winners, tie_break, digest).
    The presenter's context is rendered by ``templates/voting/methods/<name>.html``.
    """

    name: str
    label: str
    choice_label: str
    count: Counter
    json_fields: tuple[str, ...]
    present: Presenter
    report: Reporter


def groups_by_value(values: Sequence[float]) -> list[list[int]]:
    """Candidate indices grouped by equal value, highest first (a score-based order)."""
    return [
        [i for i, v in enumerate(values) if v == value]
        for value in sorted(set(values), reverse=True)
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A plain-text table for the recount report: first column left, the others right."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            str(cell).ljust(widths[0]) if i == 0 else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines
