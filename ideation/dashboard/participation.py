"""Participation rates: participants per dwelling, per residence, edition and house.

A participant is a person who sent an idea, commented, supported or voted in the period
(any time when no dates are given). Without dates (the page as it opens, with or without
an edition) the figures are the summary's, counted by the refresh job
(aggregates.count_participants): a few hundred rows read, whatever the history. Distinct
people cannot be added up from daily rows (the same person on two days would count
twice), so a date range is counted from the activity itself, in that range: the one
view whose work grows, with the range asked. Either way a fixed number of queries (six,
whatever the number of residences, editions or houses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from ideation.challenges.models import Challenge
from ideation.core.time import day_end, day_start
from ideation.dashboard.aggregates import (
    GRAIN_PEOPLE,
    GRAIN_PEOPLE_EVERYONE,
    activity_rows,
)
from ideation.dashboard.models import DashboardCount
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
    if since is None and until is None:
        by_residence, per_edition, per_house = _from_summary(organisation_id, edition_id)
    else:
        by_residence, per_edition, per_house = _live(organisation_id, since, until, edition_id)
    result = Participation()

    # Residences in scope with their dwellings, and their participants.
    places = select(Residence).order_by(Residence.name)
    if organisation_id is not None:
        places = places.where(Residence.organisation_id == organisation_id)
    in_scope = list(db.session.scalars(places))
    known = [r.dwellings for r in in_scope if r.dwellings is not None]
    for place in in_scope:
        result.residences.append(
            RateRow(place.id, place.label, int(by_residence.get(place.id, 0)), place.dwellings)
        )
    result.dwellings = sum(known) if known else None

    # Participants per edition, per house (the challenge's house), over every dwelling.
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
    # The houses (of the asked edition only, when one is asked).
    houses = select(House).order_by(House.edition_id, House.position, House.name)
    if edition_id is not None:
        houses = houses.where(House.edition_id == edition_id)
    for house in db.session.scalars(houses):
        result.houses.append(
            RateRow(house.id, house.name, int(per_house.get(house.id, 0)), result.dwellings)
        )
    return result


Counts = dict[int | None, int]


def _from_summary(organisation_id: int | None, edition_id: int | None) -> tuple[Counts, ...]:
    """All-time participants from the refresh job's rows: three small indexed reads."""
    if organisation_id is None:
        scope = [DashboardCount.grain == GRAIN_PEOPLE_EVERYONE]
    else:
        scope = [
            DashboardCount.grain == GRAIN_PEOPLE,
            DashboardCount.organisation_id == organisation_id,
        ]
    edition = (
        DashboardCount.edition_id.is_(None)
        if edition_id is None
        else DashboardCount.edition_id == edition_id
    )

    def read(
        kind: str, key: InstrumentedAttribute[int | None], *more: ColumnElement[bool]
    ) -> Counts:
        return dict(
            db.session.execute(
                select(key, DashboardCount.n).where(
                    *scope, DashboardCount.day.is_(None), DashboardCount.kind == kind, *more
                )
            ).all()
        )

    return (
        read("residence", DashboardCount.residence_id, edition),
        read("edition", DashboardCount.group_id),
        read("house", DashboardCount.group_id),
    )


def _live(
    organisation_id: int | None, since: date | None, until: date | None, edition_id: int | None
) -> tuple[Counts, ...]:
    """Participants in a date range, counted from the activity of that range."""
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
    by_residence: Counts = dict(
        db.session.execute(
            select(rows.c.residence_id, people).where(*conditions).group_by(rows.c.residence_id)
        ).all()
    )
    per_edition: Counts = dict(
        db.session.execute(
            select(Challenge.edition_id, people)
            .join(Challenge, Challenge.id == rows.c.challenge_id)
            .where(*conditions, Challenge.edition_id.is_not(None))
            .group_by(Challenge.edition_id)
        ).all()
    )
    per_house: Counts = dict(
        db.session.execute(
            select(Challenge.theme_id, people)
            .join(Challenge, Challenge.id == rows.c.challenge_id)
            .where(*conditions, Challenge.theme_id.is_not(None))
            .group_by(Challenge.theme_id)
        ).all()
    )
    return by_residence, per_edition, per_house
