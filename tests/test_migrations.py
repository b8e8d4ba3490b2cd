"""Migrations upgrade from empty, downgrade to base, and match the models, on both databases."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ideation import create_app
from ideation.extensions import db as _db
from tests.conftest import need

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _cycle(url: str) -> None:
    from flask_migrate import downgrade, upgrade

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        engine = _db.engine
        tables = set(sa.inspect(engine).get_table_names())
        assert {"users", "organisations", "residences", "invitations", "emails"} <= tables
        _assert_models_match(engine)
        _assert_email_index(engine)
        downgrade(revision="base")
        left = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        assert left == set(), f"tables left after downgrade: {left}"
        upgrade()  # and back up again: downgrades really undo
        engine.dispose()


def _assert_models_match(engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, _db.metadata)
    # SQLite FTS shadow tables and expression indexes cannot be reflected/compared.
    # Full-text search objects are dialect-specific and live only in the migrations.
    # The PostgreSQL-only stored document `ideas.fts_document` (migration 0021) too.
    meaningful = [
        d
        for d in diff
        if not (d[0] in {"remove_table", "remove_index"} and "fts" in d[1].name)
        and not (d[0] == "remove_column" and "fts" in d[3].name)
    ]
    assert meaningful == [], f"models and migrations differ: {meaningful}"


def _assert_email_index(engine) -> None:
    """The case-insensitive e-mail index survives every later migration (autogenerate
    cannot compare expression indexes on SQLite, so it is checked by name)."""
    query = (
        "select name from sqlite_master where type = 'index'"
        if engine.dialect.name == "sqlite"
        else "select indexname from pg_indexes where tablename = 'users'"
    )
    with engine.connect() as conn:
        names = set(conn.execute(sa.text(query)).scalars())
    assert "uq_users_email_lower" in names


def _vote_methods_converted(url: str) -> None:
    """0011: the vote methods stored as free strings become values of the registry's enum."""
    from flask_migrate import upgrade

    from ideation.challenges.models import Challenge
    from ideation.domain.voting import VoteMethod

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    stored = {"a": "schulze", "b": "irv", "c": " Borda ", "d": "IRV", "e": "condorcet", "f": ""}
    with app.app_context():
        upgrade(revision="0008")
        with _db.engine.begin() as conn:
            for slug, method in stored.items():
                conn.execute(
                    sa.text(
                        "insert into challenges (slug, title, summary, description_source, "
                        "description_html, phase, premoderation, vote_method, vote_winners, "
                        "created_at, updated_at) values (:slug, 'T', 'S', '', '', 'draft', "
                        ":yes, :method, 1, :now, :now)"
                    ),
                    {"slug": slug, "method": method, "yes": True, "now": "2026-01-01 00:00:00"},
                )
        upgrade()
        with _db.engine.connect() as conn:
            rows = dict(conn.execute(sa.text("select slug, vote_method from challenges")).all())
        assert rows == {
            "a": "schulze",
            "b": "irv",
            "c": "borda",
            "d": "irv",
            "e": "schulze",
            "f": "schulze",
        }
        loaded = {c.slug: c.vote_method for c in _db.session.scalars(sa.select(Challenge))}
        assert loaded["c"] is VoteMethod("borda") and loaded["d"] is VoteMethod("irv")
        _db.session.remove()
        _db.engine.dispose()


