"""Photos on ideas and pilot updates (issue 15 point 5): checked by content, re-encoded
without EXIF or GPS, resized, served safely, hidden by moderators, erased, exported; every
hostile file a clear form error with nothing stored."""

from __future__ import annotations

import html
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from ideation.core.audit import AuditEntry
from ideation.domain.roles import Role
from ideation.ideas.models import Idea
from ideation.photos import services as photo_services
from ideation.photos.models import Photo, PhotoOwner
from ideation.pilots.models import PilotUpdate
from tests.factories import (
    DEFAULT_PASSWORD,
    make_challenge,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import unchanged
from tests.photo_files import HOSTILE, jpeg, png, stored_files

TITLE = "Réparer la porte du local à vélos"
SUMMARY = "La porte ne ferme plus depuis un mois ; les vélos disparaissent."


@pytest.fixture
def place(db):
    org = make_org("Rhône Photos")
    residence = make_residence(org)
    challenge = make_challenge(phase="ideation", org=org, slug="defi-photos")
    tenant = make_user(org=org, residence=residence)
    db.session.commit()
    return {"org": org, "residence": residence, "challenge": challenge, "tenant": tenant}


def _idea_form(photo: bytes | None = None, name: str = "photo.jpg", alt: str = "La porte cassée"):
    data = {"title": TITLE, "summary": SUMMARY, "body": "", "theme_id": "0", "residence_id": "0"}
    data["save_draft"] = "1"
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), name)
        data["photo_alt"] = alt
    return data


def _post_idea(client, photo=None, **kwargs):
    return client.post(
        "/defis/defi-photos/idees/nouvelle",
        data=_idea_form(photo, **kwargs),
        content_type="multipart/form-data",
    )


def _switch(client, login, user) -> None:
    client.post("/deconnexion")
    login(user)


def _nothing_stored(db, store) -> None:
    db.session.rollback()
    assert db.session.scalar(select(func.count(Idea.id))) == 0
    assert db.session.scalar(select(func.count(Photo.id))) == 0
    assert stored_files(store) == []


# --- a tenant attaches a photo -----------------------------------------------------------


def test_tenant_attaches_a_photo_and_the_idea_page_shows_it_with_srcset(
    client, db, login, place, photo_store
):
    login(place["tenant"])
    response = _post_idea(client, jpeg(1200, 800))
    assert response.status_code == 302
    photo = db.session.scalar(select(Photo))
    idea = db.session.scalar(select(Idea))
    assert (photo.owner_kind, photo.owner_id) == (PhotoOwner.IDEA, idea.id)
    assert photo.uploader_id == place["tenant"].id and photo.alt_text == "La porte cassée"
    assert photo.widths == [320, 640, 1024, 1200]  # the job ran (inline in tests)
    folder = f"photos/{photo.token}"
    assert stored_files(photo_store) == sorted(
        f"{folder}/{name}" for name in ("full.jpg", "w320.jpg", "w640.jpg", "w1024.jpg")
    )
    page = client.get(f"/idees/{idea.id}").text
    img = re.search(r"<img [^>]*>", page[page.index('class="photos"') :]).group(0)
    assert 'alt="La porte cassée"' in img and 'loading="lazy"' in img and "sizes=" in img
    for width in (320, 640, 1024, 1200):
        assert f"/photos/{photo.token}/{width}.jpg {width}w" in img
    assert 'width="1200" height="800"' in img


def test_stored_files_carry_no_exif_no_gps_and_are_turned_upright(
    client, db, login, place, photo_store
):
    login(place["tenant"])
    original = jpeg(1200, 800, orientation=6)  # the phone was held upright
    assert b"Telephone" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    assert _post_idea(client, original).status_code == 302
    photo = db.session.scalar(select(Photo))
    assert (photo.width, photo.height) == (800, 1200)
    for name in stored_files(photo_store):
        data = photo_store.get(name)
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {} and not image.getexif().get_ifd(0x8825)
        assert b"Exif" not in data and b"Telephone" not in data and b"chez moi" not in data
        assert "icc_profile" not in image.info and "comment" not in image.info
    full = Image.open(io.BytesIO(photo_store.get(photo.key()))).convert("RGB")
    # Orientation 6: the red top-left corner of the sensor's picture is now top right.
    red, green, blue = full.getpixel((full.width - 5, 5))
    assert red > 200 and green < 60 and blue < 60


def test_a_png_is_re_encoded_as_jpeg(client, db, login, place, photo_store):
    login(place["tenant"])
    assert _post_idea(client, png(), name="plan.png").status_code == 302
    photo = db.session.scalar(select(Photo))
    assert Image.open(io.BytesIO(photo_store.get(photo.key()))).format == "JPEG"
    assert photo.widths == [320, 500]


