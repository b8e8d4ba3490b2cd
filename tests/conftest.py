"""Shared fixtures: app, db (isolated per test), client, runner, login helper, live server.

The schema is built once per session by running the Alembic migrations (so the tests
prove the migrations match the models), then every test starts from empty tables. On
SQLite the migrated file is kept in the temporary folder, keyed by the migrations' own
text, and later sessions start from a copy (`make mutation` starts one session per
mutant: migrating took 2.5 s of each).
SQLite by default; PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

# Jobs run inline in tests (set before the queue is built at import); a test that wants
# a real consumer starts one (tests/requests/test_queue.py).
os.environ.setdefault("QUEUE_IMMEDIATE", "1")

import ideation.app  # noqa: E402, F401  (see below)
from ideation import create_app  # noqa: E402

# `import ideation.app` loads every area's modules here rather than at the first
# create_app(): `make mutation` runs each mutant in a process forked after this file was
# imported, so those 1.5 s are paid once, not once per mutant.
from ideation.extensions import db as _db  # noqa: E402
from ideation.extensions import limiter  # noqa: E402
from tests.smtp_sink import smtp_sink  # noqa: E402, F401  (fixture)

# Longest tests first (tests/schedule.py).
pytest_plugins = ["tests.schedule"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ROOT = Path(__file__).resolve().parents[1]


def need(condition: bool, reason: str) -> None:
    """Skip with a reason on a laptop; fail in CI, where everything must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        # Parallel workers (pytest -n): one PostgreSQL database each, created on demand.
        base = sa.engine.make_url(url)
        name = f"{base.database}_{worker}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("select 1 from pg_database where datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    return url


@sa.event.listens_for(sa.engine.Engine, "connect")
def _no_durability_in_tests(dbapi_connection, connection_record):  # noqa: ANN001
    """Tests need no crash safety: skipping fsync makes the per-test cleanup cheap."""
    module = type(dbapi_connection).__module__
    cursor = dbapi_connection.cursor()
    if module.startswith("sqlite3"):
        cursor.execute("PRAGMA synchronous=OFF")
    elif module.startswith("psycopg"):
        cursor.execute("SET synchronous_commit TO off")
        dbapi_connection.commit()
    cursor.close()


def _reset_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    _reset_schema(url)
    return url


def _schema_template() -> Path:
    """Where a migrated SQLite file of these exact migrations is kept between sessions."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return Path(tempfile.gettempdir()) / f"fabrique-test-schema-{digest.hexdigest()[:16]}.db"


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _migrate(app, database_url: str) -> None:  # noqa: ANN001
    from flask_migrate import upgrade

    url = sa.engine.make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        with app.app_context():
            upgrade()
        return
    template, database = _schema_template(), Path(url.database)
    if template.exists():
        _sqlite_copy(template, database)
        return
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    # Written aside then renamed: a parallel session never copies half a file.
    partial = template.with_suffix(f".{os.getpid()}.part")
    _sqlite_copy(database, partial)
    os.replace(partial, template)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "SERVER_NAME": None}
    )
    _migrate(app, database_url)
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    extra = getattr(_db, "_extra_tables_to_clear", [])
    if _db.engine.dialect.name == "postgresql":
        _db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in [*extra, *tables]:
            _db.session.execute(sa.text(f"DELETE FROM {name}"))
    _db.session.commit()


@pytest.fixture(scope="session")
def data_app(app, database_url):
    """A twin of `app` whose context the tests run in.

    Flask reuses an already-pushed app context of the same app for requests, which
    would share `g` (and Flask-Login's cached user) and the SQLAlchemy session between
    the test and every request. With a twin, each request gets its own context and
    session, as in production: what a test wants a request to see must be committed.
    """
    return create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture
def db(data_app):
    """The database, empty at the start of each test, inside an app context."""
    with data_app.app_context():
        _empty_tables()
        limiter.reset()
        yield _db
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user (CSRF is off for request tests)."""
    from tests.factories import DEFAULT_PASSWORD

    def _login(user, password: str = DEFAULT_PASSWORD):
        _db.session.commit()  # the request runs in its own session: it must see the user
        response = client.post("/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text[:500]
        return user

    return _login


@pytest.fixture
def as_role(db, login):
    """as_role("tenant") creates a user of that role and logs the client in."""
    from tests.factories import make_user

    def _as(role: str, **kwargs):
        user = make_user(role=role, **kwargs)
        _db.session.commit()
        return login(user)

    return _as


# --- browser tests ------------------------------------------------------------------

CHROMIUM_PATHS = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"]


def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def live_app(database_url, app):
    """A second app on the same database, as in production: CSRF on."""
    return create_app(
        {"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True}
    )


@pytest.fixture(scope="session")
def live_server(live_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield live_app.config["BASE_URL"]
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    need(path is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "playwright is not installed (make test installs it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=["phone", "desktop"])
def viewport(request):
    return PHONE if request.param == "phone" else DESKTOP


@pytest.fixture
def page(browser, live_server, db, viewport):
    """A fresh browser context on the live server; any JavaScript dialog fails the test."""
    # bypass_csp lets axe-core be injected; tests/browser/test_csp.py checks the CSP itself.
    context = browser.new_context(
        base_url=live_server, viewport=viewport, bypass_csp=True, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert not dialogs, f"a JavaScript dialog opened: {dialogs}"


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if (
            statement.lstrip()
            .upper()
            .startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"))
        ):
            return
        self.count += 1
        self.statements.append(statement)


@pytest.fixture
def count_queries():
    """`with count_queries() as c: client.get(...)` then `c.count` SQL statements were run."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter = _QueryCounter()
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", counter)

    return _count


@pytest.fixture
def photo_store(app, data_app, tmp_path):
    """A fresh directory store for this test, seen by the requests and by the test."""
    from ideation.core.storage import DirectoryStorage

    store = DirectoryStorage(str(tmp_path / "photos"))
    saved = [(a, a.extensions.get("fabrique.storage")) for a in (app, data_app)]
    for a, _ in saved:
        a.extensions["fabrique.storage"] = store
    yield store
    for a, previous in saved:
        if previous is None:
            a.extensions.pop("fabrique.storage", None)
        else:
            a.extensions["fabrique.storage"] = previous
