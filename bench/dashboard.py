"""Time the landlord dashboard on a large history, before (another checkout) and after.

    python bench/dashboard.py --before /work/main                 # scales 0.25 and 1, SQLite
    python bench/dashboard.py --before /work/main --only postgresql --scales 1
    python bench/dashboard.py --scales 0.25 1 --runs 15             # this checkout only

Run it from the root of the checkout to measure. For each database and scale it builds a
throwaway database with this checkout's migrations and bulk inserts (scale 1 is the size
measured in issue 11: 100,000 accounts, 11,190 ideas, 111,900 supports, 111,900 comments,
two votes of 100,000 ballots, 300 pilots, history spread over three years, ten landlords
and regional challenges). Then, for each checkout (`--before`, then this one), a child
process started in that checkout requests `/tableau-de-bord/` through the Flask test
client, as the regional admin (every organisation) and as one landlord's manager:
`--runs` timed requests after two warm-ups, median and spread (first to third quartile).
A checkout that has the summary (ideation/dashboard/aggregates.py) refreshes it first,
and that refresh (the queue's job, never a request) is timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

sys.path.insert(0, os.getcwd())

PASSWORD = "un mot de passe de banc solide"
ADMIN = "admin@banc.test"
MANAGER = "bailleur0@banc.test"
CHUNK = 5000


def insert(db, model, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model), rows[start : start + CHUNK])


def build(db, scale: float, rng: random.Random) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The history, in bulk inserts; returns how many rows of each kind."""
    from ideation.auth.models import User
    from ideation.challenges.models import Challenge
    from ideation.comments.models import Comment
    from ideation.domain.challenge_phases import Phase
    from ideation.domain.roles import OrganisationKind, Role
    from ideation.ideas.models import Idea, Support
    from ideation.orgs.models import Organisation, Residence
    from ideation.pilots.models import Pilot
    from ideation.voting.models import Ballot

    n_users = int(100_000 * scale)
    n_ideas = int(11_190 * scale)
    n_challenges = max(6, int(60 * scale))
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=3 * 365)
    span = int((now - start).total_seconds())

    def moment() -> datetime:
        return start + timedelta(seconds=rng.randrange(span))

    landlords = [
        Organisation(name=f"Bailleur {i}", slug=f"bailleur-{i}", kind=OrganisationKind.LANDLORD)
        for i in range(10)
    ]
    regional = Organisation(name="Région", slug="region", kind=OrganisationKind.REGIONAL)
    db.session.add_all([*landlords, regional])
    db.session.flush()
    residences = [
        Residence(organisation=org, name=f"Résidence {o}-{i}", city="Lyon", quartier="Centre")
        for o, org in enumerate(landlords)
        for i in range(20)
    ]
    db.session.add_all(residences)
    db.session.flush()
    admin = User(
        email=ADMIN, display_name="Admin", role=Role.ADMIN, active=True, email_verified=True
    )
    admin.set_password(PASSWORD)
    manager = User(
        email=MANAGER,
        display_name="Bailleur 0",
        role=Role.BAILLEUR,
        organisation=landlords[0],
        active=True,
        email_verified=True,
    )
    manager.password_hash = admin.password_hash
    db.session.add_all([admin, manager])
    db.session.flush()
    users = []
    for i in range(n_users):
        residence = residences[i % len(residences)]
        users.append(
            {
                "email": f"locataire{i}@banc.test",
                "display_name": f"Locataire {i}",
                "password_hash": "!",
                "role": Role.TENANT,
                "organisation_id": residence.organisation_id,
                "residence_id": residence.id,
                "active": True,
                "email_verified": True,
                "session_token": f"t{i}",
                "created_at": moment(),
            }
        )
    insert(db, User, users)
    user_ids = list(db.session.scalars(sa.select(User.id).where(User.role == Role.TENANT)))
    challenges = []
    for i in range(n_challenges):
        phase = (
            Phase.ARCHIVED
            if i < n_challenges - 4
            else [Phase.RESULTS, Phase.RESULTS, Phase.IDEATION, Phase.VOTING][
                i - (n_challenges - 4)
            ]
        )
        challenges.append(
            Challenge(
                slug=f"defi-{i}",
                title=f"Défi {i}",
                summary="Un défi du banc.",
                organisation=None if i % 5 == 0 else landlords[i % 10],
                phase=phase,
                created_at=start + timedelta(days=i * 1000 // n_challenges),
            )
        )
    db.session.add_all(challenges)
    db.session.flush()
    statuses = ["published"] * 6 + [
        "submitted",
        "shortlisted",
        "not_selected",
        "selected",
        "piloted",
        "merged",
        "draft",
    ]
    ideas = [
        {
            "challenge_id": challenges[i % n_challenges].id,
            "author_id": rng.choice(user_ids),
            "title": f"Idée {i}",
            "summary": "Une idée.",
            "body_source": "Le texte.",
            "body_html": "<p>Le texte.</p>",
            "body_text": "Le texte.",
            "status": statuses[i % len(statuses)],
            "created_at": (at := moment()),
            "submitted_at": at,
            "published_at": at,
        }
        for i in range(n_ideas)
    ]
    insert(db, Idea, ideas)
    idea_ids = list(db.session.scalars(sa.select(Idea.id)))
    pairs = {(rng.choice(idea_ids), rng.choice(user_ids)) for _ in range(int(111_900 * scale))}
    insert(db, Support, [{"idea_id": a, "user_id": b, "created_at": moment()} for a, b in pairs])
    comments = [
        {
            "idea_id": rng.choice(idea_ids),
            "author_id": rng.choice(user_ids),
            "body_source": "Un avis.",
            "body_html": "<p>Un avis.</p>",
            "created_at": moment(),
            "deleted_at": None if i % 50 else now,
        }
        for i in range(int(111_900 * scale))
    ]
    insert(db, Comment, comments)
    n_ballots = 0
    for challenge in challenges[-4:-2]:  # the two votes with results
        voters = rng.sample(user_ids, min(len(user_ids), int(100_000 * scale)))
        at = challenge.created_at + timedelta(days=20)
        rows = [
            {
                "challenge_id": challenge.id,
                "voter_id": v,
                "ranking": [[1], [2], [3]],
                "receipt": f"{k:020x}",
                "created_at": at,
                "updated_at": at,
            }
            for k, v in enumerate(voters)
        ]
        insert(db, Ballot, rows)
        n_ballots += len(rows)
    pilot_statuses = ["proposed", "planned", "running", "evaluating", "generalised", "stopped"]
    pilots = [
        {
            "organisation_id": landlords[i % 10].id,
            "title": f"Projet {i}",
            "status": pilot_statuses[i % 6],
            "budget_planned": Decimal(rng.randrange(100_000)) / 100,
            "budget_spent": Decimal(rng.randrange(50_000)) / 100,
            "planned_end": date.today() + timedelta(days=rng.randrange(-400, 400)),
        }
        for i in range(max(10, int(300 * scale)))
    ]
    insert(db, Pilot, pilots)
    db.session.commit()
    return {
        "accounts": n_users,
        "ideas": n_ideas,
        "supports": len(pairs),
        "comments": len(comments),
        "ballots": n_ballots,
        "pilots": len(pilots),
    }


def create(url: str, scale: float, seed: int) -> dict[str, int]:
    """A freshly migrated database at `url` holding the history."""
    from flask_migrate import upgrade

    from ideation import create_app
    from ideation.extensions import db

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        sizes = build(db, scale, random.Random(seed))
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return sizes


def time_here(url: str, runs: int) -> dict:
    """(In the child process, in the checkout measured) the dashboard's timings."""
    from ideation import create_app
    from ideation.extensions import db

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    result: dict = {"refresh_ms": None}
    with app.app_context():
        try:
            from ideation.dashboard import aggregates
        except ImportError:
            aggregates = None  # the checkout before: no summary
        if aggregates is not None:
            t0 = time.perf_counter()
            result["summary_rows"] = aggregates.refresh()
            db.session.commit()
            result["refresh_ms"] = (time.perf_counter() - t0) * 1000
        db.session.remove()
    for who, email in (("admin (all organisations)", ADMIN), ("one landlord", MANAGER)):
        client = app.test_client()
        response = client.post("/connexion", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        for _ in range(2):
            assert client.get("/tableau-de-bord/").status_code == 200
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get("/tableau-de-bord/")
            samples.append((time.perf_counter() - t0) * 1000)
        result[who] = samples
        result[who + " queries"] = queries_of(app, client)
    with app.app_context():
        db.engine.dispose()
    return result


def queries_of(app, client) -> list[tuple[float, str]]:  # type: ignore[no-untyped-def]
    """One more view, each SQL statement's time (ms) and its first words, slowest first."""
    from ideation.extensions import db

    timings: list[tuple[float, str]] = []
    started: list[float] = []

    def before(*_args) -> None:  # type: ignore[no-untyped-def]
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        text = " ".join(statement.split())[:110]
        timings.append(((time.perf_counter() - started.pop()) * 1000, text))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        t0 = time.perf_counter()
        client.get("/tableau-de-bord/")
        total = (time.perf_counter() - t0) * 1000
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return [(total, "whole request"), *sorted(timings, reverse=True)]


def child(checkout: str, url: str, runs: int) -> dict:
    """Time the dashboard in `checkout` (its code, this database) in a process of its own."""
    env = dict(os.environ, QUEUE_IMMEDIATE="1")
    done = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--time", url, "--runs", str(runs)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"timing in {checkout} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def throwaway(kind: str, pg: str):  # type: ignore[no-untyped-def]
    from contextlib import contextmanager

    @contextmanager
    def sqlite():
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{os.path.join(folder, 'bench.db')}"

    @contextmanager
    def postgresql():
        name = f"dashboard_bench_{uuid.uuid4().hex[:8]}"
        server = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        try:
            yield sa.make_url(pg).set(database=name).render_as_string(hide_password=False)
        finally:
            with server.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            server.dispose()

    return sqlite() if kind == "sqlite" else postgresql()


def summary(samples: list[float]) -> str:
    q1, median, q3 = statistics.quantiles(samples, n=4)
    return f"{median:.1f} [{q1:.1f}–{q3:.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", help="another checkout to time on the same data (main)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--time", help=argparse.SUPPRESS)  # the child process's mode
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    if args.time:
        print(json.dumps(time_here(args.time, args.runs)))
        return
    checkouts = ([("before", args.before)] if args.before else []) + [("after", os.getcwd())]
    lines = []
    for scale in args.scales:
        with throwaway(args.only, args.pg) as url:
            t0 = time.perf_counter()
            sizes = create(url, scale, args.seed)
            built = time.perf_counter() - t0
            print(f"{args.only} scale {scale}: {sizes} built in {built:.0f} s", flush=True)
            for label, checkout in checkouts:
                result = child(checkout, url, args.runs)
                for who in ("admin (all organisations)", "one landlord"):
                    refresh = (
                        f"{result['refresh_ms']:.0f} ms ({result['summary_rows']:,} rows)"
                        if result["refresh_ms"] is not None
                        else "–"
                    )
                    line = (
                        f"| {args.only} | {scale} ({sizes['accounts']:,} accounts) | {label} "
                        f"| {who} | {summary(result[who])} | {refresh} |"
                    )
                    print(line, flush=True)
                    lines.append(line)
                    for ms, text in result.get(who + " queries", []):
                        print(f"      {ms:7.2f} ms  {text}", flush=True)
    print(f"\nmedian ms [first–third quartile], {args.runs} requests after two warm-ups\n")
    print("| database | scale | checkout | viewer | dashboard view | summary refresh (job) |")
    print("| --- | --- | --- | --- | ---: | ---: |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
