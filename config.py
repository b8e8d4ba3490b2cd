"""Configuration classes, read from environment variables.

Development needs nothing installed (SQLite, in-memory rate limits, e-mails printed
to the console); production refuses to start without SECRET_KEY and DATABASE_URL.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _int(name: str, default: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else default


def _list(name: str) -> list[str] | None:
    """A comma-separated list, or None when the variable is unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def queue_url() -> str:
    """Where the task queue lives: QUEUE_URL, else REDIS_URL when Redis is configured
    (several servers share it), else a SQLite file under instance/ (nothing to install)."""
    return (
        os.environ.get("QUEUE_URL")
        or os.environ.get("REDIS_URL")
        or f"sqlite:///{BASE_DIR / 'instance' / 'queue.db'}"
    )


class Config:
    # Unset in development: the app then generates a random key into instance/secret_key
    # on first run (ideation/app.py), so no token is signed with a key anyone can read.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SECRET_KEY_FILE: str | None = None  # default: <instance>/secret_key
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'fabrique.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SITE_NAME = os.environ.get("SITE_NAME", "Fabrique de la proximité")
    # Who publishes the site, for the legal notice and the accessibility statement
    # (their shipped text; administrators can rewrite the pages on screen).
    PUBLISHER_NAME = os.environ.get(
        "PUBLISHER_NAME", "L'association régionale des bailleurs sociaux"
    )
    PUBLISHER_ADDRESS = os.environ.get("PUBLISHER_ADDRESS", "")
    HOSTING_PROVIDER = os.environ.get("HOSTING_PROVIDER", "")
    CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@fabrique.test")
    ACCESSIBILITY_STATEMENT_DATE = os.environ.get("ACCESSIBILITY_STATEMENT_DATE", "2026-12-02")
    # Every absolute link that leaves the site (e-mails) is built on it, never on the Host.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # Hosts the site answers for (Flask's TRUSTED_HOSTS; others get 400). None: any host.
    TRUSTED_HOSTS: list[str] | None = _list("TRUSTED_HOSTS")
    # Production fills TRUSTED_HOSTS with BASE_URL's host name when the variable is unset.
    TRUSTED_HOSTS_FROM_BASE_URL = False
    # Reverse proxies in front of the app whose X-Forwarded-For / X-Forwarded-Proto are
    # believed (werkzeug ProxyFix); 0 ignores the headers, as without a proxy.
    PROXY_X_FOR = _int("PROXY_X_FOR", _int("PROXY_HOPS"))
    PROXY_X_PROTO = _int("PROXY_X_PROTO", _int("PROXY_HOPS"))

    # Server-side session records (logout ends that device's session): "database" or "redis".
    SESSION_STORE = os.environ.get("SESSION_STORE", "database")
    SESSION_REDIS_URL = os.environ.get("SESSION_REDIS_URL") or os.environ.get("REDIS_URL")
    SESSION_REDIS_PREFIX = "fabrique:session:"
    # A device's record outlives neither this nor a logout (the remember-me cookie's span).
    SESSION_RECORD_LIFETIME = 30 * 24 * 3600

    # Anonymous public pages shared by every worker and server (ideation/core/cache.py);
    # off unless a Redis URL is given. Entries live PAGE_CACHE_TTL seconds at most.
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL") or os.environ.get("REDIS_URL")
    PAGE_CACHE_PREFIX = os.environ.get("PAGE_CACHE_PREFIX", "fabrique:cache:")
    PAGE_CACHE_TTL = _int("PAGE_CACHE_TTL", 60)

    # Open self-registration (as a tenant of a chosen organisation); invitations otherwise.
    ALLOW_SELF_REGISTRATION = _bool("ALLOW_SELF_REGISTRATION", False)

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")

    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Photos (ideation/photos, ideation/core/images.py): the largest file taken, and the
    # largest body of a form that carries one (the photo plus its text).
    PHOTO_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_MAX_BODY = PHOTO_MAX_BYTES + 512 * 1024
    # Where photos are kept (ideation/core/storage.py): unset, a folder under instance/;
    # file:///path, a folder shared by several servers; s3://bucket/prefix, an
    # S3-compatible store (S3_ENDPOINT_URL, S3_REGION, and boto3's AWS_* credentials).
    PHOTO_STORAGE_URL = os.environ.get("PHOTO_STORAGE_URL") or None
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    S3_REGION = os.environ.get("S3_REGION") or None
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # tenants may take their time typing an idea

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # Redis away: every limit keeps counting, in this process's memory (each worker counts
    # on its own, so a client gets at most workers × the limit), with one log line; back on
    # Redis once it answers again (Flask-Limiter checks it with a growing delay).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A Redis that hangs must not hang the page: give up after half a second.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per 5 minutes")
    RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10 per 15 minutes")
    # Registrations count accepted sign-ups (not form errors) per client address and per
    # invitation code, with ceilings a flyer campaign in one residence or a workshop on one
    # Wi-Fi never reaches (tests/requests/test_registration_limits.py: 60 in an hour from
    # one address with one code pass, 500 are stopped). Attempts of any kind have a wider
    # ceiling per address, so a script cannot post forms without end.
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "100 per hour")
    RATELIMIT_REGISTER_CODE = os.environ.get("RATELIMIT_REGISTER_CODE", "250 per hour")
    RATELIMIT_REGISTER_ATTEMPTS = os.environ.get("RATELIMIT_REGISTER_ATTEMPTS", "300 per hour")
    RATELIMIT_RESET = os.environ.get("RATELIMIT_RESET", "5 per hour")
    # The participation card's code (ideation/assisted): 10 tries per address and window.
    RATELIMIT_CLAIM = os.environ.get("RATELIMIT_CLAIM", "10 per 15 minutes")
    # Verified households (issue 13): accounts one dwelling's letter codes may create.
    DWELLING_MAX_ACCOUNTS = int(os.environ.get("DWELLING_MAX_ACCOUNTS", "2"))

    # Staff, facilitators, landlord managers and admins must set up app codes (TOTP).
    # On in production; off by default in development so the demo accounts log in at once.
    REQUIRE_SECOND_FACTOR = _bool("REQUIRE_SECOND_FACTOR", False)
    RATELIMIT_SECOND_FACTOR = os.environ.get("RATELIMIT_SECOND_FACTOR", "5 per 5 minutes")

    # werkzeug's scrypt defaults (N=32768, r=8, p=1): ~0.2 s per check on purpose.
    PASSWORD_HASH_METHOD = "scrypt"

    VERIFY_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Fabrique <ne-pas-repondre@fabrique.test>"
    )
    MAIL_CONSOLE = _bool("MAIL_CONSOLE", False)
    # Seconds a relay may take to answer before the attempt counts as failed (backoff).
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))
    # Seconds after which a sender's claim on e-mails is presumed dead and taken over;
    # far longer than sending one batch.
    MAIL_CLAIM_TIMEOUT = int(os.environ.get("MAIL_CLAIM_TIMEOUT", "600"))

    # The task queue (ideation/core/queue.py). Immediate: jobs run inline, no worker.
    QUEUE_URL = queue_url()
    QUEUE_IMMEDIATE = _bool("QUEUE_IMMEDIATE", False)

    HSTS = False

    # Logs: "text" (readable, development) or "json" (one JSON object a line with the
    # request id, user id and route; production). ideation/core/logs.py.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    # Readiness (/sante/pret) fails when more jobs than this wait in the queue.
    HEALTH_QUEUE_BACKLOG_MAX = _int("HEALTH_QUEUE_BACKLOG_MAX", 1000)
    # Seconds the "temporarily unavailable" page asks the browser to wait (Retry-After).
    OUTAGE_RETRY_AFTER = _int("OUTAGE_RETRY_AFTER", 30)
    # Where uploaded files live (backed up with the database, see docs/operations.md).
    UPLOADS_DIR = os.environ.get("UPLOADS_DIR")

    # Moderation: reports that hide an item pending review; per-user hourly writing limits.
    REPORT_THRESHOLD = int(os.environ.get("REPORT_THRESHOLD", "3"))
    RATELIMIT_IDEAS = os.environ.get("RATELIMIT_IDEAS", "10 per hour")
    RATELIMIT_COMMENTS = os.environ.get("RATELIMIT_COMMENTS", "30 per hour")
    RATELIMIT_REPORTS = os.environ.get("RATELIMIT_REPORTS", "20 per hour")

    @classmethod
    def validate(cls) -> None:
        """Refuse a configuration that would be unsafe to run."""


