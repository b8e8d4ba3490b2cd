"""Race test: one person offering help twice at once leaves one offer, on SQLite and
PostgreSQL (whichever the suite targets).

Two « Je veux aider » posts of the same account go through the real view together. The
injected pause (`pilots.services.PAUSE_HOOK`) sits after the permission check, before
the write, and waits until both requests reach it, so both write at the same moment:
the unique constraint with INSERT … ON CONFLICT DO NOTHING keeps one row, and neither
request answers with an error.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ideation.pilots import services as pilot_services
from ideation.pilots.models import PilotFollower, VolunteerOffer
from tests.factories import DEFAULT_PASSWORD, make_org, make_pilot, make_user

THREADS = 2


@pytest.fixture
def pilot_and_person(db):
    org = make_org("Bailleur des courses")
    pilot = make_pilot(org)
    person = make_user(org=org, email="volontaire@example.test")
    db.session.commit()
    yield pilot.id, person.id
    pilot_services.PAUSE_HOOK = None


def test_two_simultaneous_offers_of_one_person_leave_one_offer(app, db, pilot_and_person):
    pilot_id, person_id = pilot_and_person
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        response = client.post(
            "/connexion", data={"email": "volontaire@example.test", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302
        clients.append(client)

    reached = threading.Barrier(THREADS, timeout=10)
    paused: list[str] = []

    def pause(point: str) -> None:
        if point == "offer":
            paused.append(point)
            try:
                reached.wait()  # both requests are past the check, about to write
            except threading.BrokenBarrierError:
                pass

    pilot_services.PAUSE_HOOK = pause
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(n: int) -> None:
        start.wait()
        try:
            response = clients[n].post(
                f"/projets-pilotes/{pilot_id}/aider", data={"what": f"Aide numéro {n}"}
            )
            statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001  (collected and checked below)
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(paused) == THREADS, "both requests must reach the pause"
    assert sorted(statuses) == [302] * THREADS  # no 500: the constraint settles it quietly
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count()).select_from(VolunteerOffer).where(VolunteerOffer.pilot_id == pilot_id)
    )
    assert count == 1
    followers = db.session.scalar(
        select(func.count())
        .select_from(PilotFollower)
        .where(PilotFollower.pilot_id == pilot_id, PilotFollower.user_id == person_id)
    )
    assert followers == 1