def test_a_photo_without_alternative_text_is_a_form_error_and_the_text_is_kept(
    client, db, login, place, photo_store
):
    login(place["tenant"])
    response = _post_idea(client, jpeg(), alt="  ")
    assert response.status_code == 200
    assert "Décrivez la photo en quelques mots" in response.text
    assert TITLE in response.text and SUMMARY in response.text
    _nothing_stored(db, photo_store)


def test_an_idea_without_a_photo_still_works(client, db, login, place, photo_store):
    login(place["tenant"])
    assert _post_idea(client).status_code == 302
    assert db.session.scalar(select(func.count(Idea.id))) == 1
    assert stored_files(photo_store) == []


def test_the_form_offers_the_camera_or_a_file_and_says_the_limit(client, login, place):
    login(place["tenant"])
    page = client.get("/defis/defi-photos/idees/nouvelle").text
    assert 'enctype="multipart/form-data"' in page
    field = re.search(r'<input[^>]*type="file"[^>]*>', page).group(0)
    assert 'accept="image/jpeg,image/png,image/webp,image/*"' in field
    assert 'data-max-bytes="10485760"' in field and "10 Mo au plus" in page
    # The photo comes last, after every text field: a too-large body keeps the text.
    assert page.index('name="photo"') > page.index('name="residence_id"')


# --- hostile files -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_file_is_a_clear_form_error_and_nothing_is_stored(
    client, db, login, place, photo_store, kind
):
    make, name, message = HOSTILE[kind]
    login(place["tenant"])
    response = _post_idea(client, make(), name=name)
    # The 50 MB body is not even read (413); every other file is refused by its form.
    assert response.status_code == (413 if kind == "fifty_megabytes" else 200)
    assert message in html.unescape(response.text)
    assert 'class="error-summary"' in response.text
    assert TITLE in response.text and SUMMARY in response.text  # what was typed is kept
    _nothing_stored(db, photo_store)


def test_a_fifty_megabyte_body_is_not_read_and_answers_with_the_form(
    app, client, db, login, place, photo_store
):
    login(place["tenant"])
    response = _post_idea(client, HOSTILE["fifty_megabytes"][0]())
    assert response.status_code == 413
    assert "La photo est trop lourde : 10 Mo au plus" in response.text
    assert f'value="{TITLE}"' in response.text


def test_a_file_just_over_ten_megabytes_inside_the_body_limit_is_refused_by_its_size(
    client, db, login, place, photo_store
):
    login(place["tenant"])
    data = jpeg(400, 300) + b"\0" * (10 * 1024 * 1024)
    response = _post_idea(client, data)
    assert response.status_code == 200
    assert "La photo est trop lourde" in response.text and TITLE in response.text
    _nothing_stored(db, photo_store)


def test_the_english_page_says_the_refusal_in_english(client, db, login, place, photo_store):
    tenant = place["tenant"]
    tenant.locale = "en"
    db.session.commit()
    login(tenant)
    response = _post_idea(client, HOSTILE["truncated_jpeg"][0]())
    assert "damaged or incomplete" in response.text


# --- serving ---------------------------------------------------------------------------------


def _photo_on(idea, store, user, width=1200, height=800) -> Photo:
    prepared = photo_services.prepare(jpeg(width, height))
    photo = photo_services.attach(PhotoOwner.IDEA, idea.id, user, prepared, "Une photo")
    photo_services.finish_variants(photo)
    return photo


