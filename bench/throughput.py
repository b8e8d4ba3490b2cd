"""Pages per second of the project against a bare Flask hello-world, same gunicorn, with wrk.

    python bench/throughput.py                       # this checkout, page cache on (Redis)
    python bench/throughput.py --no-cache            # this checkout, no Redis page cache
    python bench/throughput.py --ref main            # another commit (git archive), e.g. "before"
    python bench/throughput.py --rounds 5 --seconds 8

It seeds a throwaway PostgreSQL database (bench_throughput: one landlord, a challenge
with 1,000 published ideas, a tenant), starts `gunicorn -w 2` in the production
configuration, and a bare hello-world under the same settings, then runs wrk
(-t2 -c32) in alternation: hello-world, then each page, per round. The ratio of a
round is the page's rate over the hello-world rate measured in that round; the table
shows the median and the spread (min–max) of the rounds. The machine's two cores are
shared with wrk itself, so only the ratios mean something.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._serve import (  # noqa: E402
    PASSWORD,
    ROOT,
    free_port,
    fresh_database,
    gunicorn,
    log_in,
    migrate,
    production_env,
    request,
    wrk,
)

HELLO = """
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
"""

REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/6")


def seed(url: str, ideas: int) -> dict[str, object]:
    """A challenge with `ideas` published ideas and a tenant who can log in."""
    from ideation import create_app
    from ideation.extensions import db
    from tests.factories import make_challenge, make_idea, make_org, make_support, make_user

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        org = make_org("Bailleur du banc d'essai")
        challenge = make_challenge(org=org, slug="banc-d-essai", title="Défi du banc d'essai")
        authors = [make_user("tenant", org=org, password=PASSWORD) for _ in range(20)]
        made = [make_idea(challenge, authors[n % 20]) for n in range(ideas)]
        for idea in made[:50]:
            for author in authors[:3]:
                make_support(idea, author)
        member = make_user("tenant", org=org, email="membre@banc.test", password=PASSWORD)
        db.session.commit()
        result = {"slug": challenge.slug, "idea": made[0].id, "email": member.email}
        db.engine.dispose()
    return result


def checkout(ref: str) -> Path:
    """The tree of another commit, with its translations compiled."""
    target = Path(tempfile.mkdtemp(prefix="bench-ref-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "compile", "-d", "ideation/translations"],
        cwd=target,
        capture_output=True,
        check=True,
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", help="measure this git ref instead of the working tree")
    parser.add_argument("--no-cache", action="store_true", help="no Redis page cache")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--keep-data", action="store_true", help="reuse the last run's database")
    parser.add_argument("--db", default="bench_throughput", help="the PostgreSQL database seeded")
    args = parser.parse_args()

    memo = Path(tempfile.gettempdir()) / f"{args.db}.json"
    if args.keep_data and memo.exists():
        url, site = json.loads(memo.read_text())
    else:
        url = fresh_database(args.db)
        migrate(url)
        site = seed(url, args.ideas)
        memo.write_text(json.dumps([url, site]))
    tree = checkout(args.ref) if args.ref else ROOT
    hello_dir = Path(tempfile.mkdtemp(prefix="bench-hello-"))
    (hello_dir / "hello.py").write_text(HELLO)

    port, hello_port = free_port(), free_port()
    extra = {"PYTHONPATH": str(tree)}
    if not args.no_cache:
        extra.update(PAGE_CACHE_URL=REDIS, PAGE_CACHE_PREFIX=f"bench:{uuid.uuid4().hex}:")
    env = production_env(url, port, **extra)
    label = args.ref or "working tree"
    print(f"# {label}, page cache {'off' if args.no_cache else 'on'}, {args.ideas} ideas")

    with (
        gunicorn("wsgi:app", port, env, cwd=tree),
        gunicorn("hello:app", hello_port, dict(os.environ), cwd=hello_dir),
    ):
        base = f"http://127.0.0.1:{port}"
        cookies = log_in(base, str(site["email"]))
        # The first visit of the challenge page gives the member their order seed (in the
        # session cookie); a browser keeps it, wrk replays one fixed cookie: take it now.
        request(base, "GET", f"/defis/{site['slug']}", cookies)
        cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())
        pages = {
            "home (anonymous)": (f"{base}/", []),
            "challenge, 1,000 ideas (anonymous)": (f"{base}/defis/{site['slug']}", []),
            "idea (anonymous)": (f"{base}/idees/{site['idea']}", []),
            "challenge, 1,000 ideas (logged in)": (f"{base}/defis/{site['slug']}", [cookie]),
        }
        for name, (page, headers) in pages.items():  # warm up, and prove each page answers
            status, answer, body = request(
                base,
                "GET",
                page[len(base) :],
                headers={"Cookie": headers[0][8:]} if headers else {},
            )
            assert status == 200, (name, status)
            if headers:
                assert answer.get("Cache-Control") == "no-store" and "Se déconnecter" in body, name
            wrk(page, 1, headers)
        hello_rates: list[float] = []
        rates: dict[str, list[float]] = {name: [] for name in pages}
        ratios: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.rounds):
            hello, _out = wrk(f"http://127.0.0.1:{hello_port}/", args.seconds)
            hello_rates.append(hello)
            for name, (page, headers) in pages.items():
                rate, _out = wrk(page, args.seconds, headers)
                rates[name].append(rate)
                ratios[name].append(rate / hello)

    def spread(values: list[float], fmt: str) -> str:
        return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"

    print("\n| page | requests/s, median (min–max) | ratio to hello-world |")
    print("| --- | ---: | ---: |")
    print(f"| bare Flask hello-world | {spread(hello_rates, '.0f')} | 1 |")
    for name in pages:
        print(f"| {name} | {spread(rates[name], '.0f')} | {spread(ratios[name], '.3f')} |")


if __name__ == "__main__":
    main()
