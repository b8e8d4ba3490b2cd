"""Full-text search over ideas: PostgreSQL `french` text search, SQLite FTS5.

Both return a subquery of (idea id, score) where a higher score is a better match, so
the list can filter with it and sort by relevance. User words never reach SQL as
syntax: they are reduced to letters and digits and passed as bound parameters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, Float, func, literal_column, select, text
from sqlalchemy.sql import Subquery

from ideation.extensions import db
from ideation.ideas.models import Idea

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# PostgreSQL: the stored generated column `to_tsvector('french', title || ' ' || summary
# || ' ' || body_text)` with its GIN index (migration 0021): matching and ranking read the
# stored vector, no idea's text is parsed at query time.
FTS_DOCUMENT = "ideas.fts_document"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Words too common to say two ideas look alike (PostgreSQL drops them itself; FTS5 does not).
STOP_WORDS = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui
    ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur
    ta te tes toi ton tu un une vos votre vous est sont etre avoir fait faire plus tres tout tous
    toute toutes comme afin entre sans sous chez peut pourrait faut idee idees proposer propose
    the and for
    """.split()
)


def terms(query: str | None) -> list[str]:
    """The words of a query: letters and digits only, lowercased, at most MAX_TERMS."""
    if not query:
        return []
    words = _WORD.findall(unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH]).lower())
    return words[:MAX_TERMS]


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def significant_terms(text_: str) -> list[str]:
    """Distinct words worth comparing (no stop words, three letters or more)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(unicodedata.normalize("NFC", text_).lower()):
        if len(word) >= 3 and _fold(word) not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)[: MAX_TERMS * 2]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _fts5_phrase(words: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{w}"' for w in words)


def _fts5_match(words: list[str], operator: str):  # type: ignore[no-untyped-def]
    return text("ideas_fts MATCH :fts_query").bindparams(fts_query=_fts5_phrase(words, operator))


def match_condition(words: list[str]) -> ColumnElement[bool] | None:
    """A WHERE clause on `ideas` keeping the ideas that contain all the words, without ranking.

    For counting and filtering: the index alone answers it (the GIN index on PostgreSQL,
    the FTS5 table's rowids on SQLite), no score is computed and no text column is read."""
    if not words:
        return None
    if _dialect() == "postgresql":
        tsquery = func.plainto_tsquery(literal_column("'french'"), " ".join(words))
        return literal_column(FTS_DOCUMENT).op("@@")(tsquery)
    return Idea.id.in_(
        select(literal_column("ideas_fts.rowid"))
        .select_from(text("ideas_fts"))
        .where(_fts5_match(words, "AND"))
    )


def matches(words: list[str], *, any_word: bool = False) -> Subquery | None:
    """(id, score) of the ideas matching all the words (or any of them)."""
    if not words:
        return None
    if _dialect() == "postgresql":
        document: ColumnClause[Any] = literal_column(FTS_DOCUMENT)
        if any_word:
            tsquery = func.to_tsquery(literal_column("'french'"), " | ".join(words))
        else:
            tsquery = func.plainto_tsquery(literal_column("'french'"), " ".join(words))
        return (
            select(Idea.id.label("id"), func.ts_rank(document, tsquery).cast(Float).label("score"))
            .where(document.op("@@")(tsquery))
            .subquery("fts")
        )
    # bm25() is lower for better matches: negate it so higher is better everywhere.
    return (
        select(
            literal_column("ideas_fts.rowid").label("id"),
            (-literal_column("bm25(ideas_fts)")).label("score"),
        )
        .select_from(text("ideas_fts"))
        .where(_fts5_match(words, "OR" if any_word else "AND"))
        .subquery("fts")
    )
