"""The "Prochains ateliers" section, rendered once and shared through the page cache.

It reads the same for every reader of a language (the workshops, their places, their
houses), yet a member's challenge page used to load and render it on every view: a
query with two joins and a macro per workshop, about a fifth of the page's time. With
the page cache configured (Redis) the rendered section is a fragment (core/cache.py):
any commit that writes a public table, a registration included, ages it, and it lasts
PAGE_CACHE_TTL at most, which bounds how long a workshop that has just ended stays
listed. Without the page cache it is rendered on each view, as before.
"""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ideation.core import cache as page_cache
from ideation.workshops.services import upcoming


def upcoming_section(challenge_id: int) -> Markup:
    """The section for a challenge's page, or nothing when no workshop is planned for it."""
    piece = page_cache.fragment(f"upcoming-workshops|challenge|{challenge_id}")
    if piece is not None and piece.value is not None:
        return Markup(piece.value.decode())
    workshops = upcoming(challenge_id=challenge_id)
    html = (
        render_template("workshops/_upcoming.html", upcoming_workshops=workshops)
        if workshops
        else ""
    )
    if piece is not None:
        page_cache.keep(piece, html.encode())
    return Markup(html)
