"""A request that wrote nothing ends its transaction with COMMIT, not ROLLBACK (PostgreSQL).

psycopg forgets every prepared statement of a connection at each ROLLBACK (a transaction
rolled back may have dropped or recreated what they name), and every request ends with
one when Flask-SQLAlchemy closes its session. So no statement ever reached psycopg's
threshold (the fifth execution on one connection) and PostgreSQL parsed and planned
every query of every page again: half a millisecond for the challenge page's join alone,
on a server that the app servers share.

When a request sent nothing but SELECTs and its session holds no pending change, COMMIT
and ROLLBACK end its transaction the same way (a read changes nothing; its locks, if it
took any, go either way). This hook then commits on the DBAPI connection itself: no
SQLAlchemy event fires (the jobs queued "after commit" stay unsent, the page cache sees
no write), and the session closes as before, its ROLLBACK now a no-op that keeps the
prepared statements. Anything else (a write statement, a pending object, an exception,
an unknown statement) keeps the ROLLBACK.

SQLite gains nothing (sqlite3 opens a transaction only to write, so a read-only request
has none to end), but runs the same hook, so that both databases test one behaviour.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask
from sqlalchemy import event

from ideation.extensions import db

log = logging.getLogger(__name__)

# A read starts with SELECT, or with WITH (the filters' recursive walks) and names no
# INSERT, UPDATE, DELETE or MERGE anywhere (a word in a literal counts too: safe side).
# SAVEPOINT, SET, anything else counts as a write.
_SELECT = re.compile(r"\s*select\b", re.I)
_WITH = re.compile(r"\s*with\b", re.I)
_WRITE_WORD = re.compile(r"\b(?:insert|update|delete|merge)\b", re.I)
_WROTE = "fabrique_wrote"


def is_read(statement: str) -> bool:
    if _SELECT.match(statement):
        return True
    return bool(_WITH.match(statement)) and not _WRITE_WORD.search(statement)


def _watch(engine: Any) -> None:
    def note(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not is_read(statement):
            conn.info[_WROTE] = True

    def forget(conn: Any) -> None:
        conn.info.pop(_WROTE, None)

    event.listen(engine, "before_cursor_execute", note)
    event.listen(engine, "commit", forget)
    event.listen(engine, "rollback", forget)


def end_read_only(error: BaseException | None) -> None:
    """Teardown: COMMIT the transaction of a request that only read (see above)."""
    if error is not None or not db.session.registry.has():
        return  # a page served from the cache never opened a session: none to make now
    session = db.session()
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return
    connection = session.connection()  # the transaction's own: it is already open
    if connection.info.get(_WROTE):
        return
    try:
        connection.connection.dbapi_connection.commit()  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001  (the connection failed: the session's ROLLBACK follows)
        log.warning("read-only commit failed; the session rolls back", exc_info=True)


def init_app(app: Flask) -> None:
    with app.app_context():
        _watch(db.engine)
    # Teardown of the request: before Flask-SQLAlchemy closes the session (app context).
    app.teardown_request(end_read_only)
