"""Time closing a large vote and telling its voters, separately, on SQLite.

    python bench/close_vote.py                      # 100,000 ballots ranking 20 ideas
    python bench/close_vote.py --voters 20000 --ideas 20

Run it from the root of the checkout (it uses that checkout's `ideation` and `migrations/`).
It builds a throwaway migrated SQLite file, bulk-inserts the voters (a third of them in
English) and one full ranking each, then times, each on its own:

- `close_vote` and its commit (the lock held: the count and the stored result only),
- the queued notification job (`tasks.announce_vote_result`: one notification per
  voter, the immediate e-mails, each template rendered once per language),
- the queued file job (`tasks.write_vote_files`: CSV, PrefLib and BLT written once).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=20)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from ideation import create_app, tasks
    from ideation.challenges.models import Challenge
    from ideation.core import queue
    from ideation.extensions import db
    from ideation.voting import services as voting

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/close.db"
        app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
        # Jobs go to a queue in memory (not run inline) so each is timed on its own.
        queue.configure("memory://", immediate=False)
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            challenge_id = build(db, args.voters, args.ideas, random.Random(11))
            print(
                f"built {args.voters:,} ballots x {args.ideas} in {time.perf_counter() - started:.1f} s"
            )
            db.session.remove()
            challenge = db.session.get(Challenge, challenge_id)
            started = time.perf_counter()
            result = voting.close_vote(challenge)
            db.session.commit()
            close_s = time.perf_counter() - started
            print(
                f"close_vote + commit (under the lock): {close_s:.2f} s, {result.ballots_count:,} ballots"
            )
            db.session.remove()
            started = time.perf_counter()
            tasks.announce_vote_result.call_local(challenge_id)
            print(f"notification job (bulk): {time.perf_counter() - started:.2f} s")
            started = time.perf_counter()
            tasks.write_vote_files.call_local(challenge_id)
            print(f"ballot files job (CSV, PrefLib, BLT): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
