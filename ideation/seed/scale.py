"""`flask seed-demo --scale N`: a generated installation whose size grows with N.

N = 1 is the size of a big regional association, the one issue 11 measured: 100,000
accounts, 11,190 ideas, 111,000 supports, 111,000 comments and two votes of 100,000
ballots ranking 20 ideas each. Every figure is proportional to N (N = 0.01 is 1 %), with
a floor so that a tiny N still gives working pages: each vote keeps its 20 retained ideas,
each challenge at least one idea.

The demo's story goes through the services; at this size that would take hours, so the
rows are bulk-inserted into the models' own tables (SQLAlchemy Core `insert(Model)` in
batches: the models' Python defaults still fill `shuffle_key`, `session_token` and the
timestamps). What the services would keep consistent is computed here: each idea's
`supports_count` and `comments_count` equal its rows, every account shares one password
hash (computed once), and the search index follows by itself (an FTS5 table kept by
triggers on SQLite, an expression GIN index on PostgreSQL, migration 0002). The one
result is the real one: the first vote is closed through `voting.services.close_vote`,
the second stays open.

Everything lives in its own landlord, "Région à l'échelle", so it sits beside the demo;
running the command again with the landlord present changes nothing.
"""

from __future__ import annotations

import math
import random
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import click
from sqlalchemy import insert, select, update

from ideation.auth.models import User, hash_password
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.orgs.models import Organisation, Residence
from ideation.seed.data.people import DEMO_PASSWORD, FIRST_NAMES, LAST_INITIALS
from ideation.voting.models import Ballot, VoteResult
from ideation.voting.services import RECEIPT_ALPHABET, RECEIPT_GROUP_SIZE, RECEIPT_GROUPS

ORGANISATION_SLUG = "region-echelle"
ORGANISATION_NAME = "Région à l'échelle"
EMAIL = "habitant{number:06d}@echelle.fabrique.test"
MANAGER_EMAIL = "bailleur@echelle.fabrique.test"
CLOSED_VOTE_SLUG = "echelle-vote-clos"
OPEN_VOTE_SLUG = "echelle-vote-ouvert"

# The measured size (N = 1).
ACCOUNTS = 100_000
IDEAS = 11_190
SUPPORTS = 111_000
COMMENTS = 111_000
BALLOTS = 100_000  # per vote, two votes
RANKS = 20  # ideas retained in each vote; every ballot ranks them all
IDEATION_CHALLENGES = 10
RESIDENCES = 200

BATCH = 5_000
RANKING_POOL = 4_096  # distinct rankings the voters of a vote choose among

