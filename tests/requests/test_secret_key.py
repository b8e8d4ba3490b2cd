"""Development signs nothing with a key written in config.py: a random key is generated
into instance/ on first run and reused; a development app reachable from other machines
warns loudly (issue 10, item 10)."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from itsdangerous import URLSafeTimedSerializer

from ideation import create_app
from tests.factories import make_user

# The key config.py held before: public, in the repository.
OLD_PUBLIC_KEY = "dev-only-not-secret-change-me"


@pytest.fixture
def development(monkeypatch, tmp_path, database_url):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    # Alembic's logging.config.fileConfig (migrations run earlier) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("ideation"), "disabled", False)
    key_file = tmp_path / "secret_key"

    def build():
        return create_app(
            {
                "CONFIG": "development",
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SECRET_KEY_FILE": str(key_file),
                "MAIL_CONSOLE": False,
            }
        )

    return build, key_file


def test_a_token_forged_with_the_old_public_key_is_refused_in_development(development, db):
    build, _ = development
    user = make_user(verified=False)
    db.session.commit()
    forged = URLSafeTimedSerializer(OLD_PUBLIC_KEY, salt="verify-email").dumps(
        {"u": user.id, "e": user.email}
    )
    assert build().test_client().get(f"/verifier/{forged}").status_code == 400


def test_the_development_key_is_random_private_and_reused(development):
    build, key_file = development
    first = build()
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = first.config["SECRET_KEY"]
    assert len(key) >= 32 and key != OLD_PUBLIC_KEY
    assert build().config["SECRET_KEY"] == key  # sessions survive a restart


def test_a_development_key_signs_tokens_the_next_run_accepts(development, db):
    build, _ = development
    user = make_user(verified=False)
    db.session.commit()
    first = build()
    with first.test_request_context():
        from ideation.auth.tokens import make_verify_token

        token = make_verify_token(user.id, user.email)
    assert build().test_client().get(f"/verifier/{token}").status_code == 200


def test_development_warns_when_reached_from_another_machine(development, db, caplog):
    build, _ = development
    app = build()
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        app.test_client().get("/sante", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert "DEVELOPMENT CONFIGURATION REACHABLE" in caplog.text


def test_development_on_loopback_does_not_warn(development, db, caplog):
    build, _ = development
    app = build()
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        app.test_client().get("/sante")
    assert "REACHABLE" not in caplog.text


def test_flask_run_on_all_interfaces_warns(development, caplog):
    import click

    build, _ = development

    @click.command("run")
    @click.option("--host")
    def run(host):
        build()

    with caplog.at_level(logging.WARNING):
        run.main(["--host", "0.0.0.0"], standalone_mode=False)
    assert "flask run --host 0.0.0.0" in caplog.text
