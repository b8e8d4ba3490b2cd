"""Editions and houses: load, list, create, edit. Services flush, never commit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ideation.auth.models import User
from ideation.core.audit import audit
from ideation.core.loaders import or_404
from ideation.core.sanitize import render_markdown
from ideation.domain.fabrique import normal_colour
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db
from ideation.fabrique.models import Edition, House
from ideation.orgs.models import Organisation


def _slugify(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70].strip("-") or fallback


def _unique_slug(model: type[Edition] | type[House], text: str, fallback: str) -> str:
    base = slug = _slugify(text, fallback)
    n = 2
    while db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- loading -------------------------------------------------------------------------


def editions() -> list[Edition]:
    """Every edition, the latest first."""
    return list(
        db.session.scalars(
            select(Edition).order_by(
                Edition.starts_on.desc().nulls_last(), Edition.name.desc(), Edition.id.desc()
            )
        )
    )


def load_edition(slug: str) -> Edition:
    """The edition for a view, with its houses: 404 if missing."""
    return or_404(
        db.session.scalar(
            select(Edition).where(Edition.slug == slug).options(selectinload(Edition.houses))
        )
    )


def load_house(slug: str) -> House:
    """The house for a view, with its edition, facilitators and partners: 404 if missing."""
    return or_404(
        db.session.scalar(
            select(House)
            .where(House.slug == slug)
            .options(
                joinedload(House.edition),
                selectinload(House.facilitators),
                selectinload(House.partners),
            )
        )
    )


def houses() -> list[House]:
    """Every house, with its edition, grouped by edition."""
    return list(
        db.session.scalars(
            select(House)
            .options(joinedload(House.edition))
            .order_by(House.edition_id, House.position, House.name)
        )
    )


def facilitator_choices() -> list[User]:
    """The people who may be put in charge of a house: active facilitators."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.FACILITATOR, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def partner_choices() -> list[Organisation]:
    """The organisations that may be a house's partners: the partner kind (associations,
    Compagnons Bâtisseurs, tenants' associations, local authorities)."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.PARTNER)
            .order_by(Organisation.name)
        )
    )


# --- editing -------------------------------------------------------------------------


@dataclass
class EditionData:
    name: str
    starts_on: date | None
    ends_on: date | None
    place: str
    description: str
    programme: str


class EditionNameTaken(Exception):
    """Another edition has this name (or took it a moment ago): nothing was written."""


def save_edition(actor: User, edition: Edition | None, data: EditionData) -> Edition:
    """Create or change an edition; description and programme are sanitised here, once.

    The unique name is settled by the database inside a savepoint, so two people saving
    the same name at the same moment get one edition and a form error, never a 500."""
    creating = edition is None
    try:
        with db.session.begin_nested():
            if edition is None:
                edition = Edition(slug=_unique_slug(Edition, data.name, "edition"))
                db.session.add(edition)
            edition.name = data.name
            edition.starts_on = data.starts_on
            edition.ends_on = data.ends_on
            edition.place = data.place
            edition.description_source = data.description
            edition.description_html = render_markdown(data.description)
            edition.programme_source = data.programme
            edition.programme_html = render_markdown(data.programme)
            db.session.flush()
    except IntegrityError:
        raise EditionNameTaken from None
    audit(actor, "edition.create" if creating else "edition.update", edition)
    return edition


def edition_name_taken(name: str, exclude_id: int | None = None) -> bool:
    return (
        db.session.scalar(
            select(Edition.id).where(Edition.name == name, Edition.id != (exclude_id or 0))
        )
        is not None
    )


@dataclass
class HouseData:
    edition_id: int
    name: str
    description: str
    colour: str | None
    pictogram: str | None
    position: int
    facilitator_ids: list[int]
    partner_ids: list[int]


def save_house(actor: User, house: House | None, data: HouseData) -> House:
    """Create or change a house; the colour is checked again here (ValueError if invalid),
    the description sanitised once, facilitators and partners taken from their lists."""
    colour = normal_colour(data.colour)
    creating = house is None
    if house is None:
        house = House(slug=_unique_slug(House, data.name, "maison"))
        db.session.add(house)
    house.edition_id = data.edition_id
    house.name = data.name
    house.description_source = data.description
    house.description_html = render_markdown(data.description)
    house.colour = colour
    house.pictogram = data.pictogram or None
    house.position = data.position
    allowed_people = {u.id: u for u in facilitator_choices()}
    house.facilitators = [allowed_people[i] for i in data.facilitator_ids if i in allowed_people]
    allowed_orgs = {o.id: o for o in partner_choices()}
    house.partners = [allowed_orgs[i] for i in data.partner_ids if i in allowed_orgs]
    db.session.flush()
    audit(actor, "house.create" if creating else "house.update", house)
    return house
