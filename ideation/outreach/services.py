"""Messages to a scope: who may write to whom, who receives it, and the job that sends it.

A scope is a kind (domain.outreach.ScopeKind) and ids. Each kind is one entry of
`SCOPES`: what the writer may choose, the server-side check, the members query and a
label. Adding a kind (a house of an edition) is one enum value and one entry here.

Recipients are always computed by a query (`recipients`), counted before sending and
selected again by the job, which writes notifications and e-mails in bulk
(notifications.services.notify_bulk / newsletter_bulk).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, Select, func, select, union, update

from ideation.auth.models import ERASED_DOMAIN, User
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.core.audit import audit
from ideation.core.queue import enqueue_after_commit, task
from ideation.db_types import utcnow
from ideation.domain import permissions as rules
from ideation.domain.challenge_phases import Phase
from ideation.domain.outreach import BODY_MAX, SUBJECT_MAX, MessageKind, ScopeKind
from ideation.domain.roles import OrganisationKind
from ideation.extensions import db
from ideation.fabrique.models import House
from ideation.ideas.models import Idea, Support
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import newsletter_bulk, notify_bulk
from ideation.orgs.models import Organisation, Residence
from ideation.outreach.models import Message
from ideation.voting.models import Ballot

__all__ = ["BODY_MAX", "SUBJECT_MAX"]


@dataclass(frozen=True)
class ScopeSpec:
    """One kind of scope: how to offer it, check it, find its members and name it."""

    label: Any  # a lazy string
    choices: Callable[[rules.Actor], list[tuple[int, str]]]
    allowed: Callable[[rules.Actor, Sequence[int]], bool]
    members: Callable[[Sequence[int]], Select]  # select(user id) of the scope's people
    describe: Callable[[Sequence[int]], str]
    organisation: Callable[[Sequence[int]], int | None]


# --- organisation -----------------------------------------------------------------------


def _organisations(actor: rules.Actor) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return [(o.id, o.name) for o in rows if rules.can_message_organisation(actor, o.id)]


def _organisation_allowed(actor: rules.Actor, ids: Sequence[int]) -> bool:
    return (
        len(ids) == 1
        and db.session.get(Organisation, ids[0]) is not None
        and rules.can_message_organisation(actor, ids[0])
    )


def _organisation_members(ids: Sequence[int]) -> Select:
    return select(User.id).where(User.organisation_id.in_(list(ids)))


def _organisation_name(ids: Sequence[int]) -> str:
    org = db.session.get(Organisation, ids[0])
    return org.name if org else ""


# --- residences ---------------------------------------------------------------------------


def _residences(actor: rules.Actor) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Residence.id, Residence.name, Residence.city, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.id == Residence.organisation_id)
        .where(Organisation.kind == OrganisationKind.LANDLORD)
        .order_by(Organisation.name, Residence.name)
    )
    return [
        (rid, f"{name} ({city}) — {org_name}")
        for rid, name, city, org_id, org_name in rows
        if rules.can_message_organisation(actor, org_id)
    ]


def _residence_organisations(ids: Sequence[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(Residence.organisation_id).where(Residence.id.in_(list(ids))).distinct()
        )
    )


def _residences_allowed(actor: rules.Actor, ids: Sequence[int]) -> bool:
    if not ids:
        return False
    found = db.session.scalar(
        select(func.count()).select_from(Residence).where(Residence.id.in_(list(ids)))
    )
    if found != len(set(ids)):
        return False
    return all(rules.can_message_organisation(actor, o) for o in _residence_organisations(ids))


def _residence_members(ids: Sequence[int]) -> Select:
    return select(User.id).where(User.residence_id.in_(list(ids)))


def _residence_names(ids: Sequence[int]) -> str:
    names = db.session.scalars(
        select(Residence.name).where(Residence.id.in_(list(ids))).order_by(Residence.name)
    )
    return ", ".join(names)


def _residences_organisation(ids: Sequence[int]) -> int | None:
    orgs = _residence_organisations(ids)
    return next(iter(orgs)) if len(orgs) == 1 else None


# --- the participants of a challenge --------------------------------------------------------


def _challenges(actor: rules.Actor) -> list[tuple[int, str]]:
    rows = db.session.scalars(
        select(Challenge).where(Challenge.phase != Phase.DRAFT).order_by(Challenge.title)
    )
    return [(c.id, c.title) for c in rows if rules.can_message_challenge(actor, c.scope)]


def _challenge_allowed(actor: rules.Actor, ids: Sequence[int]) -> bool:
    if len(ids) != 1:
        return False
    challenge = db.session.get(Challenge, ids[0])
    return challenge is not None and rules.can_message_challenge(actor, challenge.scope)


def _challenge_members(ids: Sequence[int]) -> Select:
    """Whoever took part: wrote an idea, supported, commented or voted in the challenge."""
    challenge_id = ids[0]
    ideas = select(Idea.id).where(Idea.challenge_id == challenge_id)
    people = union(
        select(Idea.author_id.label("uid")).where(Idea.challenge_id == challenge_id),
        select(Support.user_id).where(Support.idea_id.in_(ideas)),
        select(Comment.author_id).where(Comment.idea_id.in_(ideas)),
        select(Ballot.voter_id).where(Ballot.challenge_id == challenge_id),
    ).subquery()
    return select(User.id).where(User.id.in_(select(people.c.uid)))


def _challenge_title(ids: Sequence[int]) -> str:
    challenge = db.session.get(Challenge, ids[0])
    return challenge.title if challenge else ""


def _challenge_organisation(ids: Sequence[int]) -> int | None:
    challenge = db.session.get(Challenge, ids[0])
    return challenge.organisation_id if challenge else None


# --- the participants of a house (all its challenges) ------------------------------------


def _house_rule(actor: rules.Actor, house: House) -> bool:
    return rules.can_message_house(actor, frozenset(u.id for u in house.facilitators))


def _houses(actor: rules.Actor) -> list[tuple[int, str]]:
    rows = db.session.scalars(select(House).order_by(House.name))
    return [(h.id, h.name) for h in rows if _house_rule(actor, h)]


def _house_allowed(actor: rules.Actor, ids: Sequence[int]) -> bool:
    if len(ids) != 1:
        return False
    house = db.session.get(House, ids[0])
    return house is not None and _house_rule(actor, house)


def _house_members(ids: Sequence[int]) -> Select:
    """Whoever took part in one of the house's challenges (as for a challenge)."""
    challenges = select(Challenge.id).where(Challenge.theme_id == ids[0])
    ideas = select(Idea.id).where(Idea.challenge_id.in_(challenges))
    people = union(
        select(Idea.author_id.label("uid")).where(Idea.challenge_id.in_(challenges)),
        select(Support.user_id).where(Support.idea_id.in_(ideas)),
        select(Comment.author_id).where(Comment.idea_id.in_(ideas)),
        select(Ballot.voter_id).where(Ballot.challenge_id.in_(challenges)),
    ).subquery()
    return select(User.id).where(User.id.in_(select(people.c.uid)))