def _editions_converted(url: str) -> None:
    """0016: every distinct free-text edition becomes an edition row, none lost; themes
    become houses of an edition; pilots get their house and edition; downgrade gives the
    text back."""
    from flask_migrate import downgrade, upgrade

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    stored = {
        "a": "Fabrique 2024",
        "b": " Fabrique 2024 ",
        "c": "Fabrique 2026",
        "d": "fabrique 2026",
        "e": "Édition spéciale « quartiers » & co",
        "f": "",
        "g": None,
    }
    now = "2026-01-01 00:00:00"
    with app.app_context():
        upgrade(revision="0015")
        with _db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "insert into themes (id, slug, name, position) values "
                    "(1, 'lien', 'Lien social', 0), (2, 'seul', 'Sans défi', 1)"
                )
            )
            conn.execute(
                sa.text(
                    "insert into organisations (id, name, slug, kind, created_at) "
                    "values (1, 'Bailleur', 'bailleur', 'landlord', :now)"
                ),
                {"now": now},
            )
            for n, (slug, edition) in enumerate(stored.items(), start=1):
                conn.execute(
                    sa.text(
                        "insert into challenges (id, slug, title, summary, description_source, "
                        "description_html, phase, premoderation, vote_method, vote_winners, "
                        "created_at, updated_at, edition, theme_id) values (:id, :slug, 'T', "
                        "'S', '', '', 'draft', :yes, 'schulze', 1, :now, :now, :edition, :theme)"
                    ),
                    {
                        "id": n,
                        "slug": slug,
                        "edition": edition,
                        "yes": True,
                        "now": now,
                        "theme": 1 if slug in {"c", "d", "a", "b"} else None,
                    },
                )
            conn.execute(
                sa.text(
                    "insert into pilots (id, organisation_id, challenge_id, title, "
                    "description_source, description_html, status, progress, budget_planned, "
                    "budget_spent, created_at, updated_at) values (1, 1, 1, 'P', '', '', "
                    "'running', 0, 0, 0, :now, :now)"
                ),
                {"now": now},
            )
        upgrade()
        with _db.engine.connect() as conn:
            names = dict(conn.execute(sa.text("select id, name from editions")).all())
            linked = dict(conn.execute(sa.text("select slug, edition_id from challenges")).all())
            houses = dict(conn.execute(sa.text("select slug, edition_id from themes")).all())
            pilot = conn.execute(sa.text("select house_id, edition_id from pilots")).one()
            slugs = set(conn.execute(sa.text("select slug from editions")).scalars())
        assert set(names.values()) == {
            "Fabrique 2024",
            "Fabrique 2026",
            "fabrique 2026",
            "Édition spéciale « quartiers » & co",
        }
        assert len(slugs) == 4  # distinct even when the names differ only by case
        by_name = {v: k for k, v in names.items()}
        assert linked == {
            "a": by_name["Fabrique 2024"],
            "b": by_name["Fabrique 2024"],
            "c": by_name["Fabrique 2026"],
            "d": by_name["fabrique 2026"],
            "e": by_name["Édition spéciale « quartiers » & co"],
            "f": None,
            "g": None,
        }
        # Theme 1 is used twice by "Fabrique 2024", once by each 2026 spelling.
        assert houses["lien"] == by_name["Fabrique 2024"]
        assert houses["seul"] is not None  # a theme without challenges still has an edition
        assert tuple(pilot) == (1, by_name["Fabrique 2024"])
        downgrade(revision="0015")
        with _db.engine.connect() as conn:
            back = dict(conn.execute(sa.text("select slug, edition from challenges")).all())
        assert back == {
            "a": "Fabrique 2024",
            "b": "Fabrique 2024",
            "c": "Fabrique 2026",
            "d": "fabrique 2026",
            "e": "Édition spéciale « quartiers » & co",
            "f": None,
            "g": None,
        }
        _db.session.remove()
        _db.engine.dispose()


def test_free_text_editions_become_editions_on_sqlite(tmp_path):
    _editions_converted(f"sqlite:///{tmp_path / 'editions.db'}")


def test_free_text_editions_become_editions_on_postgresql():
    _with_pg_database("fabrique_editions", _editions_converted)


