"""The demo has workshops held and to come: registrations, a waiting list whose first
person was promoted and told, people checked in, minutes published. Idempotent."""

from sqlalchemy import func, select

from ideation.db_types import utcnow
from ideation.domain.workshops import RegistrationStatus
from ideation.notifications.models import Notification, NotificationKind
from ideation.seed import seed_demo
from ideation.workshops.models import Workshop, WorkshopRegistration


def _statuses(workshop_id):
    from ideation.extensions import db

    return dict(
        db.session.execute(
            select(WorkshopRegistration.status, func.count())
            .where(WorkshopRegistration.workshop_id == workshop_id)
            .group_by(WorkshopRegistration.status)
        ).all()
    )


def test_demo_workshops_held_and_to_come(client, db, photo_store):
    seed_demo()
    workshops = list(db.session.scalars(select(Workshop).order_by(Workshop.starts_at)))
    now = utcnow()
    held = [w for w in workshops if w.ends_at <= now]
    to_come = [w for w in workshops if w.starts_at > now]
    assert len(held) == 2 and len(to_come) == 3
    for w in held:
        assert w.minutes_html and w.minutes_published_at is not None
        statuses = _statuses(w.id)
        assert statuses.get(RegistrationStatus.ATTENDED, 0) >= 5
        assert statuses.get(RegistrationStatus.NO_SHOW, 0) >= 1
        assert RegistrationStatus.REGISTERED not in statuses
        assert w.hosts and w.challenges and w.house_id
    full = next(w for w in to_come if "énergie" in w.title)
    counts = _statuses(full.id)
    assert full.registered_count == full.capacity == counts[RegistrationStatus.REGISTERED]
    assert counts[RegistrationStatus.WAITING] >= 1
    assert counts[RegistrationStatus.CANCELLED] == 1
    promoted = db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.kind == NotificationKind.WORKSHOP_PROMOTED)
    )
    assert promoted == 1
    page = client.get(f"/ateliers/{held[0].id}").text
    assert "Compte rendu" in page
    assert "Prochains ateliers" in client.get("/").text
    before = db.session.scalar(select(func.count()).select_from(WorkshopRegistration))
    seed_demo()
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 5
    assert db.session.scalar(select(func.count()).select_from(WorkshopRegistration)) == before


def test_demo_assisted_accounts_and_ideas_entered_in_workshops(client, db, photo_store):
    from ideation.assisted.models import AssistedAccount
    from ideation.ideas.models import Idea

    seed_demo()
    seed_demo()  # idempotent
    accounts = list(db.session.scalars(select(AssistedAccount)))
    assert len(accounts) == 2
    assert all(a.user.is_confirmed and a.consent_wording for a in accounts)
    on_behalf = list(db.session.scalars(select(Idea).where(Idea.entered_by_id.is_not(None))))
    own = list(
        db.session.scalars(
            select(Idea).where(Idea.workshop_id.is_not(None), Idea.entered_by_id.is_(None))
        )
    )
    assert len(on_behalf) == 2 and len(own) == 1
    assert {i.author_id for i in on_behalf} == {a.user_id for a in accounts}
    page = client.get(f"/idees/{own[0].id}").text
    assert "Idée de l&#39;atelier du" in page
