"""Time the challenge page's idea list at two sizes, on SQLite and PostgreSQL.

    python bench/idea_lists.py                       # 100 and 10,000 ideas, both databases
    python bench/idea_lists.py --sizes 100 10000 --runs 30 --only sqlite
    python bench/idea_lists.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Run it from the root of the checkout to measure (it uses that checkout's `ideation` and
`migrations/`). For each database and size it builds a throwaway database (a temporary
SQLite file; a PostgreSQL database created on the server given by --pg and dropped at the
end) with the migrations, bulk-inserts one challenge's ideas (realistic text lengths,
five themes, ten residences, a few pending and hidden ideas, counters spread), then
requests each kind of page through the Flask test client: `--runs` timed requests after
two warm-ups, median and spread (first to third quartile). The ratio is the median at the
largest size over the median at the smallest, measured in the same run.

Two words are planted so that searches mean the same at both sizes: "toboggan" in
exactly five ideas (a rare word: the page should not grow at all) and "jardin" in one
idea out of ten (a common word: the matches, and so the ranking, grow with N).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

# The checkout measured is the current directory (its config.py, ideation/ and migrations/),
# so that the same script times main and a branch.
sys.path.insert(0, os.getcwd())

PASSWORD = "un mot de passe de banc solide"
WORDS = (
    "résidence escalier local vélos parking hall ascenseur poubelles tri lumière chauffage "
    "fenêtres voisins fête enfants jeux parc banc arbre fleurs potager cour propreté bruit "
    "sécurité interphone boîte lettres livres atelier réparation partage entraide cuisine "
    "salle commune gardien travaux peinture entrée porte badge caméra éclairage rampe"
).split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build(db, n: int, rng: random.Random) -> dict:  # type: ignore[no-untyped-def]
    """One challenge with `n` ideas; returns what the pages need (slug, ids, the viewer)."""
    from ideation.auth.models import User
    from ideation.challenges.models import Challenge, Theme
    from ideation.domain.challenge_phases import Phase
    from ideation.domain.roles import OrganisationKind, Role
    from ideation.ideas.models import Idea
    from ideation.orgs.models import Organisation, Residence

    org = Organisation(
        name="Bailleur du banc", slug="bailleur-banc", kind=OrganisationKind.LANDLORD
    )
    themes = [Theme(slug=f"theme-{i}", name=f"Thème {i}", position=i) for i in range(5)]
    residences = [
        Residence(organisation=org, name=f"Résidence {i}", city="Lyon", quartier="Centre")
        for i in range(10)
    ]
    challenge = Challenge(
        slug="banc",
        title="Défi du banc",
        summary="Mesurer la liste des idées.",
        description_source="Le défi.",
        description_html="<p>Le défi.</p>",
        organisation=org,
        phase=Phase.IDEATION,
        premoderation=True,
    )
    db.session.add_all([org, challenge, *themes, *residences])
    db.session.flush()
    authors = []
    for i in range(200):
        user = User(
            email=f"auteur{i}@banc.test",
            display_name=f"Auteur {i}",
            role=Role.TENANT,
            organisation=org,
            residence=residences[i % 10],
            active=True,
            email_verified=True,
        )
        if i == 0:
            user.set_password(PASSWORD)
        else:
            user.password_hash = authors[0].password_hash
        authors.append(user)
        db.session.add(user)
        db.session.flush()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rare = set(rng.sample(range(n), 5))
    rows = []
    for i in range(n):
        body = " ".join(sentence(rng, 14) for _ in range(12))  # about 1,300 characters
        if i % 10 == 3:
            body += " Un jardin partagé au pied des immeubles."
        if i in rare:
            body += " Un toboggan pour les petits."
        status = "published"
        if i % 25 == 0:
            status = "submitted"
        elif i % 7 == 0:
            status = "shortlisted"
        created = start + timedelta(minutes=37 * i)
        rows.append(
            {
                "challenge_id": challenge.id,
                "author_id": authors[i % 200].id,
                "title": sentence(rng, 6)[:120],
                "summary": sentence(rng, 25)[:300],
                "body_source": body,
                "body_html": f"<p>{body}</p>",
                "body_text": body,
                "theme_id": themes[i % 5].id,
                "residence_id": residences[i % 10].id,
                "status": status,
                "hidden_at": created if i % 97 == 0 else None,
                "supports_count": rng.randrange(60),
                "comments_count": rng.randrange(40),
                "created_at": created,
                "submitted_at": created,
                "published_at": None if status == "submitted" else created + timedelta(hours=3),
            }
        )
    for chunk in range(0, n, 1000):
        db.session.execute(sa.insert(Idea), rows[chunk : chunk + 1000])
    db.session.commit()
    return {
        "slug": challenge.slug,
        "theme": themes[2].id,
        "residence": residences[4].id,
        "viewer": authors[0].email,
    }


def pages(info: dict) -> list[tuple[str, str, bool]]:
    """(label, path, logged in) of each page type; "last" is replaced by the last page number."""
    base = f"/defis/{info['slug']}"
    return [
        ("default order (random), page 1", base, False),
        ("default order, last page", f"{base}?page=last", False),
        ("default order, logged in, page 1", base, True),
        ("most recent, page 1", f"{base}?sort=recentes", False),
        ("most supported, last page", f"{base}?sort=soutenues&page=last", False),
        ("most discussed, page 1", f"{base}?sort=discutees", False),
        ("filter theme, page 1", f"{base}?theme={info['theme']}", False),
        ("filter status shortlisted, page 1", f"{base}?status=shortlisted", False),
        ("filter residence, last page", f"{base}?residence={info['residence']}&page=last", False),
        ("search, rare word (5 matches)", f"{base}?q=toboggan", False),
        ("search, common word (N/10 matches)", f"{base}?q=jardin", False),
        ("search, common word, last page", f"{base}?q=jardin&page=last", False),
    ]


def prepare(app, info: dict) -> list[tuple[str, object, str]]:  # type: ignore[no-untyped-def]
    """(label, client, path) of each page, the last page's number looked up on page 1."""
    anonymous = app.test_client()
    member = app.test_client()
    member.post("/connexion", data={"email": info["viewer"], "password": PASSWORD})
    prepared = []
    for label, path, logged_in in pages(info):
        client = member if logged_in else anonymous
        if "page=last" in path:
            first = client.get(path.replace("page=last", "page=1")).text
            found = re.search(r"Page 1 sur (\d+)", first)
            path = path.replace("page=last", f"page={found.group(1) if found else 1}")
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        prepared.append((label, client, path))
    return prepared


