"""The demo shows pilots in every status, one overdue, from the closed vote and earlier editions."""

from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.pilot_states import PilotStatus
from ideation.notifications.models import Notification, NotificationKind
from ideation.pilots.models import Indicator, IndicatorValue, Pilot, PilotFollower, PilotUpdate
from ideation.pilots.services import is_late
from ideation.seed import seed_demo
from tests.seeded import demo as demo_seed


def test_demo_has_pilots_in_every_status_and_is_idempotent(client, db):
    demo_seed(db)
    everyone = list(db.session.scalars(select(Pilot)))
    # The adopted copy (issue 12) comes from another pilot, not from an idea.
    pilots = [p for p in everyone if p.adopted_from_id is None]
    copies = [p for p in everyone if p.adopted_from_id is not None]
    assert len(copies) == 1 and copies[0].adopted_from.organisation_id != copies[0].organisation_id
    # The Fabrique's own structure: the demo edition's six houses, lessons, dwellings.
    from ideation.fabrique.models import Edition
    from ideation.orgs.models import Residence

    demo = db.session.scalar(select(Edition).where(Edition.name == "Fabrique 2026"))
    assert len(demo.houses) == 6 and all(h.facilitators for h in demo.houses)
    assert copies[0].adopted_from.lessons_html
    assert all(r.dwellings for r in db.session.scalars(select(Residence)))
    assert {p.status for p in pilots} == set(PilotStatus)
    assert sum(is_late(p) for p in pilots) == 1
    assert all(p.idea.status == IdeaStatus.PILOTED for p in pilots)
    assert any(
        p.challenge.slug == "lien-entre-voisins" for p in pilots
    )  # from the demo's closed vote
    assert {p.challenge.edition.name for p in pilots} >= {
        "Fabrique 2024",
        "Fabrique 2025",
        "Fabrique 2026",
    }
    assert db.session.scalar(select(func.count()).select_from(PilotUpdate)) >= 10
    assert db.session.scalar(select(func.count()).select_from(IndicatorValue)) >= 8
    assert db.session.scalar(select(func.count()).select_from(Indicator)) >= 6
    manager = db.session.scalar(select(User).where(User.email == "bailleur@demo.fabrique.test"))
    assert sum(p.organisation_id == manager.organisation_id for p in pilots) >= 3
    tenant = db.session.scalar(select(User).where(User.email == "locataire@demo.fabrique.test"))
    assert db.session.scalar(
        select(func.count()).select_from(PilotFollower).where(PilotFollower.user_id == tenant.id)
    ) == len(pilots)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(
                Notification.user_id == tenant.id,
                Notification.kind == NotificationKind.PILOT_UPDATE,
            )
        )
        >= 5
    )
    before = (len(everyone), db.session.scalar(select(func.count()).select_from(PilotUpdate)))
    seed_demo()
    assert before == (
        db.session.scalar(select(func.count()).select_from(Pilot)),
        db.session.scalar(select(func.count()).select_from(PilotUpdate)),
    )
    assert client.get("/projets-pilotes").status_code == 200
    for pilot in pilots:
        assert client.get(f"/projets-pilotes/{pilot.id}").status_code == 200
