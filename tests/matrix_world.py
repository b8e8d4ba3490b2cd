"""The objects the role × route matrix needs ids of. Each area adds what its routes need."""

from __future__ import annotations

from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from tests.factories import make_invitation, make_org, make_regional, make_residence, make_user


def build_world() -> dict:
    regional = make_regional()
    org = make_org("Rhône Habitat Test")
    residence = make_residence(org)
    other = make_user(role=Role.TENANT, org=org, residence=residence)
    invitation = make_invitation(org)
    partner = make_org("Compagnons Bâtisseurs Test", kind=OrganisationKind.PARTNER)
    world = {
        "partner": partner,
        "regional": regional,
        "org": org,
        "residence": residence,
        "other": other,
        "invitation": invitation,
    }
    for extend in WORLD_EXTENSIONS:
        extend(world)
    db.session.commit()
    return world


def user_for(role: str, world: dict):
    """The matrix's user of a role (None for a visitor): the tenant lives in the landlord's
    residence, staff and landlord managers work for it, facilitators and admins for the
    regional association, the partner's member for the partner."""
    if role == "visitor":
        return None
    if role == "partner":
        return make_user(role=Role.STAFF, org=world["partner"])
    org = world["regional"] if role in {"facilitator", "admin"} else world["org"]
    return make_user(
        role=Role(role), org=org, residence=world["residence"] if role == "tenant" else None
    )


# Areas append functions world -> None that add their objects (challenges, ideas...).
WORLD_EXTENSIONS: list = []


def _challenges_and_ideas(world: dict) -> None:
    """An open challenge of the landlord with a published, a pending and a draft idea,
    and a draft challenge nobody but its facilitators may see."""
    from tests.factories import make_challenge, make_idea

    challenge = make_challenge(phase="ideation", org=world["org"], slug="defi-ouvert")
    author = world["other"]
    world["challenge"] = challenge
    world["draft_challenge"] = make_challenge(
        phase="draft", org=world["org"], slug="defi-brouillon"
    )
    world["idea"] = make_idea(challenge, author, status="published")
    world["pending_idea"] = make_idea(challenge, author, status="submitted")
    world["draft_idea"] = make_idea(challenge, author, status="draft")


WORLD_EXTENSIONS.append(_challenges_and_ideas)


def _votes(world: dict) -> None:
    """A vote in progress (two shortlisted ideas) and a closed one with its result."""
    from ideation.voting.services import close_vote
    from tests.factories import make_ballot, make_challenge, make_idea

    author = world["other"]
    open_vote = make_challenge(phase="voting", org=world["org"], slug="defi-vote")
    world["vote_challenge"] = open_vote
    world["vote_ideas"] = [make_idea(open_vote, author, status="shortlisted") for _ in range(2)]
    closed = make_challenge(phase="voting", org=world["org"], slug="defi-resultats")
    ideas = [make_idea(closed, author, status="shortlisted") for _ in range(3)]
    world["receipt"] = make_ballot(closed, author, ideas[::-1]).receipt
    close_vote(closed)
    world["results_challenge"] = closed


WORLD_EXTENSIONS.append(_votes)


def _comments(world: dict) -> None:
    """A comment by `other` on the published idea (reply, edit, report, moderate)."""
    from ideation.comments.models import Comment

    comment = Comment(
        idea_id=world["idea"].id,
        author_id=world["other"].id,
        body_source="Bonjour",
        body_html="<p>Bonjour</p>",
    )
    db.session.add(comment)
    db.session.flush()
    world["comment"] = comment


WORLD_EXTENSIONS.append(_comments)


def _pilots(world: dict) -> None:
    """Two winners of the closed vote: one still to promote, one made a pilot of the landlord."""
    from decimal import Decimal

    from ideation.domain.idea_states import IdeaStatus
    from ideation.ideas.models import Idea
    from ideation.pilots.services import PilotData, promote
    from tests.factories import make_user

    winners = list(
        db.session.scalars(
            db.select(Idea)
            .where(
                Idea.challenge_id == world["results_challenge"].id,
                Idea.status == IdeaStatus.SELECTED,
            )
            .order_by(Idea.id)
        )
    )
    owner = make_user(role=Role.STAFF, org=world["org"])
    world["pilot_owner"] = owner
    world["winner"] = winners[0]
    world["pilot"] = promote(
        winners[1],
        owner,
        PilotData(
            title="Projet pilote du monde",
            description="Un **projet**.",
            organisation_id=world["org"].id,
            residence_ids=[world["residence"].id],
            owner_id=owner.id,
            planned_start=None,
            planned_end=None,
            budget_planned=Decimal("1000.00"),
            budget_spent=Decimal("0.00"),
        ),
    )