class DevelopmentConfig(Config):
    DEBUG = True
    GENERATE_SECRET_KEY = True  # without SECRET_KEY: a random one kept in instance/secret_key
    MAIL_CONSOLE = _bool("MAIL_CONSOLE", True)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Request tests post forms directly; tests/requests/test_security.py turns CSRF back on
    # and proves every POST route refuses a missing token. Browser tests run with CSRF on.
    WTF_CSRF_ENABLED = False
    # Writing limits high enough for every test; tests/requests/test_moderation_limits.py lowers them.
    RATELIMIT_IDEAS = "1000 per minute"
    RATELIMIT_COMMENTS = "1000 per minute"
    RATELIMIT_REPORTS = "1000 per minute"
    # Generous limits so ordinary tests never meet them; the rate-limit tests lower them.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_LOGIN = "1000 per minute"
    RATELIMIT_LOGIN_ACCOUNT = "1000 per minute"
    RATELIMIT_REGISTER = "1000 per minute"
    RATELIMIT_REGISTER_CODE = "1000 per minute"
    RATELIMIT_REGISTER_ATTEMPTS = "1000 per minute"
    RATELIMIT_RESET = "1000 per minute"
    RATELIMIT_CLAIM = "1000 per minute"
    RATELIMIT_SECOND_FACTOR = "1000 per minute"
    # Still scrypt with a 143-bit salt, with a cheaper work factor: tests log in hundreds of times.
    PASSWORD_HASH_METHOD = "scrypt:2048:8:1"
    MAIL_CONSOLE = False
    # Jobs run inline in tests; a test that wants a real consumer says so.
    QUEUE_IMMEDIATE = _bool("QUEUE_IMMEDIATE", True)
    PAGE_CACHE_URL = None  # tests/requests/test_page_cache.py turns it on
    # Photos of the tests' process in a temporary folder, never under instance/; tests
    # that count files give each test its own store (tests/photo_files.py photo_store).
    PHOTO_STORAGE_URL = os.environ.get("PHOTO_STORAGE_URL") or (
        f"file://{tempfile.gettempdir()}/fabrique-test-photos-{os.getpid()}"
    )


class ProductionConfig(Config):
    TRUSTED_HOSTS_FROM_BASE_URL = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_NAME = "__Host-remember"
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    REQUIRE_SECOND_FACTOR = _bool("REQUIRE_SECOND_FACTOR", True)

    @classmethod
    def validate(cls) -> None:
        missing = [
            name for name in ("SECRET_KEY", "DATABASE_URL", "BASE_URL") if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError(
                "Production configuration refuses to start without: " + ", ".join(missing)
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
