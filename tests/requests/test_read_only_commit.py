"""A request that only read ends with COMMIT, so psycopg keeps its prepared statements
(ideation/core/transactions.py); anything that wrote keeps its ROLLBACK."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from ideation.core.transactions import end_read_only, is_read
from ideation.domain.roles import OrganisationKind
from ideation.extensions import db as _db
from ideation.orgs.models import Organisation
from tests.factories import make_challenge, make_user

on_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="psycopg's prepared statements: runs when the suite targets PostgreSQL",
)


def _org(name: str) -> Organisation:
    return Organisation(
        name=name, slug=name.lower().replace(" ", "-"), kind=OrganisationKind.LANDLORD
    )


def _organisations(app) -> list[str]:  # noqa: ANN001
    """What another connection sees (committed rows only)."""
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.text("SELECT name FROM organisations ORDER BY name")))
    finally:
        engine.dispose()


def _in_transaction() -> bool:
    """Whether the session's DBAPI connection still has a transaction open."""
    raw = _db.session.connection().connection.dbapi_connection
    if hasattr(raw, "info"):  # psycopg
        return raw.info.transaction_status != 0  # 0: IDLE
    return raw.in_transaction  # sqlite3


@pytest.fixture
def request_ctx(app, db):
    """A request's context on the app (its own session), closed as Flask closes it."""
    with app.test_request_context("/"):
        yield
        _db.session.remove()


@on_postgresql
def test_a_page_read_again_and_again_uses_prepared_statements(app, client, db, login):
    """The sixth view of a page runs statements PostgreSQL prepared at the fifth: no
    ROLLBACK in between wiped them."""
    challenge = make_challenge()
    db.session.commit()
    login(make_user())
    with app.app_context():  # one connection from here on: the requests are serial
        _db.engine.dispose()
    for _ in range(7):
        assert client.get(f"/defis/{challenge.slug}").status_code == 200
    with app.app_context():  # the app's pool: the connection the requests used
        prepared = _db.session.scalars(
            sa.text("SELECT statement FROM pg_prepared_statements")
        ).all()
        _db.session.rollback()
    assert any("FROM challenges" in s for s in prepared), prepared
    assert any("FROM users" in s for s in prepared), prepared


def test_the_hook_is_installed(app):
    assert end_read_only in app.teardown_request_funcs[None]


def test_a_request_that_only_read_is_committed(request_ctx):
    _db.session.execute(sa.select(Organisation.id)).all()
    # psycopg opened a transaction for the SELECT (sqlite3 opens one only to write).
    assert _in_transaction() == (_db.engine.dialect.name == "postgresql")
    end_read_only(None)
    assert not _in_transaction()


def test_a_flushed_write_is_never_committed(app, request_ctx):
    _db.session.add(_org("Écrite sans commit"))
    _db.session.flush()  # the INSERT was sent, the view then chose not to commit
    end_read_only(None)
    assert _in_transaction()
    _db.session.rollback()
    assert "Écrite sans commit" not in _organisations(app)


def test_a_pending_object_is_never_flushed(app, request_ctx):
    _db.session.execute(sa.select(Organisation.id)).all()
    _db.session.add(_org("Jamais écrite"))
    end_read_only(None)
    _db.session.rollback()
    assert "Jamais écrite" not in _organisations(app)


@on_postgresql  # sqlite3 sends a WITH … INSERT outside any transaction
def test_a_write_hidden_in_a_statement_is_never_committed(app, request_ctx):
    """Text SQL too: anything that does not start with SELECT counts as a write."""
    _db.session.execute(
        sa.text(
            "WITH x AS (SELECT 1 AS one) INSERT INTO organisations (name, slug, kind, created_at) "
            "SELECT 'Par un WITH', 'par-un-with', 'landlord', CURRENT_TIMESTAMP FROM x"
        )
    )
    end_read_only(None)
    assert _in_transaction()
    _db.session.rollback()
    assert "Par un WITH" not in _organisations(app)


@on_postgresql  # sqlite3 opens no transaction for a read
def test_a_failed_request_is_rolled_back(request_ctx):
    _db.session.execute(sa.select(Organisation.id)).all()
    end_read_only(RuntimeError("the view failed"))
    assert _in_transaction()


def test_after_a_rollback_a_read_commits_again(app, request_ctx):
    """The write flag belongs to one transaction, not to the pooled connection."""
    _db.session.add(_org("Annulée"))
    _db.session.flush()
    _db.session.rollback()
    _db.session.execute(sa.select(Organisation.id)).all()
    end_read_only(None)
    assert not _in_transaction()


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT id FROM ideas", True),
        ("  select id FROM ideas FOR UPDATE", True),
        ("WITH RECURSIVE walk(value) AS (SELECT 1) SELECT value FROM walk", True),
        ("WITH x AS (SELECT 1) INSERT INTO ideas SELECT * FROM x", False),
        ("WITH x AS (DELETE FROM ideas RETURNING id) SELECT id FROM x", False),
        ("with x as (select 1) update ideas set title = 't'", False),
        ("INSERT INTO ideas DEFAULT VALUES", False),
        ("UPDATE ideas SET title = 't'", False),
        ("DELETE FROM ideas", False),
        ("SAVEPOINT sa_1", False),
        ("SET LOCAL lock_timeout = 1000", False),
        ("selected", False),
        ("WITHOUT", False),
    ],
)
def test_what_counts_as_a_read(statement, reads):
    assert is_read(statement) is reads