def _with_pg_database(prefix: str, run) -> None:  # type: ignore[no-untyped-def]
    base = sa.engine.make_url(_pg_server_url())
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError:
        need(False, f"PostgreSQL is not reachable at {base.render_as_string(hide_password=True)}")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        run(base.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_vote_methods_are_converted_on_sqlite(tmp_path):
    _vote_methods_converted(f"sqlite:///{tmp_path / 'methods.db'}")


def test_vote_methods_are_converted_on_postgresql():
    _with_pg_database("fabrique_methods", _vote_methods_converted)


def test_migrations_on_sqlite(tmp_path):
    _cycle(f"sqlite:///{tmp_path / 'migrations.db'}")


def _pg_server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else DEFAULT_PG


def test_migrations_on_postgresql():
    base = sa.engine.make_url(_pg_server_url())
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError:
        need(False, f"PostgreSQL is not reachable at {base.render_as_string(hide_password=True)}")
    name = f"fabrique_migr_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        _cycle(base.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="runs when the suite targets PostgreSQL"
)
def test_suite_runs_on_postgresql(db):
    assert db.engine.dialect.name == "postgresql"


def _backfills_redone(url: str) -> None:
    """0013 and 0014 fill what they add for rows that exist (on PostgreSQL in batches that
    commit on their own, docs/operations.md#upgrades): every idea gets a drawn shuffle key,
    every ballot the published hash of its receipt, and the index is valid."""
    from flask_migrate import downgrade, upgrade

    from ideation.voting.services import published_receipt
    from tests.factories import make_ballot, make_challenge, make_idea, make_org, make_user

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        org = make_org()
        challenge = make_challenge(org=org)
        ideas = [make_idea(challenge) for _ in range(60)]
        for _ in range(25):
            make_ballot(challenge, make_user(org=org), [[ideas[0].id], [ideas[1].id]])
        _db.session.commit()
        _db.session.remove()
        downgrade(revision="0012")
        upgrade()
        with _db.engine.connect() as conn:
            keys = conn.execute(sa.text("select shuffle_key from ideas")).scalars().all()
            ballots = conn.execute(sa.text("select receipt, receipt_hash from ballots")).all()
            if _db.engine.dialect.name == "postgresql":
                invalid = conn.execute(
                    sa.text("select count(*) from pg_index where not indisvalid")
                ).scalar()
                assert invalid == 0
                checks = (
                    conn.execute(
                        sa.text(
                            "select conname from pg_constraint where conname like 'ck_ballots_%'"
                        )
                    )
                    .scalars()
                    .all()
                )
                assert checks == []
        assert len(keys) > 50 and len(set(keys)) > len(keys) * 0.9
        assert len(ballots) > 20
        assert all(hashed == published_receipt(receipt) for receipt, hashed in ballots)
        _assert_models_match(_db.engine)
        _db.engine.dispose()


def _turnout_backfilled(url: str) -> None:
    """0029 fills the turnout of the results closed before it: per channel as the close
    counts it, per residence the voters without the people who could vote."""
    from flask_migrate import downgrade, upgrade

    from ideation.voting.models import VoteResult
    from tests.requests.test_one_count import every_channel_vote

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        closed = every_channel_vote()["result"].turnout
        _db.session.remove()
        downgrade(revision="0028")
        upgrade()
        [filled] = _db.session.scalars(sa.select(VoteResult.turnout)).all()
        assert filled["channels"] == closed["channels"]
        assert filled["residences"] == [{**row, "eligible": None} for row in closed["residences"]]
        _assert_models_match(_db.engine)
        _db.session.remove()
        _db.engine.dispose()


def test_backfill_of_0029_on_sqlite(tmp_path):
    _turnout_backfilled(f"sqlite:///{tmp_path / 'turnout.db'}")


def test_backfill_of_0029_on_postgresql():
    _with_pg_database("fabrique_turnout", _turnout_backfilled)


def test_backfills_of_0013_and_0014_on_sqlite(tmp_path):
    _backfills_redone(f"sqlite:///{tmp_path / 'backfills.db'}")


def test_backfills_of_0013_and_0014_on_postgresql():
    _with_pg_database("fabrique_backfills", _backfills_redone)
