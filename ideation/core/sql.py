"""SQL that depends on the database dialect, written once."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

from ideation.extensions import db


def _sqlite_from_hint(_compiler: Any, _table: Any, text: str | None) -> str | None:
    return text


# SQLAlchemy renders `Select.with_hint(table, text, "sqlite")` after the table's name only
# for dialects that say how; SQLite's says nothing, so its one table hint, INDEXED BY, is
# taught here (see `sqlite_indexed_by`).
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign,assignment]


def sqlite_indexed_by(statement: Any, table: Any, index: str) -> Any:
    """`statement` reading `table` through `index` on SQLite (INDEXED BY), unchanged on
    PostgreSQL. For a plan SQLite's planner cannot see without statistics (no ANALYZE runs
    on an embedded database): a covering index by id, when the rows are wide."""
    return statement.with_hint(table, f"INDEXED BY {index}", "sqlite")


def dialect_insert(table: Any) -> Any:
    """An INSERT that knows ON CONFLICT on both databases (PostgreSQL and SQLite)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table)


def insert_or_ignore(table: Any, conflict: list[str], **values: Any) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: the unique constraint settles double clicks and
    races (never check-then-insert). True when a row was written."""
    # Session.execute is typed as returning a Result; an INSERT gives a CursorResult (rowcount).
    result = cast(
        CursorResult[Any],
        db.session.execute(
            dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
        ),
    )
    return bool(result.rowcount)
