"""Race test for the second factor, on SQLite and PostgreSQL (whichever the suite targets).

Two browsers that passed the password step submit the same app code at once (a phished
code replayed while its owner types it). The injected pause (`auth.services.PAUSE_HOOK`)
holds both requests after the code check and before the claim of its time step, so the
race is hit on every run; `test_without_the_conditional_update_the_race_is_real` proves
the pause really opens the window.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from ideation.auth import services
from ideation.auth import views as auth_views
from ideation.auth.models import User, UserSession
from ideation.domain import totp
from tests.factories import DEFAULT_PASSWORD, make_user

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def pending(app, db):
    """Two clients of one staff account, both at the app-code step."""
    user = make_user(role="staff")
    user.totp_secret = SECRET
    db.session.commit()
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        response = client.post(
            "/connexion", data={"email": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response.headers["Location"] == "/connexion/code"
    yield user, clients
    services.PAUSE_HOOK = None


def _together(clients, code: str) -> list[int]:
    """Both clients post the code; each waits for the other after its check."""
    barrier = threading.Barrier(len(clients), timeout=10)

    def pause(point: str) -> None:
        if point == "second-factor":
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass  # the other request failed its check: carry on alone

    services.PAUSE_HOOK = pause
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(client) -> None:  # type: ignore[no-untyped-def]
        try:
            statuses.append(client.post("/connexion/code", data={"code": code}).status_code)
        except Exception as error:  # noqa: BLE001  (collected and checked by the test)
            errors.append(error)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return sorted(statuses)


def _sessions(db, user) -> int:
    db.session.expire_all()
    return len(db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all())


def test_one_code_submitted_twice_at_once_opens_one_session(db, pending):
    user, clients = pending
    code = totp.code_at(SECRET, time.time())
    # 302: logged in; 200: the form again, "ce code a déjà servi".
    assert _together(clients, code) == [200, 302]
    assert _sessions(db, user) == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_last_step is not None


def test_without_the_conditional_update_the_race_is_real(db, pending, monkeypatch):
    """The check-then-write of before: with the same pause, both requests pass."""
    user, clients = pending

    def check_then_write(user, code, now):  # type: ignore[no-untyped-def]
        step = totp.verify(user.totp_secret, code, now, user.totp_last_step)
        if step is None:
            return False
        services.PAUSE_HOOK("second-factor")
        user.totp_last_step = step
        return True

    monkeypatch.setattr(auth_views, "use_second_factor_code", check_then_write)
    assert _together(clients, totp.code_at(SECRET, time.time())) == [302, 302]
    assert _sessions(db, user) == 2
