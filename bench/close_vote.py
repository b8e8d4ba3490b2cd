"""Time closing a large vote and telling its voters, separately, on SQLite.

    python bench/close_vote.py                      # 100,000 ballots ranking 20 ideas
    python bench/close_vote.py --voters 20000 --ideas 20
    python bench/close_vote.py --db /tmp/close.db --runs 5 --profile

Run it from the root of the checkout (it uses that checkout's `ideation` and `migrations/`).
It builds a throwaway migrated SQLite file (or, with ``--db FILE``, builds FILE once and
then works on a fresh copy of it for every run), bulk-inserts the voters (a third of them
in English) and one full ranking each, then times, each on its own:

- `close_vote` and its commit (the lock held: the count and the stored result only),
- the queued notification job (`voting.services.announce_vote_result`: one notification per
  voter, the immediate e-mails, each template rendered once per language),
- the queued file job (`voting.services.write_vote_files`: CSV, PrefLib and BLT written once).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

from sqlalchemy import select

sys.path.insert(0, os.getcwd())


def build(db, voters: int, ideas: int, rng: random.Random) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from ideation.auth.models import User
    from ideation.challenges.models import Challenge
    from ideation.db_types import utcnow
    from ideation.domain.challenge_phases import Phase
    from ideation.domain.idea_states import IdeaStatus
    from ideation.domain.roles import OrganisationKind, Role
    from ideation.ideas.models import Idea
    from ideation.orgs.models import Organisation
    from ideation.voting.models import Ballot
    from ideation.voting.services import new_receipt, published_receipt

    org = Organisation(
        name="Bailleur du banc", slug="bailleur-banc", kind=OrganisationKind.LANDLORD
    )
    challenge = Challenge(
        slug="banc",
        title="Défi du banc",
        summary="Mesurer la clôture.",
        description_source="Le défi.",
        description_html="<p>Le défi.</p>",
        organisation=org,
        phase=Phase.VOTING,
    )
    author = User(
        email="auteur@banc.test", display_name="Auteur", password_hash="x", organisation=org
    )
    db.session.add_all([org, challenge, author])
    db.session.flush()
    idea_rows = [
        Idea(
            challenge=challenge,
            author_id=author.id,
            title=f"Idée {n}",
            summary="Résumé.",
            body_source="Texte.",
            body_html="<p>Texte.</p>",
            body_text="Texte.",
            status=IdeaStatus.SHORTLISTED,
        )
        for n in range(ideas)
    ]
    db.session.add_all(idea_rows)
    db.session.flush()
    ids = [i.id for i in idea_rows]
    now = utcnow()
    chunk = 10_000
    for start in range(0, voters, chunk):
        users = [
            {
                "email": f"votant{n}@banc.test",
                "display_name": f"Votant {n}",
                "password_hash": "x",
                "role": Role.TENANT,
                "organisation_id": org.id,
                "locale": "en" if n % 3 == 0 else "fr",
                "active": True,
                "created_at": now,
            }
            for n in range(start, min(voters, start + chunk))
        ]
        db.session.execute(insert(User), users)
    user_ids = [
        u for (u,) in db.session.execute(User.__table__.select().with_only_columns(User.id))
    ][1:]
    for start in range(0, len(user_ids), chunk):
        rows = []
        for user_id in user_ids[start : start + chunk]:
            order = ids[:]
            rng.shuffle(order)
            receipt = new_receipt()
            rows.append(
                {
                    "challenge_id": challenge.id,
                    "voter_id": user_id,
                    "ranking": [[i] for i in order],
                    "receipt": receipt,
                    "receipt_hash": published_receipt(receipt),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        db.session.execute(insert(Ballot), rows)
    db.session.commit()
    return challenge.id


def _app(url: str):  # type: ignore[no-untyped-def]
    from ideation import create_app

    return create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})


def _build_file(path: str, voters: int, ideas: int) -> int:
    from flask_migrate import upgrade

    from ideation.extensions import db

    with _app(f"sqlite:///{path}").app_context():
        upgrade()
        started = time.perf_counter()
        challenge_id = build(db, voters, ideas, random.Random(11))
        print(f"built {voters:,} ballots x {ideas} in {time.perf_counter() - started:.1f} s")
        db.session.remove()
    return challenge_id


def _figure(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=20)
    parser.add_argument("--db", help="build this SQLite file once, then close copies of it")
    parser.add_argument("--runs", type=int, default=1, help="closes, each on a fresh copy")
    parser.add_argument("--profile", action="store_true", help="pyinstrument over one close")
    parser.add_argument("--no-jobs", action="store_true", help="time the close only")
    args = parser.parse_args()

    from ideation.challenges.models import Challenge
    from ideation.core import queue
    from ideation.extensions import db
    from ideation.voting import services as voting

    with tempfile.TemporaryDirectory() as folder:
        source = args.db or f"{folder}/built.db"
        if not os.path.exists(source):
            _build_file(source, args.voters, args.ideas)
        walls, cpus = [], []
        for run in range(args.runs):
            copy = f"{folder}/close.db"
            shutil.copyfile(source, copy)
            app = _app(f"sqlite:///{copy}")
            # Jobs go to a queue in memory (not run inline) so each is timed on its own.
            queue.configure("memory://", immediate=False)
            with app.app_context():
                challenge = db.session.scalar(select(Challenge).where(Challenge.slug == "banc"))
                profiler = None
                if args.profile and run == 0:
                    from pyinstrument import Profiler

                    profiler = Profiler(interval=0.002)
                    profiler.start()
                started, cpu = time.perf_counter(), time.process_time()
                result = voting.close_vote(challenge)
                db.session.commit()
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
                if profiler is not None:
                    profiler.stop()
                    print(profiler.output_text(unicode=True, show_all=False))
                print(
                    f"run {run + 1}: close_vote + commit (under the lock): {walls[-1]:.2f} s, "
                    f"CPU {cpus[-1]:.2f} s, {result.ballots_count:,} ballots, "
                    f"digest {result.digest[:16]}…"
                )
                challenge_id = challenge.id
                db.session.remove()
                if args.no_jobs or run != args.runs - 1:
                    continue
                started = time.perf_counter()
                voting.announce_vote_result.call_local(challenge_id)
                print(f"notification job (bulk): {time.perf_counter() - started:.2f} s")
                started = time.perf_counter()
                voting.write_vote_files.call_local(challenge_id)
                print(
                    f"ballot files job (CSV, PrefLib, BLT): {time.perf_counter() - started:.2f} s"
                )
        print(
            f"close_vote + commit, {args.runs} runs: wall {_figure(walls)}, CPU {_figure(cpus)}, "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )


if __name__ == "__main__":
    main()
