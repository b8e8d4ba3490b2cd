"""The demo's workshops, through the services people use: the facilitator plans them,
tenants sign up (the full one fills its waiting list, someone cancels and the first in
line is promoted and told), hosts check people in and publish the minutes."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from ideation.core.time import paris_moment, today
from ideation.domain.workshops import RegistrationStatus
from ideation.extensions import db
from ideation.photos.models import PhotoOwner
from ideation.seed import common
from ideation.seed.data.workshops import WORKSHOPS
from ideation.seed.photos import attach_drawn, garden
from ideation.workshops import services
from ideation.workshops.models import Workshop


def seed_workshops() -> None:
    """Each workshop once (found by its title): planned, filled, held, written up."""
    planner = common.facilitator()
    if planner is None:
        return
    people = common.users()
    tenants = common.tenants()
    if not tenants:
        return
    turn = 0
    for seed in WORKSHOPS:
        if db.session.scalar(select(Workshop.id).where(Workshop.title == seed.title)):
            turn += seed.registrants
            continue
        day = today() + timedelta(days=seed.days_from_today)
        residence = common.residence(seed.residence) if seed.residence else None
        house = common.theme(seed.house)
        challenges = [c for c in map(common.challenge, seed.challenges) if c is not None]
        workshop = services.save_workshop(
            planner,
            None,
            services.WorkshopData(
                title=seed.title,
                description=seed.description,
                edition_id=house.edition_id if house else None,
                house_id=house.id if house else None,
                challenge_ids=[c.id for c in challenges],
                residence_id=residence.id if residence else None,
                room=seed.room,
                address=seed.address,
                starts_at=paris_moment(day, time(*seed.starts)),
                ends_at=paris_moment(day, time(*seed.ends)),
                capacity=seed.capacity,
                host_ids=[people[e].id for e in seed.hosts if e in people],
            ),
        )
        signed_up = []
        for _n in range(seed.registrants):
            tenant = tenants[turn % len(tenants)]
            turn += 1
            if services.register(workshop, tenant) == RegistrationStatus.REGISTERED:
                signed_up.append(tenant)
        for tenant in signed_up[: seed.cancels]:
            services.cancel(workshop, tenant)  # the first in line is promoted and told
        host = people.get(seed.hosts[0]) if seed.hosts else planner
        for registration in services.attendance(workshop.id)[: seed.present]:
            services.check_in(registration.id, host or planner)
        if seed.days_from_today < 0:
            services.mark_absent(workshop)  # held: those not checked in did not come
        if seed.minutes:
            services.save_minutes(host or planner, workshop, seed.minutes)
        if seed.photo_alt:
            attach_drawn(
                PhotoOwner.WORKSHOP, workshop.id, host or planner, garden, 30, seed.photo_alt
            )
    db.session.flush()