WORDS = (
    "résidence escalier local vélos parking hall ascenseur poubelles tri lumière chauffage "
    "fenêtres voisins fête enfants jeux parc banc arbre fleurs potager cour propreté bruit "
    "sécurité interphone boîte lettres livres atelier réparation partage entraide cuisine "
    "salle commune gardien travaux peinture entrée porte badge caméra éclairage rampe jardin"
).split()
CITIES = ("Lyon", "Villeurbanne", "Grenoble", "Saint-Étienne", "Valence", "Annecy", "Clermont")


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind N gives."""

    accounts: int  # tenants; the landlord's manager comes on top
    ideas: int
    supports: int
    comments: int
    ballots: int  # in each of the two votes
    ideation_challenges: int
    residences: int


def sizes(scale: float) -> Sizes:
    """The measured size times `scale`, with floors that keep every page meaningful."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    challenges = max(1, round(IDEATION_CHALLENGES * scale))
    accounts = max(RANKS, round(ACCOUNTS * scale))
    ideas = max(2 * RANKS + 20 * challenges, round(IDEAS * scale))
    return Sizes(
        accounts=accounts,
        ideas=ideas,
        # Each (idea, account) pair supports at most once.
        supports=min(round(SUPPORTS * scale), ideas * accounts // 2),
        comments=round(COMMENTS * scale),
        ballots=min(accounts, max(1, round(BALLOTS * scale))),
        ideation_challenges=challenges,
        residences=max(2, min(RESIDENCES, round(RESIDENCES * scale))),
    )


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(model: type, label: str, total: int, rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` into the model's table in batches, with a progress bar."""
    started = time.perf_counter()
    with click.progressbar(length=total, label=label.ljust(20)) as bar:
        for batch in _batches(rows):
            db.session.execute(insert(model), batch)
            bar.update(len(batch))
    click.echo(f"  {label} : {total} lignes en {time.perf_counter() - started:.1f} s")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _skewed(rng: random.Random, total: int, slots: int, cap: int) -> list[int]:
    """`total` split over `slots`, a few popular ones and a long tail, each at most `cap`."""
    weights = [1.0 / math.sqrt(n + 1) for n in range(slots)]
    rng.shuffle(weights)
    counts = [0] * slots
    for slot in rng.choices(range(slots), weights=weights, k=total):
        counts[slot] += 1
    spill = 0
    for n in range(slots):
        if counts[n] > cap:
            spill += counts[n] - cap
            counts[n] = cap
    n = 0
    while spill:  # what the cap cut goes to the next slots with room
        if counts[n] < cap:
            counts[n] += 1
            spill -= 1
        n = (n + 1) % slots
    return counts


def _receipts(count: int) -> list[str]:
    """`count` distinct receipt codes in the ballot service's format.

    A generator seeded from `secrets` once: `new_receipt` draws each character from the
    system's random source, which at 200,000 ballots costs seconds for no gain here.
    """
    rng = random.Random(secrets.randbits(128))
    size = RECEIPT_GROUPS * RECEIPT_GROUP_SIZE
    seen: set[str] = set()
    while len(seen) < count:
        chars = "".join(rng.choices(RECEIPT_ALPHABET, k=size))
        seen.add(
            "-".join(chars[i : i + RECEIPT_GROUP_SIZE] for i in range(0, size, RECEIPT_GROUP_SIZE))
        )
    codes = list(seen)
    rng.shuffle(codes)
    return codes


class Builder:
    def __init__(self, scale: float, echo: Callable[[str], None]) -> None:
        self.size = sizes(scale)
        self.echo = echo
        self.rng = random.Random(f"echelle-{scale}")
        self.now = utcnow()
        self.start = self.now - timedelta(days=400)

    def moment(self, n: int, total: int, span_days: int = 380) -> datetime:
        """The n-th of `total` events spread over the story's months, oldest first."""
        return self.start + timedelta(seconds=span_days * 86_400 * n / max(1, total))

    # --- places and people --------------------------------------------------------------

    def organisation(self) -> None:
        org = Organisation(
            slug=ORGANISATION_SLUG, name=ORGANISATION_NAME, kind=OrganisationKind.LANDLORD
        )
        db.session.add(org)
        db.session.flush()
        self.org_id = org.id
        rows = [
            {
                "organisation_id": org.id,
                "name": f"Résidence {WORDS[n % len(WORDS)].capitalize()} {n + 1}",
                "city": CITIES[n % len(CITIES)],
                "quartier": f"Quartier {n % 12 + 1}",
            }
            for n in range(self.size.residences)
        ]
        db.session.execute(insert(Residence), rows)
        self.residence_ids = list(
            db.session.scalars(
                select(Residence.id).where(Residence.organisation_id == org.id).order_by("id")
            )
        )

    def accounts(self) -> None:
        """One landlord manager, then tenants; one password hash for all (the demo's)."""
        password_hash = hash_password(DEMO_PASSWORD)
        total = self.size.accounts + 1
        rng = self.rng

        def rows() -> Iterator[dict[str, Any]]:
            for n in range(total):
                manager = n == 0
                yield {
                    "email": MANAGER_EMAIL if manager else EMAIL.format(number=n),
                    "display_name": (
                        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
                        if not manager
                        else "Gestion Région à l'échelle"
                    ),
                    "password_hash": password_hash,
                    "role": Role.BAILLEUR if manager else Role.TENANT,
                    "organisation_id": self.org_id,
                    "residence_id": None
                    if manager
                    else self.residence_ids[n % len(self.residence_ids)],
                    "locale": "fr",
                    "active": True,
                    "email_verified": True,
                    "created_at": self.moment(n, total, 300),
                }

        _bulk(User, "Comptes", total, rows())
        ids = list(
            db.session.scalars(
                select(User.id)
                .where(User.organisation_id == self.org_id, User.role == Role.TENANT)
                .order_by(User.id)
            )
        )
        self.tenant_ids = ids

    # --- challenges and ideas -----------------------------------------------------------

    def challenges(self) -> None:
        days = timedelta(days=1)
        self.ideation_ids: list[int] = []
        for n in range(self.size.ideation_challenges):
            opened = self.now - (60 - n) * days
            challenge = self._challenge(
                f"echelle-defi-{n + 1}",
                f"Défi à l'échelle n° {n + 1} : {WORDS[n % len(WORDS)]}",
                Phase.IDEATION,
                ideation_starts_at=opened,
                ideation_ends_at=self.now + 60 * days,
                published_at=opened,
            )
            self.ideation_ids.append(challenge.id)
        opened = self.now - 40 * days
        votes = {}
        for slug, title in (
            (CLOSED_VOTE_SLUG, "Le grand vote à l'échelle (clos)"),
            (OPEN_VOTE_SLUG, "Le grand vote à l'échelle (ouvert)"),
        ):
            votes[slug] = self._challenge(
                slug,
                title,
                Phase.VOTING,
                ideation_starts_at=opened,
                ideation_ends_at=opened + 20 * days,
                review_ends_at=opened + 30 * days,
                voting_starts_at=self.now - 10 * days,
                voting_ends_at=self.now + 10 * days,
                published_at=opened,
            )
        self.votes = votes
        db.session.flush()

    def _challenge(self, slug: str, title: str, phase: Phase, **dates: datetime) -> Challenge:
        challenge = Challenge(
            slug=slug,
            title=title,
            summary="Un défi de l'installation générée, pour mesurer la plateforme à grande taille.",
            description_source="Un défi généré par `flask seed-demo --scale`.",
            description_html="<p>Un défi généré par <code>flask seed-demo --scale</code>.</p>",
            organisation_id=self.org_id,
            phase=phase,
            premoderation=True,
            created_at=dates["published_at"],
            updated_at=dates["published_at"],
            **dates,
        )
        db.session.add(challenge)
        db.session.flush()
        return challenge

    def ideas(self) -> None:
        """The vote challenges get their 20 retained ideas, the others share the rest."""
        rng = self.rng
        size = self.size
        plan: list[tuple[int, IdeaStatus]] = []
        for challenge in self.votes.values():
            plan += [(challenge.id, IdeaStatus.SHORTLISTED)] * RANKS
        rest = size.ideas - len(plan)
        for n in range(rest):
            challenge_id = self.ideation_ids[n % len(self.ideation_ids)]
            # One in 25 waits for moderation, one in 97 is hidden after reports.
            plan.append(
                (challenge_id, IdeaStatus.SUBMITTED if n % 25 == 0 else IdeaStatus.PUBLISHED)
            )
        total = len(plan)

        def rows() -> Iterator[dict[str, Any]]:
            for n, (challenge_id, status) in enumerate(plan):
                body = " ".join(_sentence(rng, 14) for _ in range(rng.randint(2, 8)))
                created = self.moment(n, total, 330)
                hidden = status == IdeaStatus.PUBLISHED and n % 97 == 0
                yield {
                    "challenge_id": challenge_id,
                    "author_id": rng.choice(self.tenant_ids),
                    "title": _sentence(rng, rng.randint(3, 8))[:120],
                    "summary": _sentence(rng, rng.randint(10, 25))[:300],
                    "body_source": body,
                    "body_html": f"<p>{body}</p>",
                    "body_text": body,
                    "residence_id": rng.choice(self.residence_ids),
                    "status": status,
                    "hidden_at": created + timedelta(days=1) if hidden else None,
                    "hidden_reason": "Masquée après signalements." if hidden else None,
                    "created_at": created,
                    "submitted_at": created,
                    "published_at": None
                    if status == IdeaStatus.SUBMITTED
                    else created + timedelta(hours=3),
                }

        _bulk(Idea, "Idées", total, rows())
        self.public_ideas = [
            (idea_id, published_at or self.now)
            for idea_id, published_at in db.session.execute(
                select(Idea.id, Idea.published_at)
                .join(Challenge)
                .where(
                    Challenge.organisation_id == self.org_id,
                    Idea.status.in_([IdeaStatus.PUBLISHED, IdeaStatus.SHORTLISTED]),
                    Idea.hidden_at.is_(None),
                )
                .order_by(Idea.id)
            )
        ]

    # --- what people did with the ideas -------------------------------------------------

    def supports(self) -> dict[int, int]:
        rng = self.rng
        counts = _skewed(rng, self.size.supports, len(self.public_ideas), len(self.tenant_ids))
        total = sum(counts)

        def rows() -> Iterator[dict[str, Any]]:
            for (idea_id, published), count in zip(self.public_ideas, counts, strict=True):
                for user_id in rng.sample(self.tenant_ids, count):
                    yield {
                        "idea_id": idea_id,
                        "user_id": user_id,
                        "created_at": published + timedelta(minutes=rng.randrange(1, 40_000)),
                    }

        _bulk(Support, "Soutiens", total, rows())
        return {idea_id: c for (idea_id, _p), c in zip(self.public_ideas, counts, strict=True)}

    def comments(self) -> dict[int, int]:
        rng = self.rng
        counts = _skewed(rng, self.size.comments, len(self.public_ideas), 10**9)
        total = sum(counts)

        def rows() -> Iterator[dict[str, Any]]:
            for (idea_id, published), count in zip(self.public_ideas, counts, strict=True):
                for _ in range(count):
                    text = _sentence(rng, rng.randint(6, 30))
                    yield {
                        "idea_id": idea_id,
                        "author_id": rng.choice(self.tenant_ids),
                        "body_source": text,
                        "body_html": f"<p>{text}</p>",
                        "created_at": published + timedelta(minutes=rng.randrange(1, 40_000)),
                    }

        _bulk(Comment, "Commentaires", total, rows())
        return {idea_id: c for (idea_id, _p), c in zip(self.public_ideas, counts, strict=True)}

    def counters(self, supports: dict[int, int], comments: dict[int, int]) -> None:
        """The ideas' counters, equal to the rows just written (ideas without any keep 0)."""
        rows = [
            {
                "id": idea_id,
                "supports_count": supports[idea_id],
                "comments_count": comments[idea_id],
            }
            for idea_id in supports
            if supports[idea_id] or comments[idea_id]
        ]
        # The ORM's bulk UPDATE by primary key: one executemany per batch.
        statement = update(Idea)
        started = time.perf_counter()
        with click.progressbar(length=len(rows), label="Compteurs".ljust(20)) as bar:
            for batch in _batches(rows):
                db.session.execute(statement, batch)
                bar.update(len(batch))
        click.echo(f"  Compteurs : {len(rows)} idées en {time.perf_counter() - started:.1f} s")

    # --- the two votes ------------------------------------------------------------------

    def ballots(self) -> None:
        rng = self.rng
        count = self.size.ballots
        voters = self.tenant_ids[:count]
        for slug, challenge in self.votes.items():
            ids = list(
                db.session.scalars(
                    select(Idea.id).where(Idea.challenge_id == challenge.id).order_by(Idea.id)
                )
            )
            # Preferences lean towards a few ideas, so the result tells a story. Drawing
            # a weighted order per voter costs seconds at 100,000 ballots: the voters
            # pick among a pool of rankings drawn that way instead (same distribution).
            weights = [1.0 + (len(ids) - n) * 0.6 for n in range(len(ids))]
            pool = [
                [
                    [idea_id]
                    for _key, idea_id in sorted(
                        (-w * rng.random(), i) for i, w in zip(ids, weights, strict=True)
                    )
                ]
                for _ in range(min(count, RANKING_POOL))
            ]
            receipts = _receipts(count)
            start = challenge.voting_starts_at or self.now

            def rows(
                pool: Sequence[list[list[int]]] = pool,
                receipts: Sequence[str] = receipts,
                start: datetime = start,
                challenge_id: int = challenge.id,
            ) -> Iterator[dict[str, Any]]:
                picks = rng.choices(pool, k=count)
                for n, voter_id in enumerate(voters):
                    cast = start + timedelta(seconds=n * 5)
                    yield {
                        "challenge_id": challenge_id,
                        "voter_id": voter_id,
                        "ranking": picks[n],
                        "receipt": receipts[n],
                        "created_at": cast,
                        "updated_at": cast,
                    }

            label = "Bulletins (clos)" if slug == CLOSED_VOTE_SLUG else "Bulletins (ouvert)"
            _bulk(Ballot, label, count, rows())

    def close(self) -> VoteResult | None:
        """The first vote is counted by the real close, as the button would."""
        from ideation.voting.services import close_vote

        challenge = self.votes[CLOSED_VOTE_SLUG]
        db.session.flush()
        return close_vote(challenge)


def scaled_installation_exists() -> bool:
    return (
        db.session.scalar(select(Organisation.id).where(Organisation.slug == ORGANISATION_SLUG))
        is not None
    )


def seed_scale(scale: float, echo: Callable[[str], None] = click.echo) -> Sizes | None:
    """Build the generated installation (in one transaction); None if it already exists."""
    if scaled_installation_exists():
        return None
    started = time.perf_counter()
    builder = Builder(scale, echo)
    size = builder.size
    echo(
        f"Installation à l'échelle {scale:g} : {size.accounts} comptes, {size.ideas} idées, "
        f"{size.supports} soutiens, {size.comments} commentaires, "
        f"2 votes de {size.ballots} bulletins × {RANKS}."
    )
    builder.organisation()
    builder.accounts()
    builder.challenges()
    builder.ideas()
    supports = builder.supports()
    comments = builder.comments()
    builder.counters(supports, comments)
    builder.ballots()
    db.session.flush()
    step = time.perf_counter()
    echo("Clôture du premier vote (close_vote)…")
    builder.close()
    echo(f"  vote clos en {time.perf_counter() - step:.1f} s")
    db.session.commit()
    echo(f"Installation à l'échelle prête en {time.perf_counter() - started:.1f} s.")
    return size
