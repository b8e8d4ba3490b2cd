"""The demo seed shows issue 12's partners, offers of help, newsletter and a sent message."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ideation.auth.models import User
from ideation.domain.roles import OrganisationKind
from ideation.notifications.models import Notification, NotificationKind
from ideation.orgs.models import Invitation, Organisation
from ideation.outreach.models import Message
from ideation.pilots.models import Pilot, PilotFollower, VolunteerOffer
from tests.seeded import demo


@pytest.fixture
def seeded(db):
    """The demo (run once per test process: tests/seeded.py)."""
    demo(db)


def test_seed_has_three_partners_with_members_and_a_code(seeded, db):
    partners = db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.PARTNER)
    ).all()
    assert {p.name for p in partners} == {
        "Compagnons Bâtisseurs Rhône-Alpes",
        "Amicale des locataires des Tilleuls",
        "Centre social de la Croix-Rousse",
    }
    assert all(p.residences == [] for p in partners)
    members = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.organisation_id.in_([p.id for p in partners]))
    )
    assert members == 3
    code = db.session.scalar(sa.select(Invitation).where(Invitation.code == "COMPAGNONS26"))
    assert code.organisation.is_partner


def test_seed_has_co_led_pilots_and_offers_on_a_pilot_and_an_idea(seeded, db, client):
    pilot = db.session.scalar(
        sa.select(Pilot).where(Pilot.title == "Jardinières partagées sur les balcons")
    )
    assert [o.name for o in pilot.partners] == ["Compagnons Bâtisseurs Rhône-Alpes"]
    offers = db.session.scalars(sa.select(VolunteerOffer)).all()
    assert sum(o.pilot_id == pilot.id for o in offers) == 2
    assert sum(o.idea_id is not None for o in offers) == 2
    # Volunteers on a pilot follow it.
    followers = set(
        db.session.scalars(
            sa.select(PilotFollower.user_id).where(PilotFollower.pilot_id == pilot.id)
        )
    )
    assert {o.user_id for o in offers if o.pilot_id == pilot.id} <= followers
    page = client.get(f"/projets-pilotes/{pilot.id}").text
    assert "2 personnes proposent leur aide" in page and "Mené avec" in page


def test_seed_has_a_sent_message_and_subscribers(seeded, db):
    message = db.session.scalar(sa.select(Message))
    assert message.sent_at is not None and message.recipients_count > 0
    told = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.kind == NotificationKind.TEAM_MESSAGE)
    )
    assert told == message.recipients_count
    subscribers = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.newsletter_consent_at.is_not(None))
    )
    assert subscribers == 3