def test_a_photo_is_served_as_a_safe_inline_jpeg_with_an_etag(client, db, place, photo_store):
    idea = make_idea(place["challenge"], place["tenant"], status="published")
    photo = _photo_on(idea, photo_store, place["tenant"])
    db.session.commit()
    response = client.get(f"/photos/{photo.token}/640.jpg")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'inline; filename="photo-{photo.id}-640.jpg"'
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert Image.open(io.BytesIO(response.data)).size == (640, 427)
    etag = response.headers["ETag"]
    again = client.get(f"/photos/{photo.token}/640.jpg", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(f"/photos/{photo.token}/700.jpg").status_code == 404
    assert client.get("/photos/0123456789abcdef01234567/640.jpg").status_code == 404
    assert client.get(f"/photos/{photo.token}/640.svg").status_code == 404


def test_a_photo_of_a_pending_idea_is_seen_only_by_its_author_and_moderators(
    client, db, login, place, photo_store
):
    idea = make_idea(place["challenge"], place["tenant"], status="submitted")
    photo = _photo_on(idea, photo_store, place["tenant"])
    facilitator = make_user(role=Role.FACILITATOR, org=make_regional())
    neighbour = make_user(org=place["org"], residence=place["residence"])
    db.session.commit()
    url = f"/photos/{photo.token}/320.jpg"
    assert client.get(url).status_code == 403
    login(neighbour)
    assert client.get(url).status_code == 403
    _switch(client, login, place["tenant"])
    assert client.get(url).status_code == 200
    _switch(client, login, facilitator)
    assert client.get(url).status_code == 200


# --- moderation -----------------------------------------------------------------------------


def test_a_facilitator_hides_a_photo_with_a_reason_audited_and_restores_it(
    client, db, login, place, photo_store
):
    idea = make_idea(place["challenge"], place["tenant"], status="published")
    photo = _photo_on(idea, photo_store, place["tenant"])
    facilitator = make_user(role=Role.FACILITATOR, org=make_regional())
    db.session.commit()
    token, photo_id = photo.token, photo.id
    login(facilitator)
    page = client.get(f"/idees/{idea.id}").text
    assert "Masquer cette photo" in page
    refused = client.post(
        f"/photos/{photo_id}/masquer", data={"reason": " "}, follow_redirects=True
    )
    assert "Pour masquer une photo, écrivez pourquoi." in refused.text
    response = client.post(f"/photos/{photo_id}/masquer", data={"reason": "On voit un visage."})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/idees/{idea.id}#photo-{photo_id}"
    )
    db.session.expire_all()
    assert db.session.get(Photo, photo_id).hidden_reason == "On voit un visage."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "photo.hide"))
    assert entry.actor_id == facilitator.id and entry.target_id == photo_id
    assert entry.organisation_id == place["org"].id and entry.reason == "On voit un visage."
    moderator_page = client.get(f"/idees/{idea.id}").text
    assert "Photo masquée" in moderator_page and "Rétablir la photo" in moderator_page
    assert client.get(f"/photos/{token}/320.jpg").status_code == 200  # moderators still see it
    client.post("/deconnexion")
    visitor_page = client.get(f"/idees/{idea.id}").text
    assert token not in visitor_page
    assert client.get(f"/photos/{token}/320.jpg").status_code == 403
    login(place["tenant"])  # the author too: hidden means hidden
    assert client.get(f"/photos/{token}/320.jpg").status_code == 403
    _switch(client, login, facilitator)
    assert client.post(f"/photos/{photo_id}/retablir").status_code == 302
    db.session.expire_all()
    assert db.session.get(Photo, photo_id).hidden_at is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "photo.restore"))
    client.post("/deconnexion")
    assert client.get(f"/photos/{token}/320.jpg").status_code == 200


