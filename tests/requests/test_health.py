"""Liveness, readiness, the outage page and `flask doctor`, with the test app (the real
parts are stopped and started in tests/faults/)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from ideation.main import views as main_views

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_readiness_is_ok_with_the_database_and_an_inline_queue(client):
    answer = client.get("/sante/pret")
    assert answer.status_code == 200
    assert answer.json["status"] == "ok"
    assert answer.json["checks"]["database"]["state"] == "ok"


def test_readiness_is_degraded_not_down_when_the_page_cache_redis_is_away(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_URL", NOWHERE)
    answer = client.get("/sante/pret")
    assert answer.status_code == 200 and answer.json["status"] == "degraded"
    assert answer.json["checks"]["redis_page_cache"]["state"] == "degraded"
    assert "127.0.0.1" not in answer.get_data(as_text=True)  # no address handed out


def test_readiness_is_down_when_the_sessions_redis_is_away(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_STORE", "redis")
    monkeypatch.setitem(app.config, "SESSION_REDIS_URL", NOWHERE)
    answer = client.get("/sante/pret")
    assert answer.status_code == 503 and answer.json["status"] == "down"


def test_a_database_outage_shows_the_short_french_page_with_retry_after(client, monkeypatch):
    def refused(*_args, **_kwargs):
        raise OperationalError("select", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(main_views, "current_challenges", refused)
    answer = client.get("/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert "Service momentanément indisponible" in page
    assert "n'a pas été enregistré" in page
    assert "OperationalError" not in page and "connection refused" not in page
    assert client.get("/sante").status_code == 200


def test_doctor_names_each_problem_in_plain_words(app, runner, monkeypatch, tmp_path):
    blocked = tmp_path / "un-fichier"
    blocked.write_text("")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)
    monkeypatch.setitem(app.config, "UPLOADS_DIR", str(blocked / "photos"))
    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", NOWHERE)
    result = runner.invoke(args=["doctor"])
    out = result.output
    assert result.exit_code == 1
    assert "ERREUR     mode : Ce n'est pas la configuration de production" in out
    assert "SECRET_KEY n'est pas définie" in out
    assert "TRUSTED_HOSTS est vide" in out
    assert "PROXY_HOPS=0" in out
    assert "ok         base de données : joignable, migrations à jour" in out
    assert "rate_limits : redis://127.0.0.1:1/0 ne répond pas" in out
    assert "le relais 127.0.0.1:1 ne répond pas" in out
    assert "n'est pas inscriptible" in out
    assert "erreur(s) à corriger" in out
