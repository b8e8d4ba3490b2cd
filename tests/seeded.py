"""The demo seed, run once per test process; later tests get its rows back in a moment.

`flask seed-demo` takes about 25 s (photos resized, a vote counted, e-mails rendered),
and some twenty tests read the demo: run for each, that was minutes of every CI run on
each database. The first test of a process runs the seed for real (the seed itself is
what it tests); its rows are then kept in memory, table by table, and written back into
the emptied tables for the next test. What the seed does outside the tables (photo
files in the process's upload folder) stays where it was written. Tests that check the
seed's own behaviour (idempotence, `--if-empty`, the CLI's output) still run it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ideation.extensions import db as _db
from ideation.seed import seed_demo

_SNAPSHOT: list[tuple[sa.Table, list[dict[str, Any]]]] | None = None


def _take() -> list[tuple[sa.Table, list[dict[str, Any]]]]:
    snapshot = []
    for table in _db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)[:1]
        rows = [dict(r._mapping) for r in _db.session.execute(sa.select(table).order_by(*order))]
        snapshot.append((table, rows))
    return snapshot


def _restore(snapshot: list[tuple[sa.Table, list[dict[str, Any]]]]) -> None:
    """Write the rows back into the tables the `db` fixture emptied; on PostgreSQL the
    foreign keys wait for the end (a row may name a later row of its own table) and the
    id sequences move past the restored ids."""
    postgresql = _db.engine.dialect.name == "postgresql"
    if postgresql:
        _db.session.execute(sa.text("SET CONSTRAINTS ALL DEFERRED"))
        _db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
    else:
        _db.session.execute(sa.text("PRAGMA defer_foreign_keys = ON"))
    for table, rows in snapshot:
        if rows:
            _db.session.execute(table.insert(), rows)
    if postgresql:
        for table, rows in snapshot:
            column = table.columns.get("id")
            if rows and column is not None and column.autoincrement is not False:
                _db.session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )
    _db.session.commit()


def demo(db: Any) -> None:
    """The demo installation in the (empty) test database."""
    global _SNAPSHOT
    if _SNAPSHOT is None:
        seed_demo()
        db.session.expire_all()
        _SNAPSHOT = _take()
    else:
        _restore(_SNAPSHOT)
    db.session.expire_all()
