"""Participation rates: participants per dwelling, per residence, edition and house.

A participant is a person who sent an idea, commented, supported or voted in the period
(any time when no dates are given). Distinct people cannot be added up from the daily
summary rows (the same person on two days would count twice), so these figures are
counted from the activity itself, in a fixed number of queries (six, whatever
the number of residences, editions or houses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, func, select

from ideation.challenges.models import Challenge
from ideation.core.time import day_end, day_start
from ideation.dashboard.aggregates import activity_rows
from ideation.domain.fabrique import participation_rate
from ideation.extensions import db
from ideation.fabrique.models import Edition, House
from ideation.orgs.models import Residence


@dataclass
class RateRow:
    id: int | None
    label: str
    participants: int = 0
    dwellings: int | None = None

    @property
    def rate(self) -> float | None:
        """Participants per 100 dwellings (None when the dwellings are not known)."""
        return participation_rate(self.participants, self.dwellings)


@dataclass
class Participation:
    dwellings: int | None = None  # of the residences in scope, when at least one is known
    residences: list[RateRow] = field(default_factory=list)
    editions: list[RateRow] = field(default_factory=list)
    houses: list[RateRow] = field(default_factory=list)


def build(
    organisation_id: int | None,
    since: date | None = None,
    until: date | None = None,
    edition_id: int | None = None,
) -> Participation:
    """The rates of one organisation (None: all), between two Paris days (ends included),
    for one edition's challenges when asked."""
    rows = activity_rows()
    conditions: list[ColumnElement[bool]] = []
    if organisation_id is not None:
        conditions.append(rows.c.org == organisation_id)
    if since is not None:
        conditions.append(rows.c.at >= day_start(since))
    if until is not None:
        conditions.append(rows.c.at < day_end(until))
    if edition_id is not None:
        conditions.append(
            rows.c.challenge_id.in_(select(Challenge.id).where(Challenge.edition_id == edition_id))
        )
    people = func.count(rows.c.user_id.distinct())
    result = Participation()

    # 1. Residences in scope with their dwellings; 2. participants per residence.
    places = select(Residence).order_by(Residence.name)
    if organisation_id is not None:
        places = places.where(Residence.organisation_id == organisation_id)
    by_residence: dict[int | None, int] = dict(
        db.session.execute(
            select(rows.c.residence_id, people).where(*conditions).group_by(rows.c.residence_id)
        ).all()
    )
    in_scope = list(db.session.scalars(places))
    known = [r.dwellings for r in in_scope if r.dwellings is not None]
    for place in in_scope:
        result.residences.append(
            RateRow(place.id, place.label, int(by_residence.get(place.id, 0)), place.dwellings)
        )
    result.dwellings = sum(known) if known else None

    # 3. Participants per edition, 4. per house (the challenge's house), over every dwelling.
    per_edition: dict[int | None, int] = dict(
        db.session.execute(
            select(Challenge.edition_id, people)
            .join(Challenge, Challenge.id == rows.c.challenge_id)
            .where(*conditions, Challenge.edition_id.is_not(None))
            .group_by(Challenge.edition_id)
        ).all()
    )
    per_house: dict[int | None, int] = dict(
        db.session.execute(
            select(Challenge.theme_id, people)
            .join(Challenge, Challenge.id == rows.c.challenge_id)
            .where(*conditions, Challenge.theme_id.is_not(None))
            .group_by(Challenge.theme_id)
        ).all()
    )
    editions = db.session.scalars(
        select(Edition).order_by(Edition.starts_on.desc().nulls_last(), Edition.name)
    )
    for edition in editions:
        if edition_id is None or edition.id == edition_id:
            result.editions.append(
                RateRow(
                    edition.id, edition.name, int(per_edition.get(edition.id, 0)), result.dwellings
                )
            )
    # 5. The houses (of the asked edition only, when one is asked).
    houses = select(House).order_by(House.edition_id, House.position, House.name)
    if edition_id is not None:
        houses = houses.where(House.edition_id == edition_id)
    for house in db.session.scalars(houses):
        result.houses.append(
            RateRow(house.id, house.name, int(per_house.get(house.id, 0)), result.dwellings)
        )
    return result
