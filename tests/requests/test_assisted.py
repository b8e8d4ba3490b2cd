"""Assisted participation (issue 13, points 2, 3 and 6): a host opens an account for a
present tenant and prints the card; the tenant claims it with the card's code (wrong,
used, rate-limited); staff reset it in person (audited); hosts enter ideas, supports and
comments for present participants, or the workshop's own idea; a device in workshop mode
is never stopped by the per-address limits. Every refused write leaves the database as
it was."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.assisted.models import AssistedAccount
from ideation.auth.models import User
from ideation.comments.models import Comment
from ideation.core.audit import AuditEntry
from ideation.core.limits import WORKSHOP_COOKIE
from ideation.domain.assisted import CONSENT_WORDING, ON_BEHALF_WORDING
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.ideas.models import Idea, Support
from ideation.mail.models import Email
from ideation.mail.services import queue_email
from tests.factories import (
    make_challenge,
    make_idea,
    make_invitation,
    make_org,
    make_registration,
    make_residence,
    make_user,
    make_workshop,
)
from tests.helpers import unchanged

PASSWORD = "des tomates sur le balcon"
CODE = re.compile(r"data-claim-code>([A-Z0-9-]+)<")


@pytest.fixture
def room(db):
    """A workshop under way at Les Tilleuls, hosted by Karim (staff), feeding a challenge."""
    org = make_org("Habitat du Rhône")
    residence = make_residence(org, "Les Tilleuls")
    host = make_user(role=Role.STAFF, org=org, display_name="Karim l'animateur")
    challenge = make_challenge(org=org, title="Mieux accueillir", premoderation=False)
    workshop = make_workshop(
        title="Atelier accueil",
        residence=residence,
        hosts=[host],
        challenges=[challenge],
        starts_in=timedelta(hours=-1),
        hours=3,
    )
    db.session.commit()
    return {
        "org": org,
        "residence": residence,
        "host": host,
        "challenge": challenge,
        "workshop": workshop,
    }


def _create(client, room, name="Fatima B.", consent="y", phone="06 12 34 56 78"):
    return client.post(
        f"/accompagnement/comptes/nouveau?atelier={room['workshop'].id}",
        data={
            "display_name": name,
            "residence_id": room["residence"].id,
            "phone": phone,
            "consent": consent,
        },
    )


def _code(response) -> str:
    found = CODE.search(response.text)
    assert found, response.text[:2000]
    return found.group(1)


def _assisted(client, login, room, name="Fatima B."):
    login(room["host"])
    response = _create(client, room, name=name)
    assert response.status_code == 200
    code = _code(response)
    client.post("/deconnexion")
    _db.session.expire_all()
    user = _db.session.scalar(select(User).where(User.display_name == name))
    return user, code


def _claim(client, code, email="fatima@example.test", password=PASSWORD, **environ):
    return client.post(
        "/compte/reprendre",
        data={"code": code, "email": email, "password": password, "password_confirm": password},
        environ_base=environ,
    )


def _actions(action: str) -> int:
    _db.session.expire_all()
    return _db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


# --- assisted accounts ----------------------------------------------------------------


def test_a_host_opens_an_assisted_account_and_prints_its_card(client, db, login, room):
    login(room["host"])
    response = _create(client, room)
    assert response.status_code == 200
    code = _code(response)
    assert re.fullmatch(r"[ACDEFGHJKMNPQRTUVWXY34679]{5}-[ACDEFGHJKMNPQRTUVWXY34679]{5}", code)
    page = response.text
    assert "Fatima B." in page and "Les Tilleuls" in page and "/compte/reprendre" in page
    assert "@page" in open("static/css/card.css").read()
    # The claim page's QR code, drawn inline by the server, never the code itself.
    qr = page[page.index('<figure class="card-qr">') :].split("</figure>")[0]
    assert '<svg aria-hidden="true"' in qr and "/compte/reprendre" in qr
    assert code not in qr.split("<figcaption")[0]
    _db.session.expire_all()
    user = _db.session.scalar(select(User).where(User.display_name == "Fatima B."))
    account = _db.session.get(AssistedAccount, user.id)
    assert user.email.endswith("@invalid.fabrique") and not user.is_erased
    assert user.is_confirmed and user.verified_by_id == room["host"].id
    assert not user.email_verified
    assert user.residence_id == room["residence"].id
    assert account.consent_wording == CONSENT_WORDING
    assert account.created_by_id == room["host"].id and account.workshop_id == room["workshop"].id
    assert account.phone == "06 12 34 56 78"
    assert account.claim_hash and code.replace("-", "") not in account.claim_hash
    # The outbox never holds a message to the placeholder address.
    assert not _db.session.scalars(select(Email).where(Email.recipient == user.email)).all()
    assert _actions("assisted.create") == 1


def test_without_the_persons_agreement_nothing_is_created(client, db, login, room):
    login(room["host"])
    with unchanged():
        response = _create(client, room, consent="")
    assert response.status_code == 400
    assert "Lisez la phrase" in response.text


def test_a_tenant_cannot_open_an_assisted_account(client, db, login, room):
    login(make_user(org=room["org"], residence=room["residence"]))
    with unchanged():
        response = _create(client, room)
    assert response.status_code == 403


def test_staff_opens_one_at_the_office_without_a_workshop(client, db, login, room):
    login(room["host"])
    response = client.post(
        "/accompagnement/comptes/nouveau",
        data={"display_name": "Jean D.", "residence_id": room["residence"].id, "consent": "y"},
    )
    assert response.status_code == 200
    assert _code(response)


def test_the_outbox_refuses_placeholder_addresses(db, app):
    with app.test_request_context():
        queue_email(
            "accompagne-abc@invalid.fabrique", "Bonjour", "verify_email", user=None, link=""
        )
    db.session.flush()
    assert not db.session.scalars(select(Email)).all()


def test_the_tenant_claims_the_account_with_the_cards_code(client, db, login, room):
    user, code = _assisted(client, login, room)
    response = _claim(client, code.lower().replace("-", " "))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compte/mes-participations")
    _db.session.expire_all()
    user = _db.session.get(User, user.id)
    assert user.email == "fatima@example.test" and user.check_password(PASSWORD)
    assert user.is_confirmed  # still verified in person
    account = _db.session.get(AssistedAccount, user.id)
    assert account.claim_hash is None and account.claimed_at is not None
    assert _actions("assisted.claim") == 1
    assert client.get("/compte/mes-participations").status_code == 200
    # The verification e-mail goes to the real address now.
    assert _db.session.scalars(select(Email).where(Email.recipient == user.email)).all()


def test_a_used_code_does_not_work_twice(client, db, login, room):
    _user, code = _assisted(client, login, room)
    assert _claim(client, code).status_code == 302
    client.post("/deconnexion")
    with unchanged():
        response = _claim(client, code, email="autre@example.test")
    assert response.status_code == 400
    assert "déjà servi" in response.text


def test_a_wrong_code_is_refused(client, db, login, room):
    _assisted(client, login, room)
    with unchanged():
        response = _claim(client, "AAAAA-AAAAA")
    assert response.status_code == 400
    assert "pas valable" in response.text


def test_a_weak_password_or_a_taken_address_keeps_the_code(client, db, login, room):
    make_user(email="pris@example.test")
    _user, code = _assisted(client, login, room)
    with unchanged():
        assert _claim(client, code, password="court").status_code == 400
        assert _claim(client, code, email="pris@example.test").status_code == 400
    assert _claim(client, code).status_code == 302


def test_code_entries_are_rate_limited_per_address(client, db, login, room, app):
    _user, code = _assisted(client, login, room)
    other, other_code = _assisted(client, login, room, name="Jean D.")
    saved = app.config["RATELIMIT_CLAIM"]
    app.config["RATELIMIT_CLAIM"] = "3 per minute"
    try:
        # A right code does not count against the address (a room claiming its cards).
        assert (
            _claim(
                client, other_code, email="jean@example.test", REMOTE_ADDR="10.9.9.1"
            ).status_code
            == 302
        )
        client.post("/deconnexion")
        for _ in range(3):
            assert _claim(client, "AAAAA-AAAAA", REMOTE_ADDR="10.9.9.1").status_code == 400
        with unchanged():
            response = _claim(client, code, REMOTE_ADDR="10.9.9.1")
        assert response.status_code == 429
        # Another address is not held back.
        assert _claim(client, code, REMOTE_ADDR="10.9.9.2").status_code == 302
    finally:
        app.config["RATELIMIT_CLAIM"] = saved


def test_staff_reset_the_access_in_person_and_it_is_audited(client, db, login, room):
    user, old = _assisted(client, login, room)
    login(room["host"])
    assert client.get(f"/accompagnement/comptes/{user.id}").status_code == 200
    response = client.post(f"/accompagnement/comptes/{user.id}/nouveau-code")
    assert response.status_code == 200
    new = _code(response)
    assert new != old
    assert _actions("assisted.reset") == 1
    client.post("/deconnexion")
    assert _claim(client, old).status_code == 400
    assert _claim(client, new).status_code == 302


def test_staff_of_another_landlord_cannot_reset(client, db, login, room):
    user, _code_ = _assisted(client, login, room)
    login(make_user(role=Role.STAFF, org=make_org("Autre bailleur")))
    assert client.get(f"/accompagnement/comptes/{user.id}").status_code == 403
    with unchanged():
        response = client.post(f"/accompagnement/comptes/{user.id}/nouveau-code")
    assert response.status_code == 403


# --- entries on someone's behalf ------------------------------------------------------


def _enter_idea(client, room, person_id, title="Un goûter d'accueil", consent="y"):
    return client.post(
        f"/ateliers/{room['workshop'].id}/saisie",
        data={
            "idea-challenge_id": room["challenge"].id,
            "idea-person_id": person_id,
            "idea-title": title,
            "idea-summary": "Un goûter pour les nouveaux voisins, chaque trimestre.",
            "idea-body": "",
            "idea-consent": consent,
        },
    )


def test_a_host_enters_an_idea_for_a_present_participant(client, db, login, room):
    user, code = _assisted(client, login, room)
    login(room["host"])
    assert client.get(f"/ateliers/{room['workshop'].id}/saisie").status_code == 200
    assert _enter_idea(client, room, user.id).status_code == 302
    _db.session.expire_all()
    idea = _db.session.scalar(select(Idea).where(Idea.title == "Un goûter d'accueil"))
    assert idea.author_id == user.id
    assert idea.entered_by_id == room["host"].id and idea.workshop_id == room["workshop"].id
    assert idea.status.value == "published"  # the challenge publishes at once
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.on_behalf"))
    assert entry.actor_id == room["host"].id
    page = client.get(f"/idees/{idea.id}").text
    assert "Fatima B." in page and "saisie en atelier par Karim l&#39;animateur" in page
    # The participant finds it in their own space and withdraws it like their own.
    client.post("/deconnexion")
    assert _claim(client, code).status_code == 302
    space = client.get("/compte/mes-participations").text
    assert "Un goûter d&#39;accueil" in space and "saisie en atelier par" in space
    assert client.post(f"/idees/{idea.id}/retirer").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Idea, idea.id).status.value == "withdrawn"


def test_a_host_enters_the_workshops_own_idea(client, db, login, room):
    login(room["host"])
    assert _enter_idea(client, room, 0, title="Une boîte à livres").status_code == 302
    _db.session.expire_all()
    idea = _db.session.scalar(select(Idea).where(Idea.title == "Une boîte à livres"))
    assert idea.author_id == room["host"].id and idea.entered_by_id is None
    assert idea.workshop_id == room["workshop"].id
    assert _actions("idea.workshop") == 1
    page = client.get(f"/idees/{idea.id}").text
    assert "Idée de l&#39;atelier du" in page and "aux Tilleuls" in page


def test_a_host_enters_a_support_and_a_comment(client, db, login, room):
    person = make_user(org=room["org"], residence=room["residence"], display_name="Rose")
    make_registration(room["workshop"], person, status="attended")
    author = make_user(org=room["org"])
    idea = make_idea(room["challenge"], author, title="Des bancs")
    idea.workshop_id = room["workshop"].id
    db.session.commit()
    login(room["host"])
    w = room["workshop"].id
    response = client.post(
        f"/ateliers/{w}/saisie/soutien",
        data={"support-idea_id": idea.id, "support-person_id": person.id, "support-consent": "y"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/ateliers/{w}/saisie/commentaire",
        data={
            "comment-idea_id": idea.id,
            "comment-person_id": person.id,
            "comment-body": "Près de l'aire de jeux.",
            "comment-consent": "y",
        },
    )
    assert response.status_code == 302
    _db.session.expire_all()
    support = _db.session.scalar(select(Support).where(Support.idea_id == idea.id))
    assert support.user_id == person.id and support.entered_by_id == room["host"].id
    comment = _db.session.scalar(select(Comment).where(Comment.idea_id == idea.id))
    assert comment.author_id == person.id and comment.entered_by_id == room["host"].id
    assert _actions("support.on_behalf") == 1 and _actions("comment.on_behalf") == 1
    consent = _db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "comment.on_behalf")
    ).details["consent"]
    assert consent == ON_BEHALF_WORDING
    assert "saisie en atelier par" in client.get(f"/idees/{idea.id}").text


def test_entries_without_agreement_or_for_someone_absent_are_refused(client, db, login, room):
    stranger = make_user(org=room["org"])
    login(room["host"])
    with unchanged():
        assert _enter_idea(client, room, 0, consent="").status_code == 400
        assert _enter_idea(client, room, stranger.id).status_code == 400


def test_only_hosts_enter_on_someones_behalf(client, db, login, room):
    login(make_user(org=room["org"], residence=room["residence"]))
    assert client.get(f"/ateliers/{room['workshop'].id}/saisie").status_code == 403
    with unchanged():
        assert _enter_idea(client, room, 0).status_code == 403


def test_no_entries_before_the_workshop_begins(client, db, login, room):
    later = make_workshop(residence=room["residence"], hosts=[room["host"]])
    db.session.commit()
    login(room["host"])
    with unchanged():
        response = client.post(f"/ateliers/{later.id}/saisie", data={"idea-person_id": 0})
    assert response.status_code == 403


# --- workshop mode ---------------------------------------------------------------------


@pytest.fixture
def strict_registration(app):
    keys = ("RATELIMIT_REGISTER", "RATELIMIT_REGISTER_ATTEMPTS")
    saved = {k: app.config[k] for k in keys}
    app.config.update({k: "5 per hour" for k in keys})
    yield
    app.config.update(saved)


def _register(client, n, address):
    return client.post(
        "/inscription",
        data={
            "code": "SALLE2026",
            "display_name": f"Voisine {n}",
            "email": f"voisine{n}.{address}@example.test",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
        environ_base={"REMOTE_ADDR": address},
    )


def test_forty_registrations_on_a_device_in_workshop_mode_all_pass(
    client, db, login, room, strict_registration
):
    make_invitation(room["org"], code="SALLE2026", max_uses=1000)
    login(room["host"])
    response = client.post(f"/ateliers/{room['workshop'].id}/mode-atelier")
    assert response.status_code == 302
    assert client.get_cookie(WORKSHOP_COOKIE) is not None
    assert _actions("workshop.mode_on") == 1
    client.post("/deconnexion")  # the device stays in workshop mode
    statuses = [_register(client, n, "10.7.0.1").status_code for n in range(40)]
    assert statuses == [200] * 40
    _db.session.expire_all()
    count = _db.session.scalar(
        select(func.count()).select_from(User).where(User.email.like("voisine%.10.7.0.1@%"))
    )
    assert count == 40


def test_the_same_registrations_without_workshop_mode_hit_the_limit(
    client, db, room, strict_registration
):
    make_invitation(room["org"], code="SALLE2026", max_uses=1000)
    db.session.commit()
    statuses = [_register(client, n, "10.7.0.2").status_code for n in range(40)]
    assert 429 in statuses
    assert statuses.index(429) <= 5


def test_a_forged_or_ended_workshop_mode_lifts_nothing(client, db, room, strict_registration):
    make_invitation(room["org"], code="SALLE2026", max_uses=1000)
    db.session.commit()
    client.set_cookie(WORKSHOP_COOKIE, "eyJ3IjoxfQ.forged")
    statuses = [_register(client, n, "10.7.0.3").status_code for n in range(10)]
    assert 429 in statuses


def test_the_host_ends_workshop_mode(client, db, login, room):
    login(room["host"])
    client.post(f"/ateliers/{room['workshop'].id}/mode-atelier")
    assert client.get_cookie(WORKSHOP_COOKIE) is not None
    assert client.post(f"/ateliers/{room['workshop'].id}/mode-atelier/fin").status_code == 302
    assert client.get_cookie(WORKSHOP_COOKIE) is None
    assert _actions("workshop.mode_off") == 1


def test_only_hosts_open_workshop_mode_and_not_after_the_end(client, db, login, room):
    login(make_user(org=room["org"]))
    with unchanged():
        assert client.post(f"/ateliers/{room['workshop'].id}/mode-atelier").status_code == 403
    assert client.get_cookie(WORKSHOP_COOKIE) is None
    over = make_workshop(
        residence=room["residence"], hosts=[room["host"]], starts_in=timedelta(hours=-5)
    )
    db.session.commit()
    login(room["host"])
    with unchanged():
        assert client.post(f"/ateliers/{over.id}/mode-atelier").status_code == 403


def test_erasing_an_assisted_account_blanks_its_phone_and_kills_its_code(client, db, login, room):
    from ideation.privacy.services import erase_account

    user, code = _assisted(client, login, room)
    erase_account(_db.session.get(User, user.id), actor=None)
    _db.session.commit()
    account = _db.session.get(AssistedAccount, user.id)
    assert account.phone == "" and account.claim_hash is None
    with unchanged():
        assert _claim(client, code).status_code == 400


def test_the_persons_data_export_holds_what_they_agreed_to(client, db, login, room):
    from ideation.privacy.services import export_data

    login(room["host"])
    assert _create(client, room).status_code == 200
    _db.session.expire_all()
    user = _db.session.scalar(select(User).where(User.display_name == "Fatima B."))
    record = export_data(user)["assisted_account"]
    assert record["consent_wording"] == CONSENT_WORDING
    assert record["phone"] == "06 12 34 56 78" and record["claimed_at"] is None
    assert record["workshop_id"] == room["workshop"].id
