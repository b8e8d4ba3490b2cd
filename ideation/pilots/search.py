"""French full-text search over pilots, for the library of innovations.

The approach of ideas (ideation/ideas/search.py): PostgreSQL's `french` text search on
an expression index, SQLite's FTS5 table `pilots_fts` kept by triggers (migration 0016).
User words are reduced to letters and digits and passed as bound parameters.
"""

from __future__ import annotations

from sqlalchemy import Select, func, literal_column, select, text

from ideation.extensions import db
from ideation.ideas.search import terms
from ideation.pilots.models import Pilot

# Must stay identical to the expression of the GIN index in migration 0016.
FTS_DOCUMENT = (
    "to_tsvector('french', pilots.title || ' ' || pilots.description_source || ' ' "
    "|| pilots.lessons_source || ' ' || pilots.conditions_source)"
)

__all__ = ["matching_ids", "terms"]


def matching_ids(words: list[str]) -> Select | None:
    """The ids of the pilots containing every word, or None when there is nothing to find."""
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        tsquery = func.plainto_tsquery(literal_column("'french'"), " ".join(words))
        return select(Pilot.id).where(literal_column(FTS_DOCUMENT).op("@@")(tsquery))
    phrase = " AND ".join(f'"{w}"' for w in words)
    return (
        select(literal_column("pilots_fts.rowid"))
        .select_from(text("pilots_fts"))
        .where(text("pilots_fts MATCH :pilot_query").bindparams(pilot_query=phrase))
    )
