"""A fourth voting method that exists only in tests: "first choices" (approval-like).

It proves that a method is one registry entry plus one partial: the tally, the published
JSON, the results page and the recount handle it without a line of their own. Each
ballot approves the ideas of its first place; most approvals first.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ideation.domain.voting import Ballots, registry
from ideation.domain.voting.base import Count, VotingMethod, groups_by_value

NAME = "premiers-choix"

PARTIAL = """\
<p class="fake-method">Premiers choix : chaque bulletin approuve les idées de sa première place.</p>
<ul class="approvals">{% for name, n in explained.approvals %}<li>{{ name }} : {{ n }}</li>{% endfor %}</ul>
{% from "voting/_macros.html" import result_chart with context %}
{{ result_chart(chart, "Approbations") }}
"""


def count(profile: Ballots, tie_break: Sequence[int]) -> Count:
    names = profile.candidates
    approvals = [0] * len(names)
    for ranking, voters in profile.rankings():
        for name in ranking[0] if ranking else ():
            approvals[names.index(name)] += voters
    return Count(
        groups=groups_by_value(approvals),
        details={"approvals": {n: approvals[i] for i, n in enumerate(names)}},
    )


def present(data: Mapping[str, Any]) -> dict[str, Any]:
    values = [(n, data["approvals"][n]) for n in data["candidates"]]
    return {"approvals": sorted(values, key=lambda v: -v[1]), "chart": values}


def report(data: Mapping[str, Any]) -> list[str]:
    return ["Approbations :", *[f"  {n} : {data['approvals'][n]}" for n in data["candidates"]]]


METHOD = VotingMethod(
    name=NAME,
    label="premiers choix",
    choice_label="Premiers choix",
    count=count,
    json_fields=("approvals",),
    present=present,
    report=report,
)


@contextmanager
def registered() -> Iterator[VotingMethod]:
    """The fake method in the registry for the duration of the block, then removed."""
    registry.register(METHOD)
    try:
        yield METHOD
    finally:
        registry.unregister(NAME)
