"""Race tests for workshop places, on SQLite and PostgreSQL (whichever the suite targets).

Registrations are posted at once through the real view by different people. The
injected pause (`workshops.services.PAUSE_HOOK`, point "register") sits after the view
saw a free place and before the counter's conditional UPDATE, and waits until every
request is there: with check-then-increment every run would overfill the room; with the
conditional UPDATE exactly `capacity` people get a place and the others wait in line.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ideation.domain.workshops import RegistrationStatus
from ideation.workshops import services
from ideation.workshops.models import Workshop, WorkshopRegistration
from tests.factories import DEFAULT_PASSWORD, make_registration, make_user, make_workshop

THREADS = 4


@pytest.fixture
def hook():
    yield
    services.PAUSE_HOOK = None


def _barrier_hook(parties: int) -> list[str]:
    together = threading.Barrier(parties, timeout=10)
    paused: list[str] = []

    def pause(point: str) -> None:
        if point == "register":
            paused.append(point)
            try:
                together.wait()
            except threading.BrokenBarrierError:
                pass  # a request that could not reach the pause is the test's failure

    services.PAUSE_HOOK = pause
    return paused


def _run_together(app, jobs) -> list[BaseException]:
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        start.wait()
        try:
            job()
        except Exception as error:  # noqa: BLE001  (collected and checked below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return errors


def _logged_in_client(app, user):
    client = app.test_client()
    response = client.post("/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("capacity", [1, 2])
def test_concurrent_registrations_never_exceed_the_capacity(app, db, hook, capacity):
    workshop = make_workshop(capacity=capacity)
    users = [make_user() for _ in range(THREADS)]
    db.session.commit()
    clients = [_logged_in_client(app, u) for u in users]
    url = f"/ateliers/{workshop.id}/inscription"  # read here: threads have no app context
    paused = _barrier_hook(THREADS)
    statuses: list[int] = []

    def post(client):
        def job():
            statuses.append(client.post(url).status_code)

        return job

    errors = _run_together(app, [post(c) for c in clients])
    assert not errors, errors
    assert len(paused) == THREADS  # every request was inside the window
    assert statuses == [302] * THREADS
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).registered_count == capacity
    counts = dict(
        db.session.execute(
            select(WorkshopRegistration.status, func.count())
            .where(WorkshopRegistration.workshop_id == workshop.id)
            .group_by(WorkshopRegistration.status)
        ).all()
    )
    assert counts == {
        RegistrationStatus.REGISTERED: capacity,
        RegistrationStatus.WAITING: THREADS - capacity,
    }


def test_concurrent_cancellations_promote_each_waiting_person_once(app, db, hook):
    """Two people leave at once, two wait: both waiting get the two places, once each."""
    workshop = make_workshop(capacity=2)
    leaving = [make_user() for _ in range(2)]
    waiting = [make_user() for _ in range(3)]
    for u in leaving:
        make_registration(workshop, u)
    for u in waiting:
        make_registration(workshop, u, status="waiting")
    db.session.commit()
    clients = [_logged_in_client(app, u) for u in leaving]
    url = f"/ateliers/{workshop.id}/desinscription"

    def post(client):
        def job():
            assert client.post(url).status_code == 302

        return job

    errors = _run_together(app, [post(c) for c in clients])
    assert not errors, errors
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).registered_count == 2
    rows = db.session.scalars(
        select(WorkshopRegistration).where(WorkshopRegistration.workshop_id == workshop.id)
    ).all()
    held = [r for r in rows if r.holds_place]
    assert len(held) == 2
    assert {r.user_id for r in held} <= {u.id for u in waiting}


def test_the_database_refuses_more_places_than_the_capacity(db):
    from sqlalchemy.exc import IntegrityError

    workshop = make_workshop(capacity=1)
    db.session.commit()
    workshop.registered_count = 2
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
