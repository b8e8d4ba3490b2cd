"""Shared helpers of the HTTP benchmarks: a throwaway database, gunicorn, wrk, logging in.

Used by bench/throughput.py and bench/cluster.py; run from the repository root.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "banc-d-essai-mot-de-passe"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(name: str) -> str:
    """Drop and create a PostgreSQL database; its URL."""
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)


def migrate(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from ideation import create_app

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()


def production_env(url: str, port: int, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_CONFIG="production",
        SECRET_KEY="banc-d-essai-" + "k" * 40,
        DATABASE_URL=url,
        BASE_URL=f"http://127.0.0.1:{port}",
        REQUIRE_SECOND_FACTOR="0",
        RATELIMIT_LOGIN="100000 per minute",
        RATELIMIT_LOGIN_ACCOUNT="100000 per minute",
    )
    env.update(extra)
    return env


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str], cwd: Path = ROOT, workers: int = 2):
    """`gunicorn -w 2` on a loopback port, as in production (sync workers)."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        app,
    ]
    process = subprocess.Popen(command, cwd=cwd, env=env)
    try:
        wait_for(port)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def wrk(
    url: str,
    seconds: int,
    headers: list[str] | None = None,
    threads: int = 2,
    connections: int = 32,
    script: str | None = None,
) -> tuple[float, str]:
    """Requests per second (and wrk's whole output)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers or []:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not match:
        raise RuntimeError(out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error answers\n{out}")
    return float(match.group(1)), out


def request(
    base: str,
    method: str,
    path: str,
    cookies: dict[str, str] | None = None,
    body: str | None = None,
    headers: dict[str, str] | None = None,
):
    """One HTTP request by hand (the production cookies are Secure: we carry them ourselves)."""
    parts = urlsplit(base)
    # Long enough for a worker that boots under a heavy load (over 60 s at load average 25).
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=240)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    if cookies is not None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
    conn.close()
    return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    if not match:
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def log_in(base: str, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in through the form; the session cookies."""
    from urllib.parse import urlencode

    cookies: dict[str, str] = {}
    _, _, page = request(base, "GET", "/connexion", cookies)
    body = urlencode({"csrf_token": csrf_token(page), "email": email, "password": password})
    status, headers, _ = request(base, "POST", "/connexion", cookies, body, {"Origin": base})
    if status != 302:
        raise RuntimeError(f"login of {email} answered {status}")
    return cookies
