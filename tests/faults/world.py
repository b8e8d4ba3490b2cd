"""A small installation for the fault tests, built in its own process (never the test's).

    python -m tests.faults.world DATABASE_URL   → migrates, seeds, prints the world as JSON

Two challenges of one landlord: one collecting ideas, one voting on three shortlisted
ideas; a few tenants (password PASSWORD) and a facilitator. Built with the test app
(cheap password hashes, which the production app checks as well).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta

PASSWORD = "un mot de passe de test solide"


def build(url: str, voters: int = 4) -> dict:
    from flask_migrate import upgrade

    from ideation import create_app
    from ideation.db_types import utcnow
    from ideation.domain.roles import Role
    from ideation.extensions import db
    from tests.factories import make_challenge, make_idea, make_org, make_regional, make_user

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        org = make_org("Bailleur des pannes")
        ideas_phase = make_challenge(phase="ideation", org=org, slug="idees", premoderation=False)
        vote = make_challenge(
            phase="voting", org=org, slug="vote", voting_ends_at=utcnow() + timedelta(days=5)
        )
        author = make_user(org=org, password=PASSWORD)
        shortlisted = [make_idea(vote, author, status="shortlisted") for _ in range(3)]
        tenants = [
            make_user(Role.TENANT, org=org, email=f"votant{n}@pannes.test", password=PASSWORD)
            for n in range(voters)
        ]
        facilitator = make_user(
            Role.FACILITATOR, org=make_regional(), password=PASSWORD, email="animation@pannes.test"
        )
        db.session.commit()
        world = {
            "ideas_slug": ideas_phase.slug,
            "vote_slug": vote.slug,
            "vote_id": vote.id,
            "candidates": [i.id for i in shortlisted],
            "tenants": [t.email for t in tenants],
            "facilitator": facilitator.email,
        }
        db.engine.dispose()
    return world


def vote_and_close(url: str, slug: str) -> None:
    """Every tenant of the world votes, then the vote closes (its jobs go to QUEUE_URL)."""
    from sqlalchemy import select

    from ideation import create_app
    from ideation.auth.models import User
    from ideation.challenges.models import Challenge
    from ideation.extensions import db
    from ideation.voting import services

    app = create_app({"CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        challenge = db.session.scalar(select(Challenge).where(Challenge.slug == slug))
        ideas = [i.id for i in services.shortlisted(challenge.id)]
        for user in db.session.scalars(select(User).where(User.email.like("votant%"))):
            services.cast_ballot(challenge, user.id, [[i] for i in ideas])
        db.session.commit()
        services.close_vote(challenge)
        db.session.commit()
        db.engine.dispose()


if __name__ == "__main__":
    if sys.argv[1] == "close":
        vote_and_close(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(build(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4)))
