"""User rich text: a Markdown subset rendered with raw HTML off, then cleaned by bleach.

The only module that imports bleach. Texts are sanitised once, when saved; the
Markdown source is kept for editing and the clean HTML is what templates show
(with `|safe`, on those fields only).
"""

from __future__ import annotations

import html

import bleach
import markdown
from bleach.linkifier import Linker

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

MAX_SOURCE_LENGTH = 20_000


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML is text, never markup: drop the block and inline HTML handlers.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _nofollow(attrs, new=False):  # type: ignore[no-untyped-def]
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True
)
_linker = Linker(callbacks=[_nofollow], skip_tags={"pre", "code"})


def render_markdown(source: str | None) -> str:
    """Markdown subset → safe HTML (links get rel=nofollow; bare URLs become links)."""
    if not source:
        return ""
    raw = _markdown().convert(source[:MAX_SOURCE_LENGTH])
    return _linker.linkify(_cleaner.clean(raw))


_page_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS | {"h2"},
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
)


def render_page_markdown(source: str | None) -> str:
    """The same subset for the site's own pages (accessibility, help…), with "##" sections:
    their title is the page's only h1, so sections start at h2. Links keep no nofollow."""
    if not source:
        return ""
    return _page_cleaner.clean(_markdown().convert(source[:MAX_SOURCE_LENGTH]))


def plain_text(clean_html: str) -> str:
    """The words of sanitised HTML, for full-text search and short previews."""
    text = bleach.clean(
        clean_html.replace("</p>", "</p> ").replace("<br>", " "), tags=set(), strip=True
    )
    return " ".join(html.unescape(text).split())
