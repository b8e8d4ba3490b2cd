"""Real parts for the fault tests: each test starts its own and breaks it.

Each fixture starts a real process on a free loopback port (never the machine's shared
PostgreSQL or Redis): redis-server, a PostgreSQL cluster (initdb + pg_ctl in a temporary
directory), gunicorn with the production configuration, nginx, huey_consumer. The app
itself always runs in processes of its own, so the test process's app, limiter and queue
are never touched. A missing binary skips the test with its reason, and fails it under
CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench._serve import free_port, wait_for
from tests.conftest import need
from tests.faults.world import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")

pytestmark = pytest.mark.faults


def binary(name: str) -> str:
    """The path of a program the test needs (skip, or fail in CI, without it)."""
    found = shutil.which(name) or next(
        (str(p / name) for p in (PG_BIN, Path("/usr/sbin"), BIN) if (p / name).exists()), None
    )
    need(found is not None, f"{name} is not installed")
    return str(found)


def _wait_gone(port: int, timeout: float = 10) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(0.05)
        except OSError:
            return


class RedisServer:
    def __init__(self, directory: Path) -> None:
        self.exe = binary("redis-server")
        self.port = free_port()
        self.dir = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        # Keep data across a restart like a real server would (an RDB snapshot on stop).
        self.process = subprocess.Popen(
            [
                self.exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.dir),
                "--save",
                "3600 1",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.port, 10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        _wait_gone(self.port)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, owned by user postgres."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = binary("initdb"), binary("pg_ctl")
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            self.as_postgres = [binary("runuser"), "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            [*self.as_postgres, self.initdb, "-A", "trust", "-U", "postgres", "-D", str(self.data)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, self.pg_ctl, "-D", str(self.data), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=60"
        )
        self._ctl("-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres():
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


def build_world(url: str, voters: int = 4) -> dict:
    """Migrate and seed `url` in a separate process; the world's names and ids."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.faults.world", url, str(voters)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, QUEUE_IMMEDIATE="1"),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def production_env(url: str, base_port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("REDIS", "QUEUE", "PAGE_CACHE"))
    }
    env.update(
        FLASK_CONFIG="production",
        SECRET_KEY="pannes-" + "k" * 48,
        DATABASE_URL=url,
        BASE_URL=f"http://127.0.0.1:{base_port}",
        REQUIRE_SECOND_FACTOR="0",
        QUEUE_IMMEDIATE="0",
        QUEUE_URL="memory://",
        PYTHONPATH=str(ROOT),
        OUTAGE_RETRY_AFTER="5",
    )
    env.update(extra)
    return env


class AppServer:
    """`gunicorn` with the production configuration on a loopback port; its log kept."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None, workers: int = 1):
        self.port = port or free_port()
        self.env, self.log, self.workers = env, log, workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "-w",
            str(self.workers),
            "-b",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "2",
            "wsgi:app",
        ]
        self.out = open(self.log, "ab")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.out,
            stderr=self.out,
            start_new_session=True,
        )
        wait_for(self.port, 60)

    def kill(self) -> None:
        """SIGKILL the whole server (master and workers), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.out.close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def app_server(env: dict[str, str], log: Path, **options):
    server = AppServer(env, log, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


__all__ = [
    "PASSWORD",
    "AppServer",
    "PostgresCluster",
    "RedisServer",
    "app_server",
    "binary",
    "build_world",
    "production_env",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


class Browser:
    """A visitor's cookies, carried by hand (the production cookies are Secure)."""

    def __init__(self, base: str) -> None:
        from bench._serve import request

        self._request = request
        self.base = base
        self.cookies: dict[str, str] = {}

    def get(self, path: str):
        return self._request(self.base, "GET", path, self.cookies)

    def post(self, path: str, data: dict[str, str], form_from: str | None = None):
        """POST a form; its CSRF token is read from `form_from` (default: the same path)."""
        from urllib.parse import urlencode

        from bench._serve import csrf_token

        status, _headers, page = self.get(form_from or path)
        assert status == 200, (form_from or path, status)
        body = urlencode({"csrf_token": csrf_token(page), **data})
        return self._request(self.base, "POST", path, self.cookies, body, {"Origin": self.base})

    def log_in(self, email: str, password: str = PASSWORD):
        return self.post("/connexion", {"email": email, "password": password})


def ballot_form(candidates: list[int]) -> dict[str, str]:
    return {f"rang-{idea}": str(rank) for rank, idea in enumerate(candidates, start=1)}
