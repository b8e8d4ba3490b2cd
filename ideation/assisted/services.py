"""Assisted participation: open an account for a present tenant, print its card, let the
person take it over with the card's code, reset it in person; record ideas, supports and
comments at a workshop for present participants (or the workshop's own idea).

Every change is audited (core/audit.py). Entries go through the ideas' lifecycle, the
supports and the comments' services, so moderation and "Mes participations" see them as
the author's own.
"""

from __future__ import annotations

import secrets
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import joinedload

from ideation.assisted.models import AssistedAccount
from ideation.auth import services as auth_services
from ideation.auth.models import User, assisted_email, hash_password
from ideation.auth.sessions import end_every_session
from ideation.auth.tokens import claim_code_hash, new_claim_code
from ideation.challenges.models import Challenge
from ideation.comments.models import Comment
from ideation.comments.services import add_comment
from ideation.core.audit import audit
from ideation.core.loaders import or_404
from ideation.db_types import utcnow
from ideation.domain.assisted import CONSENT_WORDING, ON_BEHALF_WORDING
from ideation.domain.challenge_phases import Phase
from ideation.domain.workshops import HOLDS_PLACE
from ideation.extensions import db
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea, Support
from ideation.ideas.services import IdeaData, create_idea, set_support
from ideation.orgs.models import Organisation, Residence
from ideation.workshops.models import Workshop, WorkshopRegistration


class EmailTaken(Exception):
    """The address chosen at the claim already belongs to another account."""


# --- assisted accounts ----------------------------------------------------------------


def load_account(user_id: int) -> AssistedAccount:
    """An assisted account for a view: 404 if there is none."""
    return or_404(db.session.get(AssistedAccount, user_id))


def residence_choices(organisation_id: int | None) -> list[Residence]:
    if organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(Residence)
            .where(Residence.organisation_id == organisation_id)
            .order_by(Residence.name)
        )
    )


def organisation_for(actor: User, workshop: Workshop | None) -> Organisation | None:
    """The landlord the new account belongs to: the workshop's residence's, else the actor's."""
    if workshop is not None and workshop.residence is not None:
        return workshop.residence.organisation
    return actor.organisation


def _issue_code(account: AssistedAccount) -> str:
    code = new_claim_code()
    account.claim_hash = claim_code_hash(code)
    account.claim_issued_at = utcnow()
    return code


def create_assisted_account(
    host: User,
    *,
    display_name: str,
    organisation: Organisation,
    residence_id: int | None,
    phone: str,
    workshop: Workshop | None,
) -> tuple[User, str]:
    """The account of a present tenant without e-mail, verified in person, with the
    consent recorded; returns it and the claim code to print (never stored in clear)."""
    now = utcnow()
    user = auth_services.create_account(
        email=assisted_email(),
        display_name=display_name,
        password="",
        # Nobody knows this password: the account is taken over with the card's code.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        organisation=organisation,
        residence_id=residence_id,
        verified=True,  # no verification e-mail to the placeholder...
    )
    user.email_verified = False  # ...which was never confirmed: verified in person instead
    user.verified_in_person_at = now
    user.verified_by_id = host.id
    account = AssistedAccount(
        user_id=user.id,
        created_by_id=host.id,
        workshop_id=workshop.id if workshop else None,
        phone=phone,
        consent_wording=CONSENT_WORDING,
        consent_at=now,
    )
    code = _issue_code(account)
    db.session.add(account)
    db.session.flush()
    audit(
        host,
        "assisted.create",
        user,
        details={"workshop_id": account.workshop_id, "consent": CONSENT_WORDING},
    )
    return user, code


def reset_access(staff: User, account: AssistedAccount) -> str:
    """In person: a new claim code (the old one stops working), every session ended."""
    code = _issue_code(account)
    end_every_session(account.user)
    db.session.flush()
    audit(staff, "assisted.reset", account.user)
    return code


def find_claimable(code: str) -> AssistedAccount | None:
    if not code.strip():
        return None
    return db.session.scalar(
        select(AssistedAccount).where(AssistedAccount.claim_hash == claim_code_hash(code))
    )


