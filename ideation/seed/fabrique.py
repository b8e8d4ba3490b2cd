"""The demo's editions, the six houses of its village, lessons learnt and an adoption.

Each goes through the services a person would use: the administrator creates the
editions and houses, the landlords write what they learnt, a second landlord adopts.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ideation.extensions import db
from ideation.fabrique.services import EditionData, HouseData, save_edition, save_house
from ideation.pilots.models import Pilot
from ideation.pilots.services import LessonsData, adopt, copy_in, original_of, write_lessons
from ideation.seed import common
from ideation.seed.data.challenges import THEMES
from ideation.seed.data.fabrique import ADOPTIONS, DEMO_EDITION, EDITIONS, HOUSES, LESSONS


def seed_fabrique() -> None:
    """The editions, then the houses of the demo edition (the demo's themes)."""
    admin = common.admin()
    if admin is None:
        return
    for each in EDITIONS:
        if common.edition(each.name) is None:
            save_edition(
                admin,
                None,
                EditionData(
                    name=each.name,
                    starts_on=date(*each.starts),
                    ends_on=date(*each.ends),
                    place=each.place,
                    description=each.description,
                    programme=each.programme,
                ),
            )
    edition = common.edition(DEMO_EDITION)
    assert edition is not None
    people = common.users()
    order = [slug for slug, _name in THEMES]
    for seed in HOUSES:
        if common.theme(seed.slug) is not None:
            continue
        house = save_house(
            admin,
            None,
            HouseData(
                edition_id=edition.id,
                name=seed.name,
                description=seed.description,
                colour=seed.colour,
                pictogram=seed.pictogram,
                position=order.index(seed.slug) if seed.slug in order else len(order),
                facilitator_ids=[people[e].id for e in seed.facilitators if e in people],
                partner_ids=[o.id for o in map(common.organisation, seed.partners) if o],
            ),
        )
        house.slug = seed.slug  # the demo's documented addresses
    db.session.flush()


def seed_library() -> None:
    """Two pilots write down what they learnt; a second landlord takes one up."""
    for seed in LESSONS:
        pilot = db.session.scalar(
            select(Pilot).where(Pilot.title == seed.title, Pilot.adopted_from_id.is_(None))
        )
        if pilot is not None and not pilot.lessons_source:
            write_lessons(pilot, LessonsData(seed.lessons, seed.costs, seed.conditions))
    people = common.users()
    for title, email in ADOPTIONS:
        pilot = db.session.scalar(
            select(Pilot).where(Pilot.title == title, Pilot.adopted_from_id.is_(None))
        )
        adopter = people.get(email)
        if pilot is None or adopter is None or adopter.organisation_id is None:
            continue
        if copy_in(adopter.organisation_id, original_of(pilot).id) is None:
            adopt(pilot, adopter)
    db.session.flush()