def build_app(url: str, n: int, seed: int):  # type: ignore[no-untyped-def]
    """An app on a freshly migrated database holding `n` ideas, and its pages."""
    from flask_migrate import upgrade

    from ideation import create_app
    from ideation.extensions import db

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        info = build(db, n, random.Random(seed))
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk load: statistics and the visibility map
            # (index-only scans need it).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        db.session.remove()
    return app, prepare(app, info)


def measure(small: list, large: list, runs: int) -> dict[str, tuple[list[float], list[float]]]:
    """Each page at both sizes, one request of each in turn, so that the load of the
    machine (shared) weighs the same on both sides of the ratio."""
    times = {}
    for (label, client_a, path_a), (_, client_b, path_b) in zip(small, large, strict=True):
        a: list[float] = []
        b: list[float] = []
        for _ in range(runs):
            for client, path, samples in ((client_a, path_a, a), (client_b, path_b, b)):
                t0 = time.perf_counter()
                client.get(path)
                samples.append((time.perf_counter() - t0) * 1000)
        times[label] = (a, b)
    return times


def dispose(app) -> None:  # type: ignore[no-untyped-def]
    from ideation.extensions import db

    with app.app_context():
        db.engine.dispose()


def throwaway(kind: str, pg: str):  # type: ignore[no-untyped-def]
    """A context manager giving the URL of an empty database, removed afterwards."""
    from contextlib import contextmanager

    @contextmanager
    def sqlite():
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{os.path.join(folder, 'bench.db')}"

    @contextmanager
    def postgresql():
        name = f"idea_lists_bench_{uuid.uuid4().hex[:8]}"
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


def summary(samples: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(samples, n=4)
    return median, q1, q3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 10_000])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server (any database on it) where a throwaway database is created",
    )
    args = parser.parse_args()
    small, large = args.sizes
    kinds = [args.only] if args.only else ["sqlite", "postgresql"]
    results = {}
    for kind in kinds:
        with throwaway(kind, args.pg) as url_a, throwaway(kind, args.pg) as url_b:
            print(f"{kind}: building {small:,} and {large:,} ideas ...", flush=True)
            app_a, pages_a = build_app(url_a, small, args.seed)
            app_b, pages_b = build_app(url_b, large, args.seed)
            print(f"{kind}: timing ...", flush=True)
            results[kind] = measure(pages_a, pages_b, args.runs)
            dispose(app_a)
            dispose(app_b)
    header = "| page |"
    rule = "| --- |"
    for kind in kinds:
        header += f" {kind} {small:,} | {kind} {large:,} | ratio |"
        rule += " ---: | ---: | ---: |"
    print(f"\nmedian ms [first–third quartile], {args.runs} runs; ratio = {large:,} / {small:,}\n")
    print(header)
    print(rule)
    for label in results[kinds[0]]:
        line = f"| {label} |"
        for kind in kinds:
            a, a1, a3 = summary(results[kind][label][0])
            b, b1, b3 = summary(results[kind][label][1])
            line += f" {a:.1f} [{a1:.1f}–{a3:.1f}] | {b:.1f} [{b1:.1f}–{b3:.1f}] | ×{b / a:.2f} |"
        print(line)


if __name__ == "__main__":
    main()