def test_a_tenant_cannot_hide_a_photo(client, db, login, place, photo_store):
    idea = make_idea(place["challenge"], place["tenant"], status="published")
    photo = _photo_on(idea, photo_store, place["tenant"])
    db.session.commit()
    login(place["tenant"])
    assert "Masquer cette photo" not in client.get(f"/idees/{idea.id}").text
    response = client.post(f"/photos/{photo.id}/masquer", data={"reason": "non"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).hidden_at is None


# --- privacy -----------------------------------------------------------------------------


def test_erasure_deletes_the_persons_photos_and_their_files(client, db, login, place, photo_store):
    idea = make_idea(place["challenge"], place["tenant"], status="published")
    _photo_on(idea, photo_store, place["tenant"])
    other = make_user(org=place["org"])
    kept = _photo_on(make_idea(place["challenge"], other), photo_store, other)
    db.session.commit()
    kept_folder = kept.folder
    assert len(stored_files(photo_store)) == 8
    login(place["tenant"])
    response = client.post("/compte/supprimer", data={"password": DEFAULT_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Photo.uploader_id)).all() == [other.id]
    assert all(name.startswith(kept_folder) for name in stored_files(photo_store))
    assert len(stored_files(photo_store)) == 4


def test_the_export_lists_my_photos_and_nobody_elses(client, db, login, place, photo_store):
    idea = make_idea(place["challenge"], place["tenant"], status="published")
    mine = _photo_on(idea, photo_store, place["tenant"])
    other = make_user(org=place["org"])
    _photo_on(make_idea(place["challenge"], other), photo_store, other)
    db.session.commit()
    login(place["tenant"])
    data = client.get("/compte/mes-donnees/mes-donnees-fabrique.json").get_json()
    assert [p["id"] for p in data["photos"]] == [mine.id]
    assert data["photos"][0]["alt_text"] == "Une photo" and data["photos"][0]["on"] == "idea"
    assert data["photos"][0]["url"] == f"/photos/{mine.token}/1200.jpg"


# --- editing, limits -------------------------------------------------------------------------


def test_the_author_adds_photos_when_editing_up_to_four(client, db, login, place, photo_store):
    idea = make_idea(place["challenge"], place["tenant"], status="draft")
    for _ in range(3):
        _photo_on(idea, photo_store, place["tenant"], 400, 300)
    db.session.commit()
    login(place["tenant"])
    form = _idea_form(jpeg(400, 300))
    assert client.post(f"/idees/{idea.id}/modifier", data=form).status_code == 302
    assert photo_services.count_of(PhotoOwner.IDEA, idea.id) == 4
    refused = client.post(f"/idees/{idea.id}/modifier", data=_idea_form(jpeg(400, 300)))
    assert refused.status_code == 200 and "4 photos au plus" in html.unescape(refused.text)
    db.session.expire_all()
    assert photo_services.count_of(PhotoOwner.IDEA, idea.id) == 4


# --- pilot updates -------------------------------------------------------------------------


def test_a_landlord_manager_posts_a_pilot_update_with_a_photo(
    client, db, login, photo_store, count_queries
):
    org = make_org("Rhône Pilotes")
    pilot = make_pilot(org)
    manager = make_user(role=Role.BAILLEUR, org=org)
    db.session.commit()
    login(manager)
    response = client.post(
        f"/projets-pilotes/{pilot.id}/point-d-etape",
        data={
            "happened_on": "2026-11-20",
            "body": "Le premier atelier a réuni douze voisins.",
            "new_status": "",
            "photo": (io.BytesIO(jpeg(1000, 750)), "atelier.jpg"),
            "photo_alt": "Douze voisins autour d'un établi",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    update = db.session.scalar(select(PilotUpdate))
    photo = db.session.scalar(select(Photo))
    assert (photo.owner_kind, photo.owner_id) == (PhotoOwner.PILOT_UPDATE, update.id)
    page = client.get(f"/projets-pilotes/{pilot.id}").text
    assert 'alt="Douze voisins autour d&#39;un établi"' in page
    assert f"/photos/{photo.token}/640.jpg 640w" in page
    client.post("/deconnexion")
    assert client.get(f"/photos/{photo.token}/640.jpg").status_code == 200


def test_the_pilot_page_reads_the_photos_of_its_timeline_in_one_query(
    client, db, photo_store, count_queries
):
    org = make_org("Rhône Pilotes")
    pilot = make_pilot(org)
    manager = make_user(role=Role.BAILLEUR, org=org)

    def add_updates(n):
        for _ in range(n):
            update = PilotUpdate(
                pilot_id=pilot.id,
                author_id=manager.id,
                happened_on=pilot.created_at.date(),
                body_source="x",
                body_html="<p>x</p>",
            )
            db.session.add(update)
            db.session.flush()
            prepared = photo_services.prepare(jpeg(400, 300, gps=False))
            photo_services.attach(PhotoOwner.PILOT_UPDATE, update.id, manager, prepared, "Vue")
        db.session.commit()

    def queries():
        with count_queries() as c:
            assert client.get(f"/projets-pilotes/{pilot.id}").status_code == 200
        return c.count

    add_updates(1)
    small = queries()
    add_updates(6)
    assert queries() == small


def test_a_photo_on_a_pilot_update_is_hidden_by_the_landlords_moderators(
    client, db, login, photo_store
):
    org = make_org("Rhône Pilotes")
    pilot = make_pilot(org)
    manager = make_user(role=Role.BAILLEUR, org=org)
    update = PilotUpdate(
        pilot_id=pilot.id,
        author_id=manager.id,
        happened_on=pilot.created_at.date(),
        body_source="x",
        body_html="<p>x</p>",
    )
    db.session.add(update)
    db.session.flush()
    photo = photo_services.attach(
        PhotoOwner.PILOT_UPDATE, update.id, manager, photo_services.prepare(jpeg(400, 300)), "Vue"
    )
    admin = make_user(role=Role.ADMIN, org=make_regional())
    db.session.commit()
    login(manager)  # the landlord's manager posts updates but does not moderate
    with unchanged():
        assert client.post(f"/photos/{photo.id}/masquer", data={"reason": "x"}).status_code == 403
    _switch(client, login, admin)
    response = client.post(f"/photos/{photo.id}/masquer", data={"reason": "Une plaque"})
    assert response.headers["Location"].endswith(f"/projets-pilotes/{pilot.id}#photo-{photo.id}")
    client.post("/deconnexion")
    assert photo.token not in client.get(f"/projets-pilotes/{pilot.id}").text