def claim(account: AssistedAccount, email: str, password: str) -> User:
    """The person takes the account over: their address and password, the code used up
    (one conditional UPDATE: two claims at once, one wins). Raises EmailTaken."""
    address = auth_services.normalise_email(email)
    user = account.user
    if auth_services.find_user_by_email(address) not in (None, user):
        raise EmailTaken
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(AssistedAccount)
            .where(
                AssistedAccount.user_id == account.user_id,
                AssistedAccount.claim_hash == account.claim_hash,
                AssistedAccount.claim_hash.is_not(None),
            )
            .values(claim_hash=None, claimed_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    if not result.rowcount:
        raise LookupError("code already used")
    db.session.expire(account)
    user.email = address
    user.email_verified = False
    user.set_password(password)
    end_every_session(user)
    db.session.flush()
    auth_services.send_verification(user)
    audit(user, "assisted.claim", user)
    return user


# --- entries made at a workshop --------------------------------------------------------


def participants(workshop: Workshop) -> list[User]:
    """Who a host may enter something for: those holding a place (registered or checked
    in) and the assisted accounts opened at this workshop, by name."""
    registered = db.session.scalars(
        select(User)
        .join(WorkshopRegistration, WorkshopRegistration.user_id == User.id)
        .where(
            WorkshopRegistration.workshop_id == workshop.id,
            WorkshopRegistration.status.in_(HOLDS_PLACE),
        )
    )
    opened = db.session.scalars(
        select(User)
        .join(AssistedAccount, AssistedAccount.user_id == User.id)
        .where(AssistedAccount.workshop_id == workshop.id)
    )
    people = {u.id: u for u in [*registered, *opened] if u.active and not u.is_erased}
    return sorted(people.values(), key=lambda u: (u.display_name.casefold(), u.id))


def challenges_open(workshop: Workshop, now: Any) -> list[Challenge]:
    """The workshop's challenges that take ideas now."""
    return [c for c in workshop.challenges if c.current_phase(now) == Phase.IDEATION]


def enter_idea(
    host: User, workshop: Workshop, challenge: Challenge, author: User | None, data: IdeaData
) -> Idea:
    """An idea for a present participant (`author`), or the workshop's own (`author`
    None: the host holds it, so it keeps the lifecycle, moderation and their space)."""
    on_behalf = author is not None
    idea = create_idea(challenge, author if author is not None else host, data)
    idea.workshop_id = workshop.id
    idea.entered_by_id = host.id if on_behalf else None
    db.session.flush()
    lifecycle.send(idea, host)
    audit(
        host,
        "idea.on_behalf" if on_behalf else "idea.workshop",
        idea,
        details={
            "workshop_id": workshop.id,
            "for": author.id if author is not None else None,
            "consent": ON_BEHALF_WORDING if on_behalf else "",
        },
    )
    return idea


def enter_support(host: User, workshop: Workshop, idea: Idea, person: User) -> None:
    """The present participant backs the idea; the support records who entered it."""
    set_support(idea, person.id, True)
    db.session.execute(
        update(Support)
        .where(Support.idea_id == idea.id, Support.user_id == person.id)
        .values(entered_by_id=host.id, workshop_id=workshop.id)
        .execution_options(synchronize_session=False)
    )
    audit(
        host,
        "support.on_behalf",
        idea,
        details={"workshop_id": workshop.id, "for": person.id, "consent": ON_BEHALF_WORDING},
    )


def enter_comment(host: User, workshop: Workshop, idea: Idea, person: User, body: str) -> Comment:
    """A comment the present participant dictated, in their name."""
    comment = add_comment(idea, person, body)
    comment.entered_by_id = host.id
    comment.workshop_id = workshop.id
    db.session.flush()
    audit(
        host,
        "comment.on_behalf",
        comment,
        details={"workshop_id": workshop.id, "for": person.id, "consent": ON_BEHALF_WORDING},
    )
    return comment


def workshop_ideas(workshop: Workshop) -> list[Idea]:
    """The ideas entered at this workshop, newest first (for the hosts' entry page)."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(Idea.workshop_id == workshop.id)
            .options(joinedload(Idea.author))
            .order_by(Idea.id.desc())
        )
    )


def entry_origin(item: Any) -> dict | None:
    """What a byline adds to an entry made at a workshop: {"kind": "on_behalf", "host":
    User | None} or {"kind": "workshop", "workshop": Workshop}; None otherwise."""
    workshop_id = getattr(item, "workshop_id", None)
    if workshop_id is None:
        return None
    entered_by_id = getattr(item, "entered_by_id", None)
    if entered_by_id is not None:
        return {"kind": "on_behalf", "host": db.session.get(User, entered_by_id)}
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or not isinstance(item, Idea):
        return None
    return {"kind": "workshop", "workshop": workshop}