def _house_name(ids: Sequence[int]) -> str:
    house = db.session.get(House, ids[0])
    return house.name if house else ""


SCOPES: dict[ScopeKind, ScopeSpec] = {
    ScopeKind.ORGANISATION: ScopeSpec(
        label=_l("Toute une organisation"),
        choices=_organisations,
        allowed=_organisation_allowed,
        members=_organisation_members,
        describe=_organisation_name,
        organisation=lambda ids: ids[0],
    ),
    ScopeKind.RESIDENCES: ScopeSpec(
        label=_l("Une ou plusieurs résidences"),
        choices=_residences,
        allowed=_residences_allowed,
        members=_residence_members,
        describe=_residence_names,
        organisation=_residences_organisation,
    ),
    ScopeKind.CHALLENGE: ScopeSpec(
        label=_l("Les participant·es d'un défi"),
        choices=_challenges,
        allowed=_challenge_allowed,
        members=_challenge_members,
        describe=_challenge_title,
        organisation=_challenge_organisation,
    ),
    ScopeKind.HOUSE: ScopeSpec(
        label=_l("Les participant·es d'une maison"),
        choices=_houses,
        allowed=_house_allowed,
        members=_house_members,
        describe=_house_name,
        organisation=lambda ids: None,  # a house is the whole Fabrique's, no one landlord's
    ),
}

