"""The challenge page's idea list for members, rendered once and shared through the page cache.

A member's list differs from another member's in three things only: which ideas they
support, whether they may support at all (role, scope, their own ideas), and their own
pending ideas (which only they see). So, when the page cache is configured (Redis), the
page of ideas (their ids, the total, the residences and themes of the filters) and its
20 cards are rendered once per challenge, phase, address (filters, sort, page) and order
seed, with a marker where each support button goes and both forms of each button (with
a stand-in for the CSRF token) stored beside it. A member's request reads the entry
first (`lookup`), then the challenge with their supports among the entry's ideas and
whether they have a pending idea here, in one query, and fills the markers: no list
query, no idea loaded, no card rendered. The entry names its challenge and phase: one
rendered in another phase (the dates moved it) is rendered again.

A member with a pending idea in the challenge, or the "my ideas" filter, gets the page
rendered for them as before. Entries follow the page cache's rules (core/cache.py): any
commit that writes a public table ages them all, and they last PAGE_CACHE_TTL at most.
The stand-in and the markers carry a key derived from SECRET_KEY, which readers never
see (every marker is replaced before the page leaves), and escaped user text cannot
spell a marker (it cannot contain `<`).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, get_template_attribute, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import Select, String, bindparam, cast, exists, func, select

from ideation.challenges import services as challenge_services
from ideation.challenges.models import Challenge
from ideation.core import cache as page_cache
from ideation.core.forms import FilterChoice
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.permissions import Actor
from ideation.extensions import db
from ideation.ideas import services as idea_services
from ideation.ideas.models import Idea, Support


def _secret() -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"shared idea list", hashlib.sha256).hexdigest()[:24]


def _marker(secret: str, idea_id: int) -> str:
    return f"<!--support-{secret}-{idea_id}-->"


@functools.cache
def _challenge_and_mine(with_ids: bool) -> Select[Any]:
    """The challenge by its slug (challenges.services.by_slug) with two more columns for
    the member `user_id`: whether they have a pending idea in it, and their supports
    among the ideas `ids` ("3,17,42"). Built once per shape."""
    pending = exists().where(
        Idea.challenge_id == Challenge.id,
        Idea.author_id == bindparam("user_id"),
        Idea.status == IdeaStatus.SUBMITTED,
    )
    columns: list[Any] = [pending.label("pending")]
    if with_ids:
        supports = select(func.aggregate_strings(cast(Support.idea_id, String), ",")).where(
            Support.user_id == bindparam("user_id"),
            Support.idea_id.in_(bindparam("ids", expanding=True)),
        )
        columns.append(supports.scalar_subquery().label("supported"))
    return challenge_services.by_slug().add_columns(*columns)


@dataclass
class Lookup:
    """A member's view before the challenge is known: the shared entry (None on a miss)
    and, from the query that loaded the challenge, what is theirs."""

    piece: page_cache.Fragment
    entry: dict[str, Any] | None
    challenge: Challenge | None
    supported: set[int]
    pending: bool


def lookup(slug: str, actor: Actor, filters: idea_services.IdeaFilters) -> Lookup | None:
    """For a member when the page cache is on: the shared entry of this address (one
    Redis lookup), then the challenge with their supports among the entry's ideas and
    whether they have a pending idea in it (one query). None: load the challenge as
    usual (visitors, no page cache, "my ideas")."""
    if not actor.is_authenticated or actor.id is None or filters.mine:
        return None
    # "v3": the address alone names the entry, which names its challenge and phase.
    piece = page_cache.fragment(f"ideas|v3|{filters.seed}|{request.full_path}")
    if piece is None:
        return None
    entry: dict[str, Any] | None = json.loads(piece.value) if piece.value else None
    ids: list[int] = entry["ids"] if entry else []
    row = (
        db.session.execute(
            _challenge_and_mine(bool(ids)), {"slug": slug, "user_id": actor.id, "ids": ids}
        )
        .unique()
        .first()
    )
    if row is None:
        return Lookup(piece, entry, None, set(), False)
    found = row._mapping.get("supported") if ids else None
    supported = {int(i) for i in found.split(",")} if found else set()
    return Lookup(piece, entry, row[0], supported, bool(row._mapping["pending"]))


@dataclass
class SharedList:
    """What the challenge page needs from the shared entry, filled for this member."""

    page: idea_services.IdeaPage
    sort: idea_services.IdeaSort
    cards: Markup
    values: idea_services.FilterValues


def _render(
    challenge: Challenge, actor: Actor, phase: Phase, filters: idea_services.IdeaFilters
) -> tuple[dict[str, Any], idea_services.IdeaPage]:
    """The entry for everyone without pending ideas here (rendered for this member, who has none)."""
    rows, sort = idea_services.list_ideas(challenge, actor, filters)
    secret = _secret()
    nxt = request.full_path
    form = get_template_attribute("ideas/_macros.html", "support_form")
    stand_in = f"csrf-{secret}"
    ideas: list[Idea] = list(rows.items)
    cards = render_template(
        "challenges/_shared_cards.html",
        ideas=ideas,
        challenge=challenge,
        phase=phase,
        next=nxt,
        slot=lambda idea_id: Markup(_marker(secret, idea_id)),
    )
    entry = {
        "challenge": challenge.id,
        "phase": phase.value,
        "sort": str(sort),
        "page": rows.page,
        "total": rows.total,
        "ids": [i.id for i in ideas],
        "cards": cards,
        "buttons": {
            str(i.id): [
                i.status.value,
                i.author_id,
                str(form(i, False, nxt, stand_in)),
                str(form(i, True, nxt, stand_in)),
            ]
            for i in ideas
        },
        "values": _values_entry(idea_services.filter_values(challenge, actor, filters)),
    }
    return entry, rows


def _values_entry(values: idea_services.FilterValues) -> dict[str, Any]:
    return {
        "themes": [[t.id, t.label] for t in values.themes],
        "residences": [[r.id, r.label] for r in values.residences],
        "statuses": [s.value for s in values.statuses],
    }


def _values_from(entry: dict[str, Any]) -> idea_services.FilterValues:
    return idea_services.FilterValues(
        themes=[FilterChoice(i, label) for i, label in entry["themes"]],
        residences=[FilterChoice(i, label) for i, label in entry["residences"]],
        statuses=[IdeaStatus(s) for s in entry["statuses"]],
    )


def _fill(
    entry: dict[str, Any], supported: set[int], actor: Actor, phase: Phase, challenge: Challenge
) -> Markup:
    secret = _secret()
    token = str(escape(generate_csrf()))
    buttons = entry["buttons"]

    def button(match: re.Match[str]) -> str:
        status, author_id, off, on = buttons[match.group(1)]
        if not rules.can_support_idea(actor, phase, IdeaStatus(status), author_id, challenge.scope):
            return ""
        chosen: str = on if int(match.group(1)) in supported else off
        return chosen.replace(f"csrf-{secret}", token)

    return Markup(re.sub(rf"<!--support-{secret}-(\d+)-->", button, entry["cards"]))


def shared_list(
    challenge: Challenge,
    actor: Actor,
    phase: Phase,
    filters: idea_services.IdeaFilters,
    found: Lookup | None,
) -> SharedList | None:
    """The page's list for a member from the shared entry `lookup` found (rendering and
    storing it on a miss), or None when it must be rendered for them alone (no page
    cache, "my ideas", a pending idea of theirs here)."""
    if found is None or found.pending:
        return None
    entry = found.entry
    if entry is not None and (entry["challenge"], entry["phase"]) != (challenge.id, phase.value):
        entry = None  # rendered in another phase, or for another challenge at this address
    if entry is None:
        entry, rows = _render(challenge, actor, phase, filters)
        page_cache.keep(found.piece, json.dumps(entry).encode())
        supported = idea_services.supported_ids(actor.id, entry["ids"])
    else:
        supported = found.supported
        ids, total = entry["ids"], entry["total"]
        rows = idea_services.IdeaPage(
            page=entry["page"],
            per_page=idea_services.PER_PAGE,
            error_out=False,
            fetch=lambda _offset, _limit: (ids, total),
        )
    return SharedList(
        page=rows,
        sort=idea_services.IdeaSort(entry["sort"]),
        cards=_fill(entry, supported, actor, phase, challenge),
        values=_values_from(entry["values"]),
    )