WORLD_EXTENSIONS.append(_pilots)


def _photos(world: dict) -> None:
    """A photo on the published idea (`other`'s), one on the pending idea, one hidden."""
    from ideation.photos import services as photo_services
    from ideation.photos.models import PhotoOwner
    from tests.photo_files import jpeg

    prepared = photo_services.prepare(jpeg(400, 300))

    def attach(idea):
        return photo_services.attach(PhotoOwner.IDEA, idea.id, world["other"], prepared, "Vue")

    world["photo"] = attach(world["idea"])
    world["pending_photo"] = attach(world["pending_idea"])
    world["hidden_photo"] = attach(world["idea"])
    world["hidden_photo"].hidden_at = world["hidden_photo"].created_at


WORLD_EXTENSIONS.append(_photos)


def _fabrique(world: dict) -> None:
    """An edition with one house (nobody in charge: only admins and the regional
    association's facilitators edit it), and a pilot being evaluated (lessons open)."""
    from tests.factories import make_edition, make_house, make_pilot

    world["edition"] = make_edition("Fabrique du monde")
    world["house"] = make_house(world["edition"], "Maison du monde")
    world["evaluated_pilot"] = make_pilot(world["org"], status="evaluating", title="Évalué")


WORLD_EXTENSIONS.append(_fabrique)


def _workshops(world: dict) -> None:
    """A workshop to come in the landlord's residence, hosted by a staff member of the
    landlord (not a matrix user), and one already held (its minutes may be written)."""
    from datetime import timedelta

    from tests.factories import make_registration, make_workshop

    host = make_user(role=Role.STAFF, org=world["org"])
    world["workshop_host"] = host
    world["workshop"] = make_workshop(
        residence=world["residence"], hosts=[host], challenges=[world["challenge"]]
    )
    world["registration"] = make_registration(world["workshop"], world["other"])
    world["past_workshop"] = make_workshop(
        residence=world["residence"], hosts=[host], starts_in=-timedelta(days=2)
    )


WORLD_EXTENSIONS.append(_workshops)


def _assisted(world: dict) -> None:
    """An assisted account of the landlord, opened by the workshop's host (issue 13)."""
    from ideation.assisted.services import create_assisted_account

    user, _code = create_assisted_account(
        world["workshop_host"],
        display_name="Fatima B.",
        organisation=world["org"],
        residence_id=world["residence"].id,
        phone="",
        workshop=world["past_workshop"],
    )
    world["assisted"] = user


WORLD_EXTENSIONS.append(_assisted)


def _paper(world: dict) -> None:
    """Paper ballots (issue 14): a desk of the open vote whose urn is closed, with one
    sheet printed and an assessor who is not a matrix user; a desk of the closed vote
    with its frozen closure record (published with the results)."""
    from ideation.db_types import utcnow
    from ideation.desks import paper
    from ideation.desks.models import VoteDesk

    assessor = make_user(role=Role.STAFF, org=world["org"])
    desk = VoteDesk(challenge_id=world["vote_challenge"].id, name="Bureau du monde")
    desk.assessors = [assessor]
    db.session.add(desk)
    db.session.flush()
    world["paper_desk"] = desk
    world["paper_sheet"] = paper.print_sheets(desk, 1)[0]
    world["paper_code"] = paper.sheet_code(world["paper_sheet"])
    desk.closed_at = utcnow()
    frozen = VoteDesk(challenge_id=world["results_challenge"].id, name="Bureau clos du monde")
    db.session.add(frozen)
    db.session.flush()
    frozen.closed_at = utcnow()
    frozen.record = paper.live_record(frozen, sheets_received=0)
    frozen.record_frozen_at = utcnow()
    world["frozen_desk"] = frozen
    # A desk still open, for the desk pages (ideation/desks/views.py), and a voter.
    open_desk = VoteDesk(challenge_id=world["vote_challenge"].id, name="Bureau ouvert du monde")
    open_desk.assessors = [assessor]
    db.session.add(open_desk)
    db.session.flush()
    world["open_desk"] = open_desk
    world["desk_voter"] = make_user(role=Role.TENANT, org=world["org"])


WORLD_EXTENSIONS.append(_paper)
