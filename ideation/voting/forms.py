"""Vote forms: the ballot (one rank select per idea) and the facilitator's close button.

The ballot posts ``rang-<idea id>=<rank>`` pairs, with or without JavaScript (the
script only reorders cards and fills the same selects). `parse_ranks` turns them into
a ranking (groups of ideas, best first: ideas given the same rank are ex aequo) or
French error messages, keeping what the voter chose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from ideation.core.numbers import parse_id, parse_int

FIELD_PREFIX = "rang-"


class VoteForm(FlaskForm):
    """Only the CSRF token: the rank selects depend on the shortlist (see parse_ranks)."""


class CloseVoteForm(FlaskForm):
    """The facilitator's "Clôturer le vote" button."""


@dataclass
class ParsedBallot:
    chosen: dict[int, str] = field(default_factory=dict)  # idea id -> the raw value, to re-fill
    ranking: list[list[int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def rank_options(candidates: int, max_ranks: int | None) -> int:
    """How many ranks a ballot may hold (the selects offer 1..this)."""
    return min(candidates, max_ranks) if max_ranks else candidates


def parse_ranks(
    data: Mapping[str, str], candidates: Sequence[tuple[int, str]], max_ranks: int | None
) -> ParsedBallot:
    """Read the rank selects: `candidates` are (idea id, title) pairs of the shortlist."""
    parsed = ParsedBallot()
    titles = dict(candidates)
    limit = rank_options(len(candidates), max_ranks)
    ranks: dict[int, int] = {}
    unknown = False
    invalid = []
    for key in data:
        if not key.startswith(FIELD_PREFIX):
            continue
        raw_id = key[len(FIELD_PREFIX) :]
        idea_id = parse_id(raw_id)
        if idea_id is None or idea_id not in titles:
            unknown = True
            continue
        value = (data.get(key) or "").strip()
        parsed.chosen[idea_id] = value
        if not value:
            continue
        rank = parse_int(value, 9999)
        if rank is None:
            invalid.append(titles[idea_id])
            continue
        ranks[idea_id] = rank
    if unknown:
        parsed.errors.append(
            _(
                "Une des idées envoyées ne fait pas partie de ce vote. "
                "Rechargez la page et classez les idées proposées."
            )
        )
    for title in invalid:
        parsed.errors.append(_("Le rang choisi pour « %(title)s » n'est pas valide.", title=title))
    too_far = sorted({rank for rank in ranks.values() if rank < 1 or rank > limit})
    if too_far or len(ranks) > limit:
        if max_ranks and max_ranks < len(candidates):
            parsed.errors.append(
                ngettext(
                    "Trop de rangs : vous pouvez classer %(num)d idée au plus (rang 1).",
                    "Trop de rangs : vous pouvez classer au plus %(num)d idées (rangs 1 à %(num)d).",
                    limit,
                )
            )
        else:
            parsed.errors.append(
                ngettext(
                    "Trop de rangs : il y a %(num)d idée, utilisez le rang 1.",
                    "Trop de rangs : il y a %(num)d idées, utilisez les rangs 1 à %(num)d.",
                    limit,
                )
            )
    by_rank: dict[int, list[int]] = {}
    for idea_id, rank in ranks.items():
        by_rank.setdefault(rank, []).append(idea_id)
    # Ideas given the same rank are ex aequo (one group). After a tie the next rank may
    # follow at once (1, 1, 2) or skip the tied places (1, 1, 3); any other jump is a gap.
    before = 0
    for rank in sorted(r for r in by_rank if 1 <= r <= limit):
        if rank > before + 1:
            missing = min(set(range(1, rank)) - set(by_rank))
            parsed.errors.append(
                _(
                    "Trou dans le classement : il manque le rang %(rank)d. Numérotez vos idées "
                    "1, 2, 3… sans sauter de numéro.",
                    rank=missing,
                )
            )
            break
        before += len(by_rank[rank])
    if not ranks and not invalid and not unknown:
        parsed.errors.append(
            _("Classez au moins une idée : donnez le rang 1 à celle que vous préférez.")
        )
    if not parsed.errors:
        parsed.ranking = [sorted(by_rank[rank]) for rank in sorted(by_rank)]
    return parsed
