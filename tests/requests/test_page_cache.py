"""Anonymous pages: ETag and 304, no-store when logged in, the Redis page cache.

The cache tests run against Redis db 6 with a prefix of their own; they skip (fail
under CI=true) when no Redis answers.
"""

from __future__ import annotations

import logging
import uuid

import pytest

from ideation import create_app
from ideation.ideas.models import Idea
from tests.conftest import need
from tests.factories import DEFAULT_PASSWORD, make_challenge, make_idea, make_org, make_user
from tests.helpers import unchanged

REDIS_URL = "redis://127.0.0.1:6379/6"


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001  (any failure means: no Redis here)
        return False


@pytest.fixture
def cached(database_url, db):
    """The app with the shared page cache on, under a prefix of this test's own."""
    need(_redis_available(), f"Redis is not reachable at {REDIS_URL}")
    prefix = f"test-page-cache:{uuid.uuid4().hex}:"
    cached_app = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PAGE_CACHE_URL": REDIS_URL,
            "PAGE_CACHE_PREFIX": prefix,
        }
    )
    yield cached_app
    store = cached_app.extensions["fabrique_page_cache"].redis
    for name in store.scan_iter(f"{prefix}*"):
        store.delete(name)
    with cached_app.app_context():
        from ideation.extensions import db as _db

        _db.engine.dispose()


@pytest.fixture
def site(db):
    org = make_org("Bailleur Cache")
    challenge = make_challenge(org=org, slug="defi-cache")
    author = make_user("tenant", org=org, display_name="Autrice Cache")
    data = {
        "challenge": challenge,
        "published": make_idea(challenge, author, title="Idée déjà publique"),
        "pending": make_idea(challenge, author, status="submitted", title="Idée bientôt publique"),
        "facilitator": make_user("facilitator", org=org),
        "member": make_user("tenant", org=org, display_name="Membre Connectée"),
    }
    db.session.commit()
    return data


def _logged_in(flask_app, user):
    client = flask_app.test_client()
    response = client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def _public_urls(site) -> list[str]:
    return ["/", "/defis", "/defis/defi-cache", f"/idees/{site['published'].id}"]


# --- ETag and conditional GET, with or without Redis ---------------------------------------


def test_anonymous_pages_carry_an_etag_and_no_cookie(client, site):
    for url in _public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("ETag"), url
        assert response.headers["Cache-Control"] == "no-cache", url
        assert "Set-Cookie" not in response.headers, url
        assert 'name="csrf_token"' not in response.text, url


def test_with_csrf_on_visitors_pages_still_set_no_cookie(database_url, site):
    """Production renders CSRF tokens: a visitor's page must not build one (nor a cookie)."""
    from tests.factories import make_pilot

    pilot = make_pilot(site["challenge"].organisation, idea=site["published"])
    from ideation.extensions import db as _db

    _db.session.commit()
    production_like = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )
    client = production_like.test_client()
    for url in [*_public_urls(site), "/projets-pilotes", f"/projets-pilotes/{pilot.id}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert response.headers.get("ETag"), url


def test_a_matching_if_none_match_answers_304_without_a_body(client, site):
    first = client.get("/defis/defi-cache")
    again = client.get("/defis/defi-cache", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_a_stale_etag_gets_the_whole_page(client, site):
    response = client.get("/defis/defi-cache", headers={"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200
    assert "Idée déjà publique" in response.text


def test_logged_in_pages_are_no_store_without_etag(app, site):
    member = _logged_in(app, site["member"])
    for url in _public_urls(site):
        response = member.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers, url


def test_a_page_with_a_flash_message_gets_no_etag(client, site):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Un message pour ce seul visiteur")]
    response = client.get("/")
    assert "Un message pour ce seul visiteur" in response.text
    assert "ETag" not in response.headers


# --- the shared cache in Redis --------------------------------------------------------------


def test_the_second_anonymous_visit_is_served_from_the_cache(cached, site):
    first = cached.test_client().get("/defis/defi-cache")
    second = cached.test_client().get("/defis/defi-cache")
    assert first.headers["X-Page-Cache"] == "miss"
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert "Set-Cookie" not in second.headers
    assert second.headers["Content-Security-Policy"]  # security headers on hits too


def test_a_cache_hit_answers_304_to_a_matching_etag(cached, site):
    etag = cached.test_client().get("/").headers["ETag"]
    response = cached.test_client().get("/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["X-Page-Cache"] == "hit"


def test_publishing_an_idea_ages_the_cached_challenge_page(cached, site, db):
    visitor = cached.test_client()
    assert "Idée bientôt publique" not in visitor.get("/defis/defi-cache").text
    assert visitor.get("/defis/defi-cache").headers["X-Page-Cache"] == "hit"
    facilitator = _logged_in(cached, site["facilitator"])
    assert facilitator.post(f"/moderation/idees/{site['pending'].id}/publier").status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, site["pending"].id).status.value == "published"
    after = visitor.get("/defis/defi-cache")
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Idée bientôt publique" in after.text


def test_a_logged_in_member_never_gets_the_shared_page(cached, site):
    cached.test_client().get("/defis/defi-cache")
    assert cached.test_client().get("/defis/defi-cache").headers["X-Page-Cache"] == "hit"
    member = _logged_in(cached, site["member"])
    response = member.get("/defis/defi-cache")
    assert "X-Page-Cache" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert "Membre Connectée" in response.text


def test_a_flash_message_is_never_stored_for_other_visitors(cached, site):
    first = cached.test_client()
    with first.session_transaction() as session:
        session["_flashes"] = [("info", "Un message pour ce seul visiteur")]
    assert "Un message pour ce seul visiteur" in first.get("/").text
    other = cached.test_client().get("/")
    assert other.headers["X-Page-Cache"] == "miss"
    assert "Un message pour ce seul visiteur" not in other.text


def test_each_language_has_its_own_entry(cached, site):
    french = cached.test_client()
    french.get("/")
    english = cached.test_client()
    answer = english.post(
        "/langue", data={"lang": "en", "next": "/"}, headers={"Origin": "http://localhost"}
    )
    assert answer.status_code == 302
    english.get("/")  # Flask-Login marks a visitor's session not fresh once (a new cookie)
    response = english.get("/")
    assert response.headers["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in response.text
    assert '<html lang="fr">' in cached.test_client().get("/").text


def test_unreachable_redis_is_skipped_with_one_log_line(database_url, site, caplog, monkeypatch):
    # Alembic's fileConfig (the migrations run by the app fixture) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("ideation.core.cache"), "disabled", False)
    down = create_app(
        {
            "CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PAGE_CACHE_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    )
    client = down.test_client()
    with caplog.at_level(logging.WARNING, logger="ideation.core.cache"):
        pages = [client.get("/defis/defi-cache") for _ in range(3)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert all("Idée déjà publique" in page.text for page in pages)
    assert all("X-Page-Cache" not in page.headers for page in pages)
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1


# --- the visitors' language switch carries no token, so Origin is checked ---------------------


def test_a_visitor_language_switch_from_another_site_is_refused(client, site):
    with unchanged():
        response = client.post(
            "/langue", data={"lang": "en", "next": "/"}, headers={"Origin": "https://evil.test"}
        )
        assert response.status_code == 400
    assert '<html lang="fr">' in client.get("/").text


def test_a_visitor_language_switch_without_origin_is_refused(client, site):
    with unchanged():
        assert client.post("/langue", data={"lang": "en", "next": "/"}).status_code == 400
