"""Race tests for invitation codes, on SQLite and PostgreSQL (whichever the suite targets).

Three registrations with one single-use staff code are posted at once through the real
view. The injected pause (`auth.services.PAUSE_HOOK`) sits between the check that the
code is usable and the conditional UPDATE that takes a use, and waits until all three
requests have passed the check: on today's check-then-increment code every run makes
three accounts ("3 / 1"); with the conditional UPDATE exactly one.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from ideation.auth import services as auth_services
from ideation.auth.models import User
from ideation.domain.roles import Role
from ideation.orgs.models import Invitation
from tests.factories import make_invitation, make_org

THREADS = 3
PASSWORD = "des tomates sur le balcon"


@pytest.fixture
def one_use_code(db):
    invitation = make_invitation(
        make_org("Bailleur des courses"), code="STAFF1", role=Role.STAFF, max_uses=1
    )
    db.session.commit()
    yield invitation.id
    auth_services.PAUSE_HOOK = None


def test_three_concurrent_registrations_with_a_one_use_code_make_one_account(app, db, one_use_code):
    checked = threading.Barrier(THREADS, timeout=10)

    paused: list[str] = []

    def pause(point: str) -> None:
        if point == "invitation":
            paused.append(point)
            try:
                checked.wait()  # every request has seen the code as usable
            except threading.BrokenBarrierError:
                pass  # a request that could not reach the pause is the test's failure

    auth_services.PAUSE_HOOK = pause
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    pages: list[str] = []
    errors: list[BaseException] = []

    def post(n: int) -> None:
        client = app.test_client()
        start.wait()
        try:
            response = client.post(
                "/inscription",
                data={
                    "code": "STAFF1",
                    "display_name": f"Agent {n}",
                    "email": f"agent{n}@example.test",
                    "password": PASSWORD,
                    "password_confirm": PASSWORD,
                },
            )
            statuses.append(response.status_code)
            pages.append(response.text)
        except Exception as error:  # noqa: BLE001  (collected and checked below)
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(paused) == THREADS  # all three were inside the window
    assert sorted(statuses) == [200] * THREADS
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.get(Invitation, one_use_code).uses == 1
    refused = [p for p in pages if "vient de servir pour la dernière fois" in p]
    assert len(refused) == THREADS - 1


def test_without_the_pause_the_second_registration_is_refused(app, db, one_use_code):
    """The sequential case: the form says why and keeps what was typed."""
    client = app.test_client()
    for n in range(2):
        response = client.post(
            "/inscription",
            data={
                "code": "STAFF1",
                "display_name": f"Agent {n}",
                "email": f"agent{n}@example.test",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        )
    assert "pas valable ou a expiré" in response.text
    assert "agent1@example.test" in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_the_database_refuses_more_uses_than_the_maximum(db, one_use_code):
    from sqlalchemy.exc import IntegrityError

    invitation = db.session.get(Invitation, one_use_code)
    invitation.uses = 2
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_taking_a_use_fails_once_none_is_left(db, one_use_code):
    assert auth_services.take_invitation_use(one_use_code) is True
    assert auth_services.take_invitation_use(one_use_code) is False
    db.session.expire_all()
    assert db.session.get(Invitation, one_use_code).uses == 1
