"""An app server SIGKILLed in the middle of a ballot storm, behind nginx with another one:
whatever nginx or the voter sends again, no ballot is lost and none is doubled.

nginx is set to pass even a POST to the other server when the first fails
(`proxy_next_upstream error timeout non_idempotent`), the harshest case: a ballot may then
reach the database twice, and the write is idempotent per voter (one row per voter and
vote, replaced, never added), so it is stored once.
"""

from __future__ import annotations

import http.client
import random
import shutil
import subprocess
import threading
import time
from urllib.parse import urlencode

import sqlalchemy as sa

from bench._serve import csrf_token, free_port, request, wait_for
from tests.faults.conftest import (
    AppServer,
    Browser,
    binary,
    build_world,
    production_env,
)

NGINX = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream fabrique {{
        # Never mark a server down: a slow answer on a loaded test machine is not a death.
        server 127.0.0.1:{app1} max_fails=0;
        server 127.0.0.1:{app2} max_fails=0;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://fabrique;
            proxy_next_upstream error timeout non_idempotent;
            proxy_connect_timeout 5s;
            proxy_read_timeout 120s;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-Id $request_id;
        }}
    }}
}}
"""

VOTERS = 24


def test_server_killed_during_a_storm_loses_and_doubles_nothing(postgres, tmp_path):
    nginx = binary("nginx")
    url = postgres.create_database("storm")
    world = build_world(url, voters=VOTERS)
    port = free_port()
    env = production_env(
        url,
        port,
        PROXY_HOPS="1",
        RATELIMIT_LOGIN="100000 per minute",
        RATELIMIT_LOGIN_ACCOUNT="100000 per minute",
    )
    servers = [AppServer(env, tmp_path / f"app{n}.log", workers=2) for n in (1, 2)]
    conf = tmp_path / "nginx.conf"
    user = "user root;" if shutil.os.geteuid() == 0 else ""
    conf.write_text(
        NGINX.format(dir=tmp_path, app1=servers[0].port, app2=servers[1].port, port=port, user=user)
    )
    for server in servers:
        server.start()
    subprocess.run([nginx, "-c", str(conf), "-p", str(tmp_path)], check=True)
    base = f"http://127.0.0.1:{port}"
    outcomes: dict[str, list[int]] = {}
    lock = threading.Lock()
    half = threading.Semaphore(0)
    try:
        wait_for(port)
        vote_path = f"/defis/{world['vote_slug']}/vote"

        def voter(email: str, seed: int) -> None:
            browser = Browser(base)
            give_up = time.monotonic() + 150
            while time.monotonic() < give_up:  # the voter tries again after an error page
                try:
                    if browser.log_in(email)[0] == 302:
                        break
                except (OSError, http.client.HTTPException, AssertionError):
                    pass
                time.sleep(0.5)
            order = world["candidates"][:]
            random.Random(seed).shuffle(order)
            answers = []
            while time.monotonic() < give_up:
                try:
                    status, _h, page = browser.get(vote_path)
                    if status != 200:
                        answers.append(status)
                        time.sleep(0.5)
                        continue
                    body = urlencode(
                        {
                            "csrf_token": csrf_token(page),
                            **{f"rang-{i}": str(r) for r, i in enumerate(order, 1)},
                        }
                    )
                    status, headers, _p = request(
                        base, "POST", vote_path, browser.cookies, body, {"Origin": base}
                    )
                except (OSError, http.client.HTTPException):  # cut off: no answer at all
                    status, headers = 0, {}
                answers.append(status)
                if status == 302 and headers.get("Location", "").endswith("/vote/merci"):
                    half.release()
                    break
                time.sleep(0.5)
            with lock:
                outcomes[email] = answers

        threads = [
            threading.Thread(target=voter, args=(email, n))
            for n, email in enumerate(world["tenants"])
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 90
        for _ in range(VOTERS // 3):  # a third of them counted (or 90 s passed): kill now
            half.acquire(timeout=max(deadline - time.monotonic(), 0.1))
        servers[0].kill()  # in the middle of the storm, without warning
        for thread in threads:
            thread.join(180)
    finally:
        subprocess.run([nginx, "-c", str(conf), "-p", str(tmp_path), "-s", "stop"], check=False)
        for server in servers:
            server.stop()

    recorded = {email for email, answers in outcomes.items() if answers and answers[-1] == 302}
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = list(
            conn.execute(
                sa.text(
                    "select u.email from ballots b join users u on u.id = b.voter_id"
                    " where b.challenge_id = :c"
                ),
                {"c": world["vote_id"]},
            ).scalars()
        )
    engine.dispose()
    assert recorded == set(world["tenants"]), outcomes  # every voter got there in the end
    assert sorted(stored) == sorted(world["tenants"])  # each ballot once, none lost
    assert "Traceback" not in (tmp_path / "app2.log").read_text()