KIND_LABELS = {
    MessageKind.SERVICE: _l("Message de service (selon les préférences de chacun·e)"),
    MessageKind.NEWSLETTER: _l("Lettre d'information (seulement aux abonné·es, par e-mail)"),
}


# --- recipients -----------------------------------------------------------------------------


def may_send(actor: rules.Actor, scope_kind: ScopeKind, ids: Sequence[int]) -> bool:
    """The server-side check: the scope exists and the actor manages it."""
    spec = SCOPES.get(scope_kind)
    return spec is not None and rules.can_write_messages(actor) and spec.allowed(actor, ids)


def recipients(scope_kind: ScopeKind, ids: Sequence[int], kind: MessageKind) -> Select:
    """select(user id) of who receives it: active, not erased members of the scope; for the
    newsletter, only those who opted in."""
    members = SCOPES[scope_kind].members(ids).subquery()
    query = select(User.id).where(
        User.id.in_(select(members.c.id)),
        User.active.is_(True),
        User.email.not_like(f"%@{ERASED_DOMAIN}"),
    )
    if kind == MessageKind.NEWSLETTER:
        query = query.where(User.newsletter_consent_at.is_not(None))
    return query


def count_recipients(scope_kind: ScopeKind, ids: Sequence[int], kind: MessageKind) -> int:
    """How many people would receive it, in one query."""
    sub = recipients(scope_kind, ids, kind).subquery()
    return db.session.scalar(select(func.count()).select_from(sub)) or 0


# --- writing and sending --------------------------------------------------------------------


def create_message(
    author: User,
    *,
    kind: MessageKind,
    scope_kind: ScopeKind,
    ids: Sequence[int],
    subject: str,
    body: str,
) -> Message:
    """Store the message, journal it and queue its sending (after the commit)."""
    spec = SCOPES[scope_kind]
    message = Message(
        author_id=author.id,
        kind=kind,
        scope_kind=scope_kind,
        scope_ids=sorted(set(ids)),
        scope_label=spec.describe(ids)[:300],
        organisation_id=spec.organisation(ids),
        subject=subject[:SUBJECT_MAX],
        body=body[:BODY_MAX],
    )
    db.session.add(message)
    db.session.flush()
    audit(
        author,
        "message.send",
        message,
        details={
            "kind": kind.value,
            "scope": scope_kind.value,
            "ids": message.scope_ids,
            "recipients": count_recipients(scope_kind, ids, kind),
        },
    )
    enqueue_after_commit(send_message, message.id)
    return message


def deliver(message_id: int) -> int | None:
    """Send a stored message once: claiming `sent_at` first, so a retried or doubled job
    sends nothing. Returns how many people it reached (None: already sent)."""
    claim = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.sent_at.is_(None))
        .values(sent_at=utcnow())
    )
    if (cast(CursorResult[Any], claim).rowcount or 0) != 1:
        return None
    message = db.session.get(Message, message_id)
    if message is None:
        return None
    ids = list(db.session.scalars(recipients(message.scope_kind, message.scope_ids, message.kind)))
    if message.kind == MessageKind.NEWSLETTER:
        reached = newsletter_bulk(ids, message.subject, message.body)
    else:
        subject, body = message.subject, message.body
        reached = notify_bulk(
            ids, NotificationKind.TEAM_MESSAGE, lambda: (subject, body), "/notifications"
        )
    message.recipients_count = reached
    db.session.flush()
    return reached


def sent_messages(actor: rules.Actor, limit: int = 50) -> list[Message]:
    """The latest messages the actor may read: all for those who write everywhere, else
    their organisation's and their own."""
    query = select(Message).order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    if not rules.moderates_everything(actor):
        query = query.where(
            (Message.organisation_id == actor.organisation_id) | (Message.author_id == actor.id)
        )
    return list(db.session.scalars(query))


# --------------------------------------------------------------------------- jobs


@task(retries=3, retry_delay=60)
def send_message(message_id: int) -> int | None:
    """Send a message to its scope in bulk (queued after the writer's commit; idempotent)."""
    reached = deliver(message_id)
    db.session.commit()
    return reached
