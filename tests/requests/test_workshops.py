"""Workshops: registration, cancellation, the waiting list and its promotion, the .ics
file, check-in at the door, minutes, the facilitators' form, the reminder of the day
before, the lists on other pages; every refused write leaves the database unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ideation.core.audit import AuditEntry
from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.domain.workshops import RegistrationStatus
from ideation.extensions import db as _db
from ideation.notifications.models import Delivery, Notification, NotificationKind
from ideation.notifications.services import set_preference
from ideation.workshops import services
from ideation.workshops.models import Workshop, WorkshopRegistration
from tests.factories import (
    HOSTILE,
    make_challenge,
    make_edition,
    make_house,
    make_org,
    make_registration,
    make_residence,
    make_user,
    make_workshop,
)
from tests.helpers import outbox, unchanged


@pytest.fixture
def place(db):
    org = make_org("Habitat du Rhône")
    residence = make_residence(org, "Les Tilleuls")
    host = make_user(role=Role.STAFF, org=org, display_name="Karim l'animateur")
    workshop = make_workshop(
        title="Atelier jardin partagé", capacity=2, residence=residence, hosts=[host]
    )
    db.session.commit()
    return {"org": org, "residence": residence, "host": host, "workshop": workshop}


def _tenant(place, **kwargs):
    return make_user(org=place["org"], residence=place["residence"], **kwargs)


def _status(workshop_id, user_id):
    _db.session.expire_all()
    reg = services.registration_of(workshop_id, user_id)
    return reg.status if reg is not None else None


def _count(workshop_id):
    _db.session.expire_all()
    return _db.session.get(Workshop, workshop_id).registered_count


# --- registration and cancellation --------------------------------------------------------


def test_a_tenant_registers_and_the_place_is_counted(client, db, login, place):
    w = place["workshop"]
    user = login(_tenant(place))
    response = client.post(f"/ateliers/{w.id}/inscription")
    assert response.status_code == 302
    assert _status(w.id, user.id) == RegistrationStatus.REGISTERED
    assert _count(w.id) == 1
    page = client.get(f"/ateliers/{w.id}").text
    assert "Vous êtes inscrit·e." in page
    assert "Me désinscrire" in page
    assert "1 place restante" in page


def test_a_double_tap_takes_one_place(client, db, login, place):
    w = place["workshop"]
    user = login(_tenant(place))
    client.post(f"/ateliers/{w.id}/inscription")
    client.post(f"/ateliers/{w.id}/inscription")
    assert _count(w.id) == 1
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(WorkshopRegistration)
            .where(WorkshopRegistration.user_id == user.id)
        )
        == 1
    )


def test_when_full_a_tenant_waits_in_line(client, db, login, place):
    w = place["workshop"]
    make_registration(w, _tenant(place))
    make_registration(w, _tenant(place))
    first = make_registration(w, _tenant(place), status="waiting")
    first.queued_at = utcnow() - timedelta(hours=1)
    user = login(_tenant(place))
    client.post(f"/ateliers/{w.id}/inscription", follow_redirects=False)
    assert _status(w.id, user.id) == RegistrationStatus.WAITING
    assert _count(w.id) == 2
    page = client.get(f"/ateliers/{w.id}").text
    assert "Vous êtes sur la liste d&#39;attente." in page or "liste d'attente" in page
    assert "Votre rang : 2." in page
    assert "Complet : liste d&#39;attente" in page or "Complet" in page


def test_cancelling_promotes_the_first_in_line_who_is_told(client, db, login, place):
    w = place["workshop"]
    leaving = _tenant(place)
    make_registration(w, leaving)
    make_registration(w, _tenant(place))
    first = _tenant(place, email="premiere@example.test")
    second = _tenant(place)
    early = make_registration(w, first, status="waiting")
    early.queued_at = utcnow() - timedelta(hours=2)
    later = make_registration(w, second, status="waiting")
    later.queued_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    login(leaving)
    response = client.post(f"/ateliers/{w.id}/desinscription")
    assert response.status_code == 302
    assert _status(w.id, leaving.id) == RegistrationStatus.CANCELLED
    assert _status(w.id, first.id) == RegistrationStatus.REGISTERED
    assert _status(w.id, second.id) == RegistrationStatus.WAITING
    assert _count(w.id) == 2
    note = db.session.scalar(select(Notification).where(Notification.user_id == first.id))
    assert note.kind == NotificationKind.WORKSHOP_PROMOTED
    assert "Atelier jardin partagé" in note.title
    assert note.link == f"/ateliers/{w.id}"
    # Told at once by e-mail (the default for this kind), nobody else.
    mails = outbox("premiere@example.test")
    assert len(mails) == 1 and "Une place s'est libérée" in mails[0].subject
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_leaving_the_waiting_list_frees_no_place(client, db, login, place):
    w = place["workshop"]
    make_registration(w, _tenant(place))
    make_registration(w, _tenant(place))
    waiting = _tenant(place)
    make_registration(w, waiting, status="waiting")
    login(waiting)
    client.post(f"/ateliers/{w.id}/desinscription")
    assert _status(w.id, waiting.id) == RegistrationStatus.CANCELLED
    assert _count(w.id) == 2


def test_registering_again_after_cancelling_goes_to_the_end_of_the_line(client, db, login, place):
    w = place["workshop"]
    user = login(_tenant(place))
    client.post(f"/ateliers/{w.id}/inscription")
    client.post(f"/ateliers/{w.id}/desinscription")
    assert _count(w.id) == 0
    client.post(f"/ateliers/{w.id}/inscription")
    assert _status(w.id, user.id) == RegistrationStatus.REGISTERED
    assert _count(w.id) == 1


def test_a_larger_capacity_lets_the_first_in_line_in(client, db, login, place):
    w = place["workshop"]
    make_registration(w, _tenant(place))
    make_registration(w, _tenant(place))
    waiting = _tenant(place)
    make_registration(w, waiting, status="waiting")
    login(make_user(role=Role.ADMIN))
    data = _form_data(place, capacity="3")
    response = client.post(f"/ateliers/{w.id}/modifier", data=data)
    assert response.status_code == 302, response.text[:2000]
    assert _status(w.id, waiting.id) == RegistrationStatus.REGISTERED
    assert _count(w.id) == 3


def test_the_capacity_cannot_go_below_the_places_taken(client, db, login, place):
    w = place["workshop"]
    make_registration(w, _tenant(place))
    make_registration(w, _tenant(place))
    login(make_user(role=Role.ADMIN))
    with unchanged(Workshop, WorkshopRegistration):
        response = client.post(f"/ateliers/{w.id}/modifier", data=_form_data(place, capacity="1"))
        assert response.status_code == 200
    assert "gardez au moins autant de places" in response.text


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["visitor", "unconfirmed", "started", "unknown"])
def test_refused_registrations_leave_the_database_unchanged(client, db, login, place, case):
    w = place["workshop"]
    url = f"/ateliers/{w.id}/inscription"
    expected = 403
    if case == "visitor":
        expected = 302
    elif case == "unconfirmed":
        login(_tenant(place, verified=False))
    else:
        login(_tenant(place))
        if case == "started":
            w.starts_at = utcnow() - timedelta(minutes=5)
        else:
            url, expected = "/ateliers/999999/inscription", 404
    with unchanged():
        response = client.post(url)
        assert response.status_code == expected


@pytest.mark.parametrize("case", ["not_registered", "started", "visitor"])
def test_refused_cancellations_leave_the_database_unchanged(client, db, login, place, case):
    w = place["workshop"]
    user = _tenant(place)
    if case != "not_registered":
        make_registration(w, user)
    expected = 403
    if case == "visitor":
        expected = 302
    else:
        login(user)
    if case == "started":
        w.starts_at = utcnow() - timedelta(minutes=5)
    with unchanged():
        response = client.post(f"/ateliers/{w.id}/desinscription")
        assert response.status_code == expected


@pytest.mark.parametrize("who", ["tenant", "staff_not_host", "partner_facilitator", "visitor"])
def test_check_in_by_someone_not_running_the_workshop_is_refused(client, db, login, place, who):
    w = place["workshop"]
    reg = make_registration(w, _tenant(place))
    expected = 403
    if who == "tenant":
        login(_tenant(place))
    elif who == "staff_not_host":
        login(make_user(role=Role.STAFF, org=place["org"]))
    elif who == "partner_facilitator":
        from ideation.domain.roles import OrganisationKind

        login(make_user(role=Role.FACILITATOR, org=make_org("Asso", kind=OrganisationKind.PARTNER)))
    else:
        expected = 302
    with unchanged():
        response = client.post(f"/ateliers/{w.id}/presences/{reg.id}")
        assert response.status_code == expected


def test_a_registration_of_another_workshop_cannot_be_checked_in(client, db, login, place):
    other = make_workshop(residence=place["residence"])
    reg = make_registration(other, _tenant(place))
    login(place["host"])
    with unchanged():
        response = client.post(f"/ateliers/{place['workshop'].id}/presences/{reg.id}")
        assert response.status_code == 404


@pytest.mark.parametrize("who", ["tenant", "staff_host", "facilitator_of_a_landlord"])
def test_editing_by_someone_who_does_not_run_it_is_refused(client, db, login, place, who):
    w = place["workshop"]
    if who == "tenant":
        login(_tenant(place))
    elif who == "staff_host":
        login(place["host"])  # hosts run it at the door, facilitators plan it
    else:
        login(make_user(role=Role.FACILITATOR, org=make_org("Autre bailleur")))
    with unchanged():
        response = client.post(f"/ateliers/{w.id}/modifier", data=_form_data(place, capacity="40"))
        assert response.status_code == 403


def test_creating_by_a_tenant_is_refused(client, db, login, place):
    login(_tenant(place))
    with unchanged():
        response = client.post("/ateliers/nouveau", data=_form_data(place))
        assert response.status_code == 403


def test_minutes_before_the_start_are_refused_even_to_a_host(client, db, login, place):
    login(place["host"])
    with unchanged():
        response = client.post(
            f"/ateliers/{place['workshop'].id}/compte-rendu", data={"minutes": "Trop tôt"}
        )
        assert response.status_code == 403


def test_minutes_by_a_tenant_are_refused(client, db, login, place):
    w = place["workshop"]
    w.starts_at = utcnow() - timedelta(hours=3)
    w.ends_at = utcnow() - timedelta(hours=1)
    login(_tenant(place))
    with unchanged():
        response = client.post(f"/ateliers/{w.id}/compte-rendu", data={"minutes": "Non"})
        assert response.status_code == 403


# --- at the door and afterwards -----------------------------------------------------------


def test_a_host_sees_the_printable_list_and_checks_someone_in(client, db, login, place):
    w = place["workshop"]
    tenant = _tenant(place, display_name="Awa Diallo")
    reg = make_registration(w, tenant)
    make_registration(w, _tenant(place, display_name="Zoé en attente"), status="waiting")
    login(place["host"])
    page = client.get(f"/ateliers/{w.id}/presences").text
    assert "Awa Diallo" in page and "Zoé en attente" in page
    assert "data-print" in page
    response = client.post(f"/ateliers/{w.id}/presences/{reg.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#p{reg.id}")
    db.session.expire_all()
    reg = db.session.get(WorkshopRegistration, reg.id)
    assert reg.status == RegistrationStatus.ATTENDED
    assert reg.checked_in_by_id == place["host"].id
    first_time = reg.checked_in_at
    # A second tap (another host, the same name) changes nothing.
    client.post(f"/ateliers/{w.id}/presences/{reg.id}")
    db.session.expire_all()
    assert db.session.get(WorkshopRegistration, reg.id).checked_in_at == first_time
    assert _count(w.id) == 1


def test_a_waiting_person_cannot_be_checked_in(client, db, login, place):
    w = place["workshop"]
    reg = make_registration(w, _tenant(place), status="waiting")
    db.session.commit()
    login(place["host"])
    client.post(f"/ateliers/{w.id}/presences/{reg.id}")
    assert _status(w.id, reg.user_id) == RegistrationStatus.WAITING


def test_minutes_are_sanitised_and_published_on_the_page(client, db, login, place):
    w = place["workshop"]
    w.starts_at = utcnow() - timedelta(hours=3)
    w.ends_at = utcnow() - timedelta(hours=1)
    login(place["host"])
    source = f"## Ce qui a été dit\n\n- **Composteur** au printemps {HOSTILE} {{{{7*7}}}}"
    response = client.post(f"/ateliers/{w.id}/compte-rendu", data={"minutes": source})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Workshop, w.id)
    assert saved.minutes_published_at is not None
    assert "<script" not in saved.minutes_html and "<img" not in saved.minutes_html
    page = client.get(f"/ateliers/{w.id}").text
    assert "<strong>Composteur</strong>" in page
    assert "{{7*7}}" in page
    assert "<script>alert" not in page
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "workshop.minutes")
    )


# --- the calendar file ------------------------------------------------------------------


def test_the_ics_file_is_rfc_5545(client, db, place):
    w = place["workshop"]
    w.title = "Atelier; jardin, et\nrécolte"
    w.starts_at = datetime(2027, 3, 12, 17, 30, tzinfo=UTC)
    w.ends_at = datetime(2027, 3, 12, 19, 30, tzinfo=UTC)
    db.session.commit()
    response = client.get(f"/ateliers/{w.id}/atelier.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    text = body.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Atelier\\; jardin\\, et\\nrécolte\r\n" in unfolded
    assert "DTSTART:20270312T173000Z\r\n" in unfolded
    assert "DTEND:20270312T193000Z\r\n" in unfolded
    assert "LOCATION:Salle commune\\, Les Tilleuls (Villeurbanne)\r\n" in unfolded
    assert f"URL:http://localhost/ateliers/{w.id}" in unfolded or "URL:http" in unfolded
    assert f"UID:atelier-{w.id}@" in unfolded


# --- the facilitators' form ---------------------------------------------------------------


def _form_data(place, **overrides):
    data = {
        "title": "Rencontre des voisins",
        "description": f"Un **café** {HOSTILE}",
        "day": (utcnow() + timedelta(days=10)).strftime("%Y-%m-%d"),
        "starts": "18:00",
        "ends": "20:00",
        "residence_id": str(place["residence"].id),
        "room": "Salle commune",
        "address": "",
        "capacity": "20",
        "edition_id": "0",
        "house_id": "0",
        "host_ids": [str(place["host"].id)],
    }
    data.update(overrides)
    return data


def test_a_facilitator_creates_a_workshop_in_paris_time(client, db, login, place):
    challenge = make_challenge(org=place["org"])
    edition = make_edition("Fabrique 2027")
    house = make_house(edition, "Maison du jardin")
    facilitator = login(make_user(role=Role.FACILITATOR, org=place["org"]))
    data = _form_data(
        place,
        day="2027-07-01",
        edition_id=str(edition.id),
        house_id=str(house.id),
        challenge_ids=[str(challenge.id)],
    )
    response = client.post("/ateliers/nouveau", data=data)
    assert response.status_code == 302, response.text[:3000]
    saved = db.session.scalar(select(Workshop).where(Workshop.title == "Rencontre des voisins"))
    # 18:00 in Paris in July is 16:00 UTC (summer time).
    assert saved.starts_at == datetime(2027, 7, 1, 16, 0, tzinfo=UTC)
    assert saved.created_by_id == facilitator.id
    assert [c.id for c in saved.challenges] == [challenge.id]
    assert saved.house_id == house.id and saved.edition_id == edition.id
    assert "<script" not in saved.description_html
    assert [u.id for u in saved.hosts] == [place["host"].id]
    # The creator edits it afterwards (a landlord's facilitator, not a host).
    assert client.get(f"/ateliers/{saved.id}/modifier").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends": "17:00"}, "heure de fin vient après"),
        ({"residence_id": "0", "address": ""}, "Choisissez une résidence ou écrivez une adresse"),
        ({"capacity": "0"}, "Entre 1 et 500"),
        ({"residence_id": "999999"}, "Choisissez dans la liste"),
        ({"host_ids": ["999999"]}, "Choisissez dans la liste"),
    ],
)
def test_the_form_says_what_to_fix_and_writes_nothing(client, db, login, place, overrides, message):
    login(make_user(role=Role.ADMIN))
    with unchanged():
        response = client.post("/ateliers/nouveau", data=_form_data(place, **overrides))
        assert response.status_code == 200
    assert message in response.text


def test_a_workshop_at_a_free_address(client, db, login, place):
    login(make_user(role=Role.ADMIN))
    data = _form_data(place, residence_id="0", room="", address="Maison de quartier, 3 rue Pasteur")
    assert client.post("/ateliers/nouveau", data=data).status_code == 302
    saved = db.session.scalar(select(Workshop).where(Workshop.title == "Rencontre des voisins"))
    assert saved.residence_id is None
    assert saved.place_label == "Maison de quartier, 3 rue Pasteur"


# --- the reminder of the day before -------------------------------------------------------


def test_the_reminder_goes_once_by_preference(app, db, place):
    w = place["workshop"]
    w.starts_at = utcnow() + timedelta(hours=20)
    w.ends_at = w.starts_at + timedelta(hours=2)
    w.capacity = 5
    now_mail = _tenant(place, email="tout-de-suite@example.test")
    digest = _tenant(place, email="resume@example.test")
    waiting = _tenant(place, email="attente@example.test")
    make_registration(w, now_mail)
    make_registration(w, digest)
    make_registration(w, waiting, status="waiting")
    later = make_workshop(residence=place["residence"], starts_in=timedelta(days=3))
    make_registration(later, _tenant(place, email="plus-tard@example.test"))
    set_preference(digest.id, NotificationKind.WORKSHOP_REMINDER, Delivery.DIGEST)
    db.session.commit()
    from ideation.routines import remind_workshops

    with app.app_context():
        assert remind_workshops() == 2
        assert remind_workshops() == 0  # idempotent: a second run sends nothing
    db.session.expire_all()
    assert [m.recipient for m in outbox()] == ["tout-de-suite@example.test"]
    assert "Rappel" in outbox()[0].subject
    notes = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.WORKSHOP_REMINDER)
    ).all()
    assert sorted(n.user_id for n in notes) == sorted([now_mail.id, digest.id])
    pending = [n for n in notes if n.user_id == digest.id][0]
    assert pending.digest_pending is True


def test_the_remind_command(runner, db, place):
    w = place["workshop"]
    w.starts_at = utcnow() + timedelta(hours=2)
    w.ends_at = w.starts_at + timedelta(hours=2)
    make_registration(w, _tenant(place))
    db.session.commit()
    result = runner.invoke(args=["workshops", "remind"])
    assert "1 rappel(s)" in result.output
    result = runner.invoke(args=["workshops", "remind"])
    assert "0 rappel(s)" in result.output


# --- the lists on other pages --------------------------------------------------------------


def test_upcoming_workshops_on_home_challenge_house_and_edition_pages(client, db, place):
    edition = make_edition("Fabrique 2031")
    house = make_house(edition, "Maison des jardins")
    challenge = make_challenge(org=place["org"], slug="defi-jardins")
    make_workshop(
        title="Atelier compost à venir",
        residence=place["residence"],
        house=house,
        edition=edition,
        challenges=[challenge],
    )
    make_workshop(
        title="Atelier déjà passé",
        residence=place["residence"],
        house=house,
        edition=edition,
        challenges=[challenge],
        starts_in=-timedelta(days=5),
    )
    db.session.commit()
    for url in ["/", "/defis/defi-jardins", f"/maisons/{house.slug}", f"/editions/{edition.slug}"]:
        page = client.get(url).text
        assert "Prochains ateliers" in page, url
        assert "Atelier compost à venir" in page, url
        assert "Atelier déjà passé" not in page, url
    listing = client.get("/ateliers").text
    assert "Atelier compost à venir" in listing and "Atelier déjà passé" in listing


def test_the_workshop_page_escapes_and_offers_login_to_visitors(client, db, place):
    page = client.get(f"/ateliers/{place['workshop'].id}").text
    assert "<script>alert" not in page
    assert "Me connecter pour m&#39;inscrire" in page or "Me connecter pour m'inscrire" in page
    assert "Karim l&#39;animateur" in page or "Karim l'animateur" in page


# --- privacy -----------------------------------------------------------------------------


def test_my_workshops_are_in_my_data_export(client, db, login, place):
    import json

    user = login(_tenant(place))
    client.post(f"/ateliers/{place['workshop'].id}/inscription")
    data = json.loads(client.get("/compte/mes-donnees/mes-donnees-fabrique.json").data)
    assert [(w["workshop"], w["status"]) for w in data["workshops"]] == [
        ("Atelier jardin partagé", "registered")
    ]
    assert user.id


def test_erasure_gives_the_place_to_the_first_in_line(client, db, login, place):
    from ideation.privacy.services import erase_account

    w = place["workshop"]
    leaving = _tenant(place)
    make_registration(w, leaving)
    make_registration(w, _tenant(place))
    waiting = _tenant(place)
    make_registration(w, waiting, status="waiting")
    db.session.commit()
    with client.application.test_request_context():
        erase_account(db.session.get(type(leaving), leaving.id), actor=None)
        db.session.commit()
    assert _status(w.id, leaving.id) == RegistrationStatus.CANCELLED
    assert _status(w.id, waiting.id) == RegistrationStatus.REGISTERED
    assert _count(w.id) == 2


def test_my_space_lists_my_workshops(client, db, login, place):
    login(_tenant(place))
    assert "Aucun atelier pour" in client.get("/compte/mes-participations").text
    client.post(f"/ateliers/{place['workshop'].id}/inscription")
    page = client.get("/compte/mes-participations").text
    assert "Atelier jardin partagé" in page and "Inscrit·e" in page


# --- a photo with the minutes -------------------------------------------------------------


def test_a_host_adds_a_photo_to_the_minutes(client, db, login, place, photo_store):
    import io

    from ideation.photos.models import Photo, PhotoOwner
    from tests.photo_files import jpeg

    w = place["workshop"]
    w.starts_at = utcnow() - timedelta(hours=3)
    w.ends_at = utcnow() - timedelta(hours=1)
    login(place["host"])
    response = client.post(
        f"/ateliers/{w.id}/compte-rendu",
        data={
            "minutes": "Nous avons planté trois bacs.",
            "photo": (io.BytesIO(jpeg(1000, 750)), "bacs.jpg"),
            "photo_alt": "Trois bacs de terre devant le bâtiment B",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text[:2000]
    photo = db.session.scalar(select(Photo))
    assert (photo.owner_kind, photo.owner_id) == (PhotoOwner.WORKSHOP, w.id)
    client.post("/deconnexion")
    page = client.get(f"/ateliers/{w.id}").text
    assert 'alt="Trois bacs de terre devant le bâtiment B"' in page
    assert client.get(f"/photos/{photo.token}/640.jpg").status_code == 200


def test_a_photo_without_a_description_is_refused_and_nothing_is_written(
    client, db, login, place, photo_store
):
    import io

    from tests.photo_files import jpeg

    w = place["workshop"]
    w.starts_at = utcnow() - timedelta(hours=3)
    w.ends_at = utcnow() - timedelta(hours=1)
    login(place["host"])
    with unchanged():
        response = client.post(
            f"/ateliers/{w.id}/compte-rendu",
            data={"minutes": "Texte", "photo": (io.BytesIO(jpeg(400, 300)), "a.jpg")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200
    assert "Décrivez la photo" in response.text


# --- absences -----------------------------------------------------------------------------


def _over(workshop):
    workshop.starts_at = utcnow() - timedelta(hours=3)
    workshop.ends_at = utcnow() - timedelta(hours=1)


def test_after_the_workshop_a_host_marks_the_others_absent(client, db, login, place):
    w = place["workshop"]
    _over(w)
    came = make_registration(w, _tenant(place))
    missed = make_registration(w, _tenant(place))
    db.session.commit()
    login(place["host"])
    client.post(f"/ateliers/{w.id}/presences/{came.id}")
    response = client.post(f"/ateliers/{w.id}/absences", follow_redirects=True)
    assert "1 personne notée absente." in response.text
    assert _status(w.id, came.user_id) == RegistrationStatus.ATTENDED
    assert _status(w.id, missed.user_id) == RegistrationStatus.NO_SHOW
    assert _count(w.id) == 1


@pytest.mark.parametrize("case", ["not_over", "tenant"])
def test_marking_absences_is_refused_before_the_end_or_to_others(client, db, login, place, case):
    w = place["workshop"]
    make_registration(w, _tenant(place))
    if case == "tenant":
        _over(w)
        login(_tenant(place))
    else:
        login(place["host"])
    with unchanged():
        response = client.post(f"/ateliers/{w.id}/absences")
        assert response.status_code == 403
