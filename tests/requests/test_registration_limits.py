"""Registration limits never stop a workshop, stop a script, and say how long to wait.

The production ceilings (config.Config) are measured here, not the testing ones: 60
sign-ups in an hour from one address with one hall code all pass (a workshop on one
Wi-Fi); a run of 500 is stopped long before its end. The known-address branch does the
same work as the new-address one (issue 10, item 7).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import config
from ideation.auth import models as auth_models
from ideation.auth.models import User
from ideation.orgs.models import Invitation
from tests.factories import make_invitation, make_org, make_user
from tests.helpers import outbox

PASSWORD = "des tomates sur le balcon"
SETTINGS = ("RATELIMIT_REGISTER", "RATELIMIT_REGISTER_CODE", "RATELIMIT_REGISTER_ATTEMPTS")


@pytest.fixture
def production_limits(app):
    saved = {k: app.config[k] for k in SETTINGS}
    app.config.update({k: getattr(config.Config, k) for k in SETTINGS})
    yield
    app.config.update(saved)


def _register(client, n: int, code: str = "HALL2026", address: str | None = None, **extra):
    data = {
        "code": code,
        "display_name": f"Voisin {n}",
        "email": f"voisin{n}@example.test",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(extra)
    environ = {"REMOTE_ADDR": address} if address else {}
    return client.post("/inscription", data=data, environ_base=environ)


@pytest.fixture
def hall_code(db):
    make_invitation(make_org(), code="HALL2026", max_uses=1000)
    db.session.commit()


def _accounts(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User))


def test_a_workshop_of_60_registrations_in_an_hour_from_one_address_passes(
    client, db, hall_code, production_limits
):
    statuses = {_register(client, n).status_code for n in range(60)}
    assert statuses == {200}
    assert _accounts(db) == 60


def test_a_run_of_500_registrations_is_stopped_and_says_how_long_to_wait(
    client, db, hall_code, production_limits
):
    for n in range(500):
        response = _register(client, n)
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert n < 500
    assert _accounts(db) == n  # the refused one created nothing
    assert "Réessayez dans" in response.text and "minutes" in response.text
    # What was typed stays in the form, never the password.
    assert f'value="voisin{n}@example.test"' in response.text
    assert f'value="Voisin {n}"' in response.text and 'value="HALL2026"' in response.text
    assert PASSWORD not in response.text


def test_form_errors_do_not_count_as_accounts(client, db, hall_code, app, production_limits):
    app.config["RATELIMIT_REGISTER"] = "2 per hour"
    for n in range(5):
        assert _register(client, n, password_confirm="autre chose").status_code == 200
    assert _register(client, 98).status_code == 200
    assert _register(client, 99).status_code == 200
    assert _register(client, 100).status_code == 429


def test_the_code_ceiling_holds_across_addresses(client, db, hall_code, app, production_limits):
    app.config["RATELIMIT_REGISTER_CODE"] = "2 per hour"
    for n, address in enumerate(["10.0.0.1", "10.0.0.2"]):
        assert _register(client, n, address=address).status_code == 200
    assert _register(client, 3, address="10.0.0.3").status_code == 429
    assert _accounts(db) == 2


@pytest.fixture
def hashes(monkeypatch):
    calls: list[str] = []
    real = auth_models.hash_password

    def counting(password: str) -> str:
        calls.append(password)
        return real(password)

    monkeypatch.setattr(auth_models, "hash_password", counting)
    return calls


@pytest.mark.parametrize("known", [False, True])
def test_known_and_new_addresses_do_the_same_work(client, db, hall_code, hashes, known):
    """One password hash and one e-mail queued in both branches: the timing tells nothing.
    bench/registration_timing.py measures the two medians."""
    if known:
        make_user(email="voisin1@example.test")
        db.session.commit()
        hashes.clear()  # the factory's own hash is not the registration's
    response = _register(client, 1)
    assert response.status_code == 200 and "Regardez vos e-mails" in response.text
    assert hashes == [PASSWORD]
    assert len(outbox("voisin1@example.test")) == 1


def test_two_registrations_of_one_new_address_at_once_never_give_a_500(
    client, db, hall_code, monkeypatch
):
    """The second of two simultaneous sign-ups meets the unique index: it is answered like a
    known address (the owner is told), nothing is written and the code's use is given back.
    The race is made certain by letting the address look new although it exists."""
    make_user(email="voisin1@example.test")
    db.session.commit()
    uses_before = db.session.scalar(select(func.sum(Invitation.uses)))
    from ideation.auth import services as auth_services

    real_find = auth_services.find_user_by_email
    looks: list[str] = []

    def racing_find(email: str):  # type: ignore[no-untyped-def]
        looks.append(email)
        # The first look misses the account, as when the other sign-up commits just after.
        return None if len(looks) == 1 else real_find(email)

    monkeypatch.setattr(auth_services, "find_user_by_email", racing_find)
    response = _register(client, 1)
    assert response.status_code == 200 and "Regardez vos e-mails" in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(func.sum(Invitation.uses))) == uses_before
    assert len(outbox("voisin1@example.test")) == 1  # the "vous avez déjà un compte" notice
