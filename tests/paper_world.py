"""A vote with a voting desk and its paper sheets, for the paper ballot tests."""

from __future__ import annotations

from datetime import timedelta

from ideation.db_types import utcnow
from ideation.desks import paper
from ideation.desks.models import VoteDesk
from ideation.domain.roles import Role
from ideation.extensions import db
from ideation.voting import services as voting
from tests.factories import make_challenge, make_idea, make_org, make_regional, make_user


def paper_vote(*, ticked: int = 3, sheets: int = 4, slug: str = "defi-papier") -> dict:
    """An open vote of a landlord (three ideas), a desk with three assessors, `ticked`
    tenants ticked on its list and `sheets` sheets printed; the urn still open."""
    org = make_org("Bailleur du papier")
    regional = make_regional()
    challenge = make_challenge(
        phase="voting", org=org, slug=slug, voting_ends_at=utcnow() + timedelta(days=2)
    )
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {n}") for n in "ABC"]
    facilitator = make_user(Role.FACILITATOR, org=regional, display_name="Fanny Facilitatrice")
    assessors = [
        make_user(Role.STAFF, org=org, display_name=name)
        for name in ("Alice Assesseure", "Bruno Assesseur", "Chloé Assesseure")
    ]
    desk = VoteDesk(
        challenge_id=challenge.id,
        name="Loge des Tilleuls",
        place="Hall A",
        opened_by_id=facilitator.id,
    )
    desk.assessors = list(assessors)
    db.session.add(desk)
    db.session.flush()
    voters = [make_user(Role.TENANT, org=org) for _ in range(ticked)]
    for voter in voters:
        voting.mark_paper_voter(challenge, voter.id, desk.id, assessors[0].id)
    printed = paper.print_sheets(desk, sheets) if sheets else []
    db.session.commit()
    return {
        "org": org,
        "challenge": challenge,
        "ideas": ideas,
        "facilitator": facilitator,
        "assessors": assessors,
        "desk": desk,
        "voters": voters,
        "sheets": printed,
        "codes": [paper.sheet_code(s) for s in printed],
    }


def close_urn(world: dict, sheets_received: int | None = None) -> None:
    desk = db.session.get(VoteDesk, world["desk"].id)
    desk.closed_at = utcnow()
    desk.closed_by_id = world["facilitator"].id
    desk.sheets_received = sheets_received
    db.session.commit()


def boxes(ranks: dict[int, str]) -> dict[str, str]:
    """The entry form's fields for idea id → what is typed in its box."""
    return {f"case-{idea_id}": mark for idea_id, mark in ranks.items()}
