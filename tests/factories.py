"""Builders for test data. Default texts carry hostile HTML so escaping is always exercised."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from ideation.auth.models import User
from ideation.db_types import utcnow
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.orgs.models import Invitation, Organisation, Residence

DEFAULT_PASSWORD = "un mot de passe de test solide"
HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>'

_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _n() -> int:
    return next(_seq)


def make_org(
    name: str | None = None,
    *,
    kind: OrganisationKind = OrganisationKind.LANDLORD,
    slug: str | None = None,
) -> Organisation:
    n = _n()
    org = Organisation(
        name=name or f"Bailleur {n} {HOSTILE}", slug=slug or f"bailleur-{n}", kind=kind
    )
    db.session.add(org)
    db.session.flush()
    return org


def make_regional() -> Organisation:
    return make_org("Association régionale", kind=OrganisationKind.REGIONAL)


def make_residence(
    org: Organisation | None = None, name: str | None = None, city: str = "Villeurbanne"
) -> Residence:
    n = _n()
    residence = Residence(
        organisation=org or make_org(),
        name=name or f"Résidence {n} {HOSTILE}",
        city=city,
        quartier="Centre",
    )
    db.session.add(residence)
    db.session.flush()
    return residence


def make_user(
    role: str | Role = Role.TENANT,
    *,
    org: Organisation | None = None,
    residence: Residence | None = None,
    email: str | None = None,
    display_name: str | None = None,
    password: str = DEFAULT_PASSWORD,
    active: bool = True,
    verified: bool = True,
    created_at: datetime | None = None,
) -> User:
    """A confirmed account a month old by default, so it may take part and its reports
    count toward hiding (issue 10); pass verified=False or a recent created_at to test
    the refusals."""
    n = _n()
    role = Role(role)
    if org is None:
        org = make_regional() if role in {Role.ADMIN, Role.FACILITATOR} else make_org()
    user = User(
        email=email or f"user{n}@example.test",
        display_name=display_name or f"Participant {n} {HOSTILE}",
        role=role,
        organisation=org,
        residence=residence,
        active=active,
        email_verified=verified,
        created_at=created_at or utcnow() - timedelta(days=30),
    )
    # scrypt is slow on purpose: hash each distinct test password once.
    if password not in _hash_cache:
        user.set_password(password)
        _hash_cache[password] = user.password_hash
    user.password_hash = _hash_cache[password]
    db.session.add(user)
    db.session.flush()
    return user


def make_invitation(
    org: Organisation | None = None,
    *,
    code: str | None = None,
    role: Role = Role.TENANT,
    max_uses: int = 10,
    uses: int = 0,
    days: int = 30,
    active: bool = True,
    residence: Residence | None = None,
) -> Invitation:
    invitation = Invitation(
        code=code or f"CODE{_n():06d}",
        organisation=org or make_org(),
        residence=residence,
        role=role,
        expires_at=utcnow() + timedelta(days=days),
        max_uses=max_uses,
        uses=uses,
        active=active,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


# --- challenges and ideas -----------------------------------------------------------


def make_theme(name: str | None = None):
    from ideation.challenges.models import Theme

    n = _n()
    theme = Theme(slug=f"theme-{n}", name=name or f"Thème {n} {HOSTILE}", position=n)
    db.session.add(theme)
    db.session.flush()
    return theme


def make_edition(name: str | None = None, **fields):
    """An edition of the Fabrique, its texts hostile (sanitised like a facilitator's)."""
    from ideation.core.sanitize import render_markdown
    from ideation.fabrique.models import Edition

    n = _n()
    source = f"Le **programme** {HOSTILE}"
    edition = Edition(
        slug=f"edition-{n}",
        name=name or f"Fabrique {2000 + n} {HOSTILE}"[:80],
        place=fields.pop("place", f"Lieu {HOSTILE}"[:160]),
        description_source=source,
        description_html=render_markdown(source),
        programme_source=source,
        programme_html=render_markdown(source),
        **fields,
    )
    db.session.add(edition)
    db.session.flush()
    return edition


def make_house(edition=None, name: str | None = None, facilitators=(), partners=(), **fields):
    """A house (maison) of an edition (a new one unless given)."""
    from ideation.fabrique.models import House

    n = _n()
    house = House(
        slug=f"maison-{n}",
        name=name or f"Maison {n} {HOSTILE}"[:120],
        position=n,
        edition=edition or make_edition(),
        description_source="",
        description_html="",
        **fields,
    )
    house.facilitators = list(facilitators)
    house.partners = list(partners)
    db.session.add(house)
    db.session.flush()
    return house


def make_challenge(
    *,
    phase: str = "ideation",
    org: Organisation | None = None,
    title: str | None = None,
    premoderation: bool = True,
    residences: list[Residence] | None = None,
    theme=None,
    slug: str | None = None,
    edition=None,
    **dates,
):
    """A challenge (regional when org is None), in the ideation phase by default."""
    from ideation.challenges.models import Challenge
    from ideation.core.sanitize import render_markdown
    from ideation.domain.challenge_phases import Phase

    n = _n()
    source = f"Décrivez **votre** idée. {HOSTILE} [lien](javascript:alert(1)) {{{{7*7}}}}"
    challenge = Challenge(
        slug=slug or f"defi-{n}",
        title=title or f"Défi {n} {HOSTILE}",
        summary=f"Résumé du défi {n} {HOSTILE}",
        description_source=source,
        description_html=render_markdown(source),
        organisation=org,
        phase=Phase(phase),
        premoderation=premoderation,
        theme=theme,
        edition=edition,
        **dates,
    )
    challenge.residences = residences or []
    db.session.add(challenge)
    db.session.flush()
    return challenge


def make_idea(
    challenge=None,
    author: User | None = None,
    *,
    status: str = "published",
    title: str | None = None,
    summary: str | None = None,
    body: str | None = None,
    theme=None,
    residence: Residence | None = None,
    supports_count: int = 0,
):
    from ideation.core.sanitize import plain_text, render_markdown
    from ideation.domain.idea_states import IdeaStatus
    from ideation.ideas.models import Idea

    n = _n()
    challenge = challenge or make_challenge()
    author = author or make_user(org=challenge.organisation)
    body = body if body is not None else f"Le corps de l'idée {n}. {HOSTILE} {{{{7*7}}}}"
    html = render_markdown(body)
    now = utcnow()
    idea = Idea(
        challenge=challenge,
        author_id=author.id,
        title=title or f"Idée {n} {HOSTILE}",
        summary=summary or f"Résumé de l'idée {n} {HOSTILE}",
        body_source=body,
        body_html=html,
        body_text=plain_text(html),
        status=IdeaStatus(status),
        theme=theme,
        residence=residence,
        supports_count=supports_count,
        submitted_at=None if status == "draft" else now,
        published_at=now if status not in {"draft", "submitted", "rejected", "withdrawn"} else None,
    )
    db.session.add(idea)
    db.session.flush()
    return idea


def make_support(idea, user: User | None = None):
    from ideation.ideas.models import Support

    user = user or make_user()
    db.session.add(Support(idea_id=idea.id, user_id=user.id))
    idea.supports_count += 1
    db.session.flush()
    return user


# --- ranked vote ----------------------------------------------------------------------


def make_ballot(challenge, voter: User | None = None, ranking=None, *, receipt: str | None = None):
    """A stored ballot; `ranking` is a list of ideas (or ids, or lists of them for ties)."""
    from ideation.voting.models import Ballot
    from ideation.voting.services import new_receipt

    voter = voter or make_user(org=challenge.organisation)
    groups = []
    for item in ranking or []:
        members = item if isinstance(item, list | tuple) else [item]
        groups.append([getattr(m, "id", m) for m in members])
    ballot = Ballot(
        challenge_id=challenge.id,
        voter_id=voter.id,
        ranking=groups,
        receipt=receipt or new_receipt(),
    )
    db.session.add(ballot)
    db.session.flush()
    return ballot


# --- comments, reports, moderation (issue 4) ---------------------------------------------


def make_comment(
    idea, author: User | None = None, *, body: str | None = None, parent=None, created_at=None
):
    """A comment (or a reply, with `parent`); the idea's counter is recounted."""
    from ideation.comments.models import Comment
    from ideation.comments.services import recount
    from ideation.core.sanitize import render_markdown

    author = author or make_user(org=idea.challenge.organisation)
    body = body if body is not None else f"Un commentaire {_n()} {HOSTILE}"
    comment = Comment(
        idea_id=idea.id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        body_source=body,
        body_html=render_markdown(body),
        created_at=created_at or utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    recount(idea.id)
    db.session.refresh(idea, ["comments_count"])
    return comment


def make_report(target, reporter: User | None = None, *, reason: str = "spam", details: str = ""):
    """An open report on an idea or a comment (no threshold logic: use the service for that)."""
    from ideation.comments.models import Comment
    from ideation.moderation.models import Report, ReportReason

    reporter = reporter or make_user()
    is_comment = isinstance(target, Comment)
    report = Report(
        idea_id=None if is_comment else target.id,
        comment_id=target.id if is_comment else None,
        reporter_id=reporter.id,
        reason=ReportReason(reason),
        details=details,
    )
    db.session.add(report)
    db.session.flush()
    return report


# --- pilots ---------------------------------------------------------------------------


def make_pilot(
    org: Organisation | None = None,
    *,
    idea=None,
    status: str = "proposed",
    title: str | None = None,
    owner: User | None = None,
    residences: list[Residence] | None = None,
    planned_start=None,
    planned_end=None,
    budget_planned: str = "1000.00",
    budget_spent: str = "0.00",
    progress: int = 0,
    house=None,
    edition=None,
    adopted_from=None,
):
    """A pilot of `org` (promoted from a new selected idea unless one is given)."""
    from decimal import Decimal

    from ideation.domain.idea_states import IdeaStatus
    from ideation.domain.pilot_states import PilotStatus
    from ideation.pilots.models import Pilot, PilotIdea

    n = _n()
    org = org or make_org()
    if idea is None:
        challenge = make_challenge(phase="results", org=org)
        idea = make_idea(challenge, make_user(org=org), status="piloted")
    else:
        idea.status = IdeaStatus.PILOTED
    pilot = Pilot(
        organisation_id=org.id,
        idea_id=idea.id,
        challenge_id=idea.challenge_id,
        owner_id=owner.id if owner else None,
        title=title or f"Projet {n} {HOSTILE}",
        description_source="Un projet.",
        description_html="<p>Un projet.</p>",
        status=PilotStatus(status),
        progress=progress,
        planned_start=planned_start,
        planned_end=planned_end,
        budget_planned=Decimal(budget_planned),
        budget_spent=Decimal(budget_spent),
        # As promotion does: the idea's house, else its challenge's; the challenge's edition.
        house=house or idea.theme or idea.challenge.theme,
        edition=edition or idea.challenge.edition,
        adopted_from=adopted_from,
    )
    pilot.residences = residences or []
    db.session.add(pilot)
    db.session.flush()
    db.session.add(PilotIdea(pilot_id=pilot.id, idea_id=idea.id))
    db.session.flush()
    return pilot


def make_indicator(
    pilot,
    name: str | None = None,
    unit: str = "%",
    baseline: str | None = "10",
    target: str | None = "50",
):
    from decimal import Decimal

    from ideation.pilots.models import Indicator

    indicator = Indicator(
        pilot_id=pilot.id,
        name=name or f"Indicateur {_n()} {HOSTILE}",
        unit=unit,
        baseline=Decimal(baseline) if baseline else None,
        target=Decimal(target) if target else None,
    )
    db.session.add(indicator)
    db.session.flush()
    return indicator


# --- notifications and followers (privacy export and erasure) ------------------------------


def make_notification(
    user: User,
    *,
    title: str | None = None,
    kind: str = "idea_published",
    link: str = "/",
    body: str = "",
):
    from ideation.notifications.models import Notification, NotificationKind

    note = Notification(
        user_id=user.id,
        kind=NotificationKind(kind),
        title=title or f"Notification {_n()}",
        link=link,
        body=body,
    )
    db.session.add(note)
    db.session.flush()
    return note


def make_follower(pilot, user: User):
    from ideation.pilots.models import PilotFollower

    follower = PilotFollower(pilot_id=pilot.id, user_id=user.id)
    db.session.add(follower)
    db.session.flush()
    return follower


def make_workshop(
    *,
    title: str | None = None,
    capacity: int = 10,
    starts_in: timedelta = timedelta(days=3),
    hours: int = 2,
    residence: Residence | None = None,
    address: str = "",
    hosts=(),
    challenges=(),
    house=None,
    edition=None,
    created_by: User | None = None,
):
    """A workshop (in three days by default), its description hostile, in a residence's
    common room unless an address is given."""
    from ideation.core.sanitize import render_markdown
    from ideation.workshops.models import Workshop

    n = _n()
    if residence is None and not address:
        residence = make_residence()
    source = f"On parle **jardin**. {HOSTILE}"
    start = (utcnow() + starts_in).replace(microsecond=0)
    workshop = Workshop(
        title=title or f"Atelier {n} {HOSTILE}"[:160],
        description_source=source,
        description_html=render_markdown(source),
        residence=residence,
        room="Salle commune" if residence is not None else "",
        address=address,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        registered_count=0,
        house=house,
        edition=edition,
        created_by_id=created_by.id if created_by else None,
    )
    workshop.hosts = list(hosts)
    workshop.challenges = list(challenges)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def make_registration(workshop, user: User | None = None, status: str = "registered"):
    """A registration written directly (the counter kept right for places held)."""
    from ideation.domain.workshops import HOLDS_PLACE, RegistrationStatus
    from ideation.workshops.models import WorkshopRegistration

    status_value = RegistrationStatus(status)
    registration = WorkshopRegistration(
        workshop_id=workshop.id, user_id=(user or make_user()).id, status=status_value
    )
    db.session.add(registration)
    if status_value in HOLDS_PLACE:
        workshop.registered_count += 1
    db.session.flush()
    return registration
