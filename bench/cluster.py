"""Two app servers behind nginx, one PostgreSQL, one Redis: a vote journey and a ballot storm.

    python bench/cluster.py                  # 1,000 voters, 48 concurrent clients
    python bench/cluster.py --voters 200 --clients 16

Starts `gunicorn -w 2` twice (two ports, production configuration, SESSION_STORE=redis,
REDIS_URL for rate limits and the page cache, PROXY_HOPS=1) and nginx (Debian's, with a
config file of its own, `nginx -c FILE -p DIR`) in front on a loopback port. Then:

1. a vote journey through nginx: log in, vote, read the receipt; the stored ballot has
   that receipt;
2. a storm: every voter logs in, opens the ballot and casts it, from concurrent clients;
   when half of them are counted, a facilitator closes the vote in the middle of it.

Checks in the database afterwards (exit status 1 if one fails): as many ballots as
answers "recorded", each from a voter told "recorded", none from a voter told "closed";
the stored result counts exactly those ballots; no ballot recorded after the close
answered; no server error; both app servers served requests. Prints p50/p99 latencies.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._serve import (  # noqa: E402
    PASSWORD,
    ROOT,
    csrf_token,
    free_port,
    fresh_database,
    gunicorn,
    log_in,
    migrate,
    production_env,
    request,
    wait_for,
)

REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/6")

NGINX = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
user root;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream fabrique {{
        server 127.0.0.1:{app1};
        server 127.0.0.1:{app2};
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {root}/static/; }}
        location / {{
            proxy_pass http://fabrique;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def seed(url: str, voters: int) -> dict:
    from datetime import timedelta

    from ideation import create_app
    from ideation.db_types import utcnow
    from ideation.domain.roles import Role
    from ideation.extensions import db
    from tests.factories import make_challenge, make_idea, make_org, make_regional, make_user

    # The testing app hashes with cheap scrypt parameters: 1,000 logins stay affordable,
    # and the production app checks any parameters stored in the hash.
    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        org = make_org("Bailleur de la grappe")
        challenge = make_challenge(
            phase="voting", org=org, slug="grappe", voting_ends_at=utcnow() + timedelta(days=5)
        )
        author = make_user(org=org, password=PASSWORD)
        ideas = [make_idea(challenge, author, status="shortlisted") for _ in range(5)]
        emails = [
            make_user(Role.TENANT, org=org, email=f"votant{n}@grappe.test", password=PASSWORD).email
            for n in range(voters + 1)
        ]
        facilitator = make_user(Role.FACILITATOR, org=make_regional(), password=PASSWORD)
        db.session.commit()
        site = {
            "slug": challenge.slug,
            "challenge_id": challenge.id,
            "ideas": [i.id for i in ideas],
            "journey": emails[0],
            "voters": emails[1:],
            "facilitator": facilitator.email,
        }
        db.engine.dispose()
    return site


class Client:
    """One voter's browser: cookies carried by hand, each answer's upstream noted."""

    upstreams: dict[str, int] = {}
    lock = threading.Lock()

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, data: dict | None = None):
        body = urlencode(data) if data is not None else None
        headers = {"Origin": self.base} if body is not None else {}
        status, answer, page = request(self.base, method, path, self.cookies, body, headers)
        with Client.lock:
            upstream = answer.get("X-Upstream", "?")
            Client.upstreams[upstream] = Client.upstreams.get(upstream, 0) + 1
        return status, answer, page


def ballot(ideas: list[int], rng: random.Random) -> dict[str, str]:
    order = ideas[:]
    rng.shuffle(order)
    return {f"rang-{idea}": str(rank) for rank, idea in enumerate(order, start=1)}


def cast(base: str, slug: str, email: str, ideas: list[int], rng: random.Random) -> dict:
    client = Client(base)
    client.cookies = log_in(base, email)
    status, _h, page = client.call("GET", f"/defis/{slug}/vote")
    if status != 200:  # already closed: the page sends the voter to the results
        return {"email": email, "outcome": "closed-before", "status": status}
    data = {"csrf_token": csrf_token(page), **ballot(ideas, rng)}
    sent = time.monotonic()
    status, answer, _page = client.call("POST", f"/defis/{slug}/vote", data)
    done = time.monotonic()
    location = answer.get("Location", "")
    if status == 302 and location.endswith("/vote/merci"):
        outcome = "recorded"
    elif status == 302 and location.endswith("/resultats"):
        outcome = "closed"
    else:
        outcome = f"error {status}"
    return {"email": email, "outcome": outcome, "sent": sent, "done": done, "status": status}


def journey(base: str, site: dict, url: str) -> str:
    """Log in, vote, read the receipt: the stored ballot carries the same one."""
    import sqlalchemy as sa

    client = Client(base)
    client.cookies = log_in(base, site["journey"])
    status, _h, page = client.call("GET", f"/defis/{site['slug']}/vote")
    assert status == 200, status
    data = {"csrf_token": csrf_token(page), **ballot(site["ideas"], random.Random(1))}
    status, answer, _p = client.call("POST", f"/defis/{site['slug']}/vote", data)
    assert status == 302 and answer["Location"].endswith("/vote/merci"), (status, answer)
    status, _h, page = client.call("GET", f"/defis/{site['slug']}/vote/merci")
    assert status == 200, status
    shown = re.search(r"data-receipt>([^<]+)<", page).group(1).strip()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text(
                "select b.receipt from ballots b join users u on u.id = b.voter_id"
                " where u.email = :e"
            ),
            {"e": site["journey"]},
        ).scalar_one()
    engine.dispose()
    assert stored == shown, (stored, shown)
    return shown


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=48)
    args = parser.parse_args()
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        print("nginx is not installed (apt-get install -y nginx)")
        return 2

    url = fresh_database("bench_cluster")
    migrate(url)
    site = seed(url, args.voters)
    port, app1, app2 = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    prefix = f"bench-cluster:{uuid.uuid4().hex}:"
    shared = {
        "REDIS_URL": REDIS,
        "SESSION_STORE": "redis",
        "SESSION_REDIS_PREFIX": prefix + "session:",
        "PAGE_CACHE_PREFIX": prefix + "cache:",
        "PROXY_HOPS": "1",
        "PYTHONPATH": str(ROOT),
    }
    work = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    conf = work / "nginx.conf"
    conf.write_text(NGINX.format(dir=work, app1=app1, app2=app2, port=port, root=ROOT))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    with ExitStack() as stack:
        for app_port in (app1, app2):
            stack.enter_context(gunicorn("wsgi:app", app_port, production_env(url, port, **shared)))
        subprocess.run([nginx, "-c", str(conf), "-p", str(work)], check=True)
        stack.callback(
            lambda: subprocess.run([nginx, "-c", str(conf), "-p", str(work), "-s", "stop"])
        )
        wait_for(port)

        receipt = journey(base, site, url)
        print(f"journey: logged in, voted, receipt {receipt} shown and stored")

        facilitator = Client(base)
        facilitator.cookies = log_in(base, site["facilitator"])
        _s, _h, page = facilitator.call("GET", f"/defis/{site['slug']}")
        close_token = csrf_token(page)

        jobs: queue.Queue[str] = queue.Queue()
        for email in site["voters"]:
            jobs.put(email)
        results: list[dict] = []
        recorded = threading.Semaphore(0)
        results_lock = threading.Lock()

        def worker(seed_value: int) -> None:
            rng = random.Random(seed_value)
            while True:
                try:
                    email = jobs.get_nowait()
                except queue.Empty:
                    return
                try:
                    outcome = cast(base, site["slug"], email, site["ideas"], rng)
                except Exception as error:  # noqa: BLE001  (counted as a failure below)
                    outcome = {"email": email, "outcome": f"exception {error!r}"}
                with results_lock:
                    results.append(outcome)
                if outcome["outcome"] == "recorded":
                    recorded.release()

        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for _ in range(args.voters // 2):  # half of them counted: close now
            recorded.acquire()
        close_sent = time.monotonic()
        status, answer, _p = facilitator.call(
            "POST",
            f"/defis/{site['slug']}/vote/cloturer",
            # The close asks for a confirmation page's answer (ideation/core/confirm.py).
            {"csrf_token": close_token, "confirm": "1"},
        )
        close_done = time.monotonic()
        assert status == 302 and answer["Location"].endswith("/resultats"), (status, answer)
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        upstreams = dict(Client.upstreams)

    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = set(
            conn.execute(
                sa.text(
                    "select u.email from ballots b join users u on u.id = b.voter_id"
                    " where b.challenge_id = :c"
                ),
                {"c": site["challenge_id"]},
            ).scalars()
        )
        ballot_rows = conn.execute(
            sa.text("select count(*) from ballots where challenge_id = :c"),
            {"c": site["challenge_id"]},
        ).scalar_one()
        counted = conn.execute(
            sa.text("select ballots_count from vote_results where challenge_id = :c"),
            {"c": site["challenge_id"]},
        ).scalar_one()
    engine.dispose()

    told_recorded = {r["email"] for r in results if r["outcome"] == "recorded"}
    told_closed = {r["email"] for r in results if r["outcome"] in ("closed", "closed-before")}
    failures = [r for r in results if r["outcome"] not in ("recorded", "closed", "closed-before")]
    late = [r for r in results if r["outcome"] == "recorded" and r["sent"] > close_done]
    latencies = [r["done"] - r["sent"] for r in results if "done" in r]
    expected = told_recorded | {site["journey"]}
    checks = {
        "every voter answered (no error, no exception)": not failures
        and len(results) == args.voters,
        "ballots stored == answers 'recorded' (+ the journey's)": ballot_rows == len(expected),
        "the stored ballots are exactly those voters' (nothing lost, nothing doubled)": stored
        == expected,
        "no ballot from a voter told 'closed'": not (stored & told_closed),
        "the result counts every stored ballot": counted == ballot_rows,
        "nothing recorded after the close answered": not late,
        "both app servers served requests": len([u for u in upstreams if u != "?"]) >= 2,
    }
    print(
        f"storm: {args.voters} voters, {args.clients} concurrent clients, {elapsed:.1f} s; "
        f"{len(told_recorded)} recorded before the close, {len(told_closed)} told closed, "
        f"close answered in {close_done - close_sent:.2f} s"
    )
    print(f"requests per app server: {upstreams}")
    if latencies:
        print(
            f"ballot POST latency: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 99) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms "
            f"(mean {statistics.mean(latencies) * 1000:.0f} ms, {len(latencies)} ballots posted)"
        )
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    for failure in failures[:5]:
        print("  failure:", failure)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
