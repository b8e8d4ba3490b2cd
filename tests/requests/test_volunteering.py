"""« Je veux aider »: offers on ideas and pilots, who sees them, following, withdrawal,
refusals (the database unchanged), erasure and the RGPD export."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from ideation.domain.permissions import OFFER_MAX
from ideation.domain.roles import OrganisationKind, Role
from ideation.pilots.models import PilotFollower, VolunteerOffer
from tests.factories import (
    make_challenge,
    make_idea,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_user,
)
from tests.helpers import plain


@pytest.fixture
def place(db):
    org = make_org("Rhône Test")
    residence = make_residence(org)
    challenge = make_challenge(phase="ideation", org=org)
    author = make_user(org=org, residence=residence)
    idea = make_idea(challenge, author, status="published")
    owner = make_user(role=Role.STAFF, org=org)
    pilot = make_pilot(org, owner=owner)
    partner = make_org("Compagnons Bâtisseurs Test", kind=OrganisationKind.PARTNER)
    db.session.commit()
    return {
        "org": org,
        "residence": residence,
        "challenge": challenge,
        "idea": idea,
        "author": author,
        "owner": owner,
        "pilot": pilot,
        "partner": partner,
    }


def _offers(db) -> int:
    return db.session.scalar(select(func.count()).select_from(VolunteerOffer))


def test_tenant_offers_help_on_an_idea_and_sees_her_offer(client, db, login, place):
    tenant = login(make_user(org=place["org"], residence=place["residence"]))
    response = client.post(
        f"/idees/{place['idea'].id}/aider",
        data={"what": "Je bricole le samedi"},
        follow_redirects=True,
    )
    assert "Votre proposition d&#39;aide est enregistrée" in response.text
    assert "Vous avez proposé : « Je bricole le samedi »" in plain(response.text)
    assert "1 personne propose son aide" in response.text
    offer = db.session.scalar(select(VolunteerOffer))
    assert (offer.user_id, offer.idea_id, offer.pilot_id) == (tenant.id, place["idea"].id, None)


def test_offering_twice_keeps_one_offer(client, db, login, place):
    login(make_user(org=place["org"], residence=place["residence"]))
    url = f"/idees/{place['idea'].id}/aider"
    client.post(url, data={"what": "Peindre"})
    response = client.post(url, data={"what": "Autre chose"}, follow_redirects=True)
    assert "Vous avez déjà proposé votre aide ici." in response.text
    assert _offers(db) == 1


def test_partner_member_volunteers_on_a_pilot_and_follows_it(client, db, login, place):
    member = login(make_user(role=Role.STAFF, org=place["partner"]))
    pilot = place["pilot"]
    response = client.post(
        f"/projets-pilotes/{pilot.id}/aider",
        data={"what": "Chantier d'auto-réhabilitation accompagnée"},
        follow_redirects=True,
    )
    assert "1 personne propose son aide" in response.text
    assert db.session.scalar(
        select(PilotFollower.id).where(
            PilotFollower.pilot_id == pilot.id, PilotFollower.user_id == member.id
        )
    )


def test_a_partner_helps_on_a_landlord_idea_outside_its_scope(client, db, login, place):
    login(make_user(role=Role.STAFF, org=place["partner"]))
    client.post(f"/idees/{place['idea'].id}/aider", data={"what": "Outils prêtés"})
    assert _offers(db) == 1


def test_an_idea_offer_follows_its_pilot_and_volunteers_follow_at_promotion(db, place):
    from ideation.pilots import services

    volunteer = make_user(org=place["org"])
    db.session.commit()
    assert services.offer_help(volunteer.id, "Aider", idea_id=place["idea"].id)
    ids = services.follower_ids([place["idea"]])
    assert volunteer.id in ids


def test_too_long_offer_is_refused_with_a_clear_message(client, db, login, place):
    login(make_user(org=place["org"], residence=place["residence"]))
    response = client.post(
        f"/idees/{place['idea'].id}/aider",
        data={"what": "x" * (OFFER_MAX + 1)},
        follow_redirects=True,
    )
    assert f"C&#39;est un peu long : {OFFER_MAX} caractères au plus." in response.text
    assert _offers(db) == 0


def test_a_refused_offer_comes_back_with_what_was_typed(client, db, login, place):
    login(make_user(org=place["org"], residence=place["residence"]))
    typed = "Je peux bricoler le samedi et prêter ma perceuse. " * 8
    page = client.post(
        f"/idees/{place['idea'].id}/aider", data={"what": typed}, follow_redirects=True
    ).text
    form = page[page.index('id="aider"') :]
    assert typed.strip()[:60] in form  # the textarea holds the text again
    assert 'aria-invalid="true"' in form and "caractères au plus" in form
    assert _offers(db) == 0
    # Only once: the next visit shows an empty form.
    again = client.get(f"/idees/{place['idea'].id}").text
    assert typed.strip()[:60] not in again[again.index('id="aider"') :]


def test_empty_offer_is_refused(client, db, login, place):
    login(make_user(org=place["org"], residence=place["residence"]))
    response = client.post(
        f"/idees/{place['idea'].id}/aider", data={"what": "  "}, follow_redirects=True
    )
    assert "Dites en quelques mots ce que vous pouvez faire." in response.text
    assert _offers(db) == 0


@pytest.mark.parametrize(
    "case",
    ["other_landlord", "unconfirmed", "draft_idea", "draft_phase", "stopped_pilot", "hidden_idea"],
)
def test_refusals_leave_the_database_unchanged(client, db, login, place, case):
    url = f"/idees/{place['idea'].id}/aider"
    user = make_user(org=place["org"], residence=place["residence"])
    if case == "other_landlord":
        user = make_user(org=make_org("Autre bailleur"))
    elif case == "unconfirmed":
        user = make_user(org=place["org"], residence=place["residence"], verified=False)
    elif case == "draft_idea":
        url = f"/idees/{make_idea(place['challenge'], place['author'], status='draft').id}/aider"
    elif case == "draft_phase":
        place["challenge"].phase = "draft"
    elif case == "stopped_pilot":
        place["pilot"].status = "stopped"
        url = f"/projets-pilotes/{place['pilot'].id}/aider"
    elif case == "hidden_idea":
        from ideation.db_types import utcnow

        place["idea"].hidden_at = utcnow()
    db.session.commit()
    login(user)
    response = client.post(url, data={"what": "Aider"})
    # Every refusal, a draft included, is a 403 and writes nothing.
    assert response.status_code == 403
    assert _offers(db) == 0


def test_visitor_is_sent_to_log_in_and_nothing_is_written(client, db, place):
    response = client.post(f"/projets-pilotes/{place['pilot'].id}/aider", data={"what": "Aider"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert _offers(db) == 0


def test_withdrawing_is_one_post(client, db, login, place):
    login(make_user(org=place["org"], residence=place["residence"]))
    pilot = place["pilot"]
    client.post(f"/projets-pilotes/{pilot.id}/aider", data={"what": "Aider"})
    response = client.post(f"/projets-pilotes/{pilot.id}/aider/retirer", follow_redirects=True)
    assert "Votre proposition d&#39;aide est retirée." in response.text
    assert _offers(db) == 0


def test_withdrawing_touches_only_ones_own_offer(client, db, login, place):
    from ideation.pilots import services

    other = make_user(org=place["org"])
    db.session.commit()
    services.offer_help(other.id, "Aider", pilot_id=place["pilot"].id)
    db.session.commit()
    login(make_user(org=place["org"]))
    client.post(f"/projets-pilotes/{place['pilot'].id}/aider/retirer")
    assert _offers(db) == 1


def _offer_by(db, user, place, what="Prêter ma perceuse"):
    from ideation.pilots import services

    services.offer_help(user.id, what, pilot_id=place["pilot"].id)
    services.offer_help(user.id, what, idea_id=place["idea"].id)
    db.session.commit()


@pytest.mark.parametrize(
    "who, sees",
    [
        ("owner", True),  # the pilot's staff owner
        ("bailleur", True),  # the landlord manager who edits it
        ("landlord_facilitator", True),  # runs the challenge
        ("regional_facilitator", True),
        ("admin", True),
        ("tenant", False),
        ("staff", False),  # staff of the landlord who is not the owner
        ("other_bailleur", False),
        ("partner", False),
    ],
)
def test_names_and_offers_only_for_the_pilots_owners_and_facilitators(
    client, db, login, place, who, sees
):
    volunteer = make_user(org=place["org"], display_name="Fatou Volontaire")
    _offer_by(db, volunteer, place)
    regional = make_regional()
    viewer = {
        "owner": lambda: place["owner"],
        "bailleur": lambda: make_user(role=Role.BAILLEUR, org=place["org"]),
        "landlord_facilitator": lambda: make_user(role=Role.FACILITATOR, org=place["org"]),
        "regional_facilitator": lambda: make_user(role=Role.FACILITATOR, org=regional),
        "admin": lambda: make_user(role=Role.ADMIN, org=regional),
        "tenant": lambda: make_user(org=place["org"], residence=place["residence"]),
        "staff": lambda: make_user(role=Role.STAFF, org=place["org"]),
        "other_bailleur": lambda: make_user(role=Role.BAILLEUR, org=make_org("Autre")),
        "partner": lambda: make_user(role=Role.STAFF, org=place["partner"]),
    }[who]()
    login(viewer)
    pilot_page = client.get(f"/projets-pilotes/{place['pilot'].id}").text
    idea_page = client.get(f"/idees/{place['idea'].id}").text
    assert "1 personne propose son aide" in pilot_page
    assert "1 personne propose son aide" in idea_page
    # On the pilot page: its owners, and those who run the challenge it comes from.
    pilot_sees = who in {
        "owner",
        "bailleur",
        "landlord_facilitator",
        "regional_facilitator",
        "admin",
    }
    assert ("Fatou Volontaire" in pilot_page) is pilot_sees
    # On the idea page, those who run the challenge see them.
    idea_sees = who in {"landlord_facilitator", "regional_facilitator", "admin"}
    assert ("Fatou Volontaire" in idea_page) is idea_sees
    assert sees is (pilot_sees or idea_sees)


def test_visitors_see_the_count_not_the_names(client, db, place):
    _offer_by(db, make_user(org=place["org"], display_name="Fatou Volontaire"), place)
    page = client.get(f"/projets-pilotes/{place['pilot'].id}").text
    assert "1 personne propose son aide" in page
    assert "Fatou Volontaire" not in page and "Prêter ma perceuse" not in page


def test_erasure_removes_offers_and_the_export_lists_them(client, db, login, place):
    user = login(make_user(org=place["org"]))
    _offer_by(db, user, place, what="Traduire en arabe")
    export = json.loads(client.get("/compte/mes-donnees/mes-donnees-fabrique.json").text)
    assert {o["what"] for o in export["help_offered"]} == {"Traduire en arabe"}
    assert {o["pilot_id"] for o in export["help_offered"]} == {place["pilot"].id, None}
    from ideation.privacy.services import erase_account

    erase_account(user, actor=user)
    db.session.commit()
    assert _offers(db) == 0
