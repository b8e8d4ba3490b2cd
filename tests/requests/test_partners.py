"""Partners (issue 12): an organisation kind beside landlords; members carry its badge on
every byline, have no moderation power, enrol with invitation codes; pilots co-led by
partners show them on their page and in exports; residences belong to landlords only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.domain.roles import OrganisationKind, Role
from ideation.orgs.models import Invitation, Organisation, Residence
from ideation.pilots.models import Pilot
from tests.factories import (
    make_challenge,
    make_comment,
    make_idea,
    make_invitation,
    make_org,
    make_pilot,
    make_regional,
    make_residence,
    make_user,
)

PASSWORD = "des tomates sur le balcon"


@pytest.fixture
def partner(db):
    org = make_org("Compagnons Bâtisseurs Test", kind=OrganisationKind.PARTNER)
    db.session.commit()
    return org


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- the kind and its rules -------------------------------------------------------------


def test_admin_creates_a_partner_with_its_label(client, db, login):
    login(make_user(role="admin"))
    client.post(
        "/admin/organisations/nouvelle",
        data={
            "name": "Amicale des Tilleuls",
            "slug": "amicale",
            "kind": "partenaire",
            "partner_label": "Amicale de locataires",
        },
    )
    org = db.session.scalar(select(Organisation).where(Organisation.slug == "amicale"))
    assert org.is_partner and org.partner_label == "Amicale de locataires"


def test_a_residence_cannot_belong_to_a_partner(client, db, login, partner):
    login(make_user(role="admin"))
    response = client.post(
        "/admin/residences/nouvelle",
        data={"organisation_id": partner.id, "name": "Les Lilas", "city": "Lyon", "quartier": ""},
    )
    assert "Une résidence appartient toujours à un bailleur" in response.text
    assert _count(db, Residence) == 0
    assert "Compagnons Bâtisseurs Test" not in client.get("/admin/residences/nouvelle").text


def test_a_landlord_with_residences_cannot_become_a_partner(client, db, login):
    login(make_user(role="admin"))
    org = make_org("Bailleur", slug="bailleur")
    make_residence(org)
    db.session.commit()
    response = client.post(
        f"/admin/organisations/{org.id}",
        data={"name": "Bailleur", "slug": "bailleur", "kind": "partenaire"},
    )
    assert "Seul un bailleur a des résidences" in response.text
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).kind == OrganisationKind.LANDLORD


def test_a_partner_member_cannot_be_given_a_facilitator_role(client, db, login, partner):
    login(make_user(role="admin"))
    member = make_user(role=Role.STAFF, org=partner)
    db.session.commit()
    response = client.post(
        f"/admin/utilisateurs/{member.id}",
        data={"role": "facilitator", "organisation_id": partner.id, "active": "y"},
    )
    assert "il ne peut ni animer, ni gérer, ni administrer" in response.text
    db.session.expire_all()
    assert db.session.get(User, member.id).role == Role.STAFF


def test_partner_members_never_moderate_even_with_a_moderating_role(client, db, login, partner):
    # Defence in depth: were a role set by hand, the rules still refuse.
    member = make_user(role=Role.FACILITATOR, org=partner)
    db.session.commit()
    login(member)
    assert client.get("/moderation").status_code == 403
    assert client.get("/tableau-de-bord/").status_code == 403
    assert client.get("/messages/nouveau").status_code == 403
    assert client.get("/defis/nouveau").status_code == 403


def test_challenges_are_never_given_to_a_partner(client, db, login, partner):
    login(make_user(role=Role.FACILITATOR, org=make_regional()))
    page = client.get("/defis/nouveau").text
    assert "Compagnons Bâtisseurs Test" not in page


# --- invitation codes ----------------------------------------------------------------------


def _invite(client, org, role="staff"):
    return client.post(
        "/admin/invitations/nouvelle",
        data={
            "organisation_id": org.id,
            "residence_id": 0,
            "role": role,
            "max_uses": 5,
            "days_valid": 30,
        },
    )


def test_regional_facilitator_creates_a_code_for_partner_staff(client, db, login, partner):
    login(make_user(role=Role.FACILITATOR, org=make_regional()))
    assert "Compagnons Bâtisseurs Test" in client.get("/admin/invitations/nouvelle").text
    assert _invite(client, partner).status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.organisation_id == partner.id and invitation.role == Role.STAFF
    assert "Compagnons Bâtisseurs Test" in client.get("/admin/invitations").text


def test_a_landlords_facilitator_cannot_invite_into_a_partner(client, db, login, partner):
    login(make_user(role=Role.FACILITATOR, org=make_org()))
    assert "Compagnons Bâtisseurs Test" not in client.get("/admin/invitations/nouvelle").text
    response = _invite(client, partner)
    assert response.status_code == 200 and "Not a valid choice" not in response.text
    assert "error-message" in response.text
    assert _count(db, Invitation) == 0


def test_a_partner_code_cannot_grant_a_facilitator_role(client, db, login, partner):
    login(make_user(role="admin"))
    response = _invite(client, partner, role="facilitator")
    assert "Un code pour un partenaire inscrit des locataires ou des salarié·es." in response.text
    assert _count(db, Invitation) == 0


def test_partner_staff_register_with_a_partner_code(client, db, partner):
    make_invitation(partner, code="COMPAGNONS", role=Role.STAFF)
    db.session.commit()
    response = client.post(
        "/inscription",
        data={
            "code": "COMPAGNONS",
            "display_name": "Karim B.",
            "email": "karim@example.test",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert "Regardez vos e-mails" in response.text
    user = db.session.scalar(select(User).where(User.email == "karim@example.test"))
    assert user.organisation_id == partner.id and user.role == Role.STAFF


# --- the badge on every byline ---------------------------------------------------------------

BADGE = '<span class="badge badge-partner"'


def test_badge_beside_the_name_on_ideas_comments_and_moderation(client, db, login, partner):
    member = make_user(role=Role.STAFF, org=partner, display_name="Karim B.")
    challenge = make_challenge(phase="ideation")  # regional: partners take part
    idea = make_idea(challenge, member, status="published", title="Un atelier bricolage")
    make_comment(idea, member, body="Nous apportons les outils.")
    db.session.commit()
    page = client.get(f"/idees/{idea.id}").text
    assert page.count(BADGE) >= 2  # the idea's author and the comment's
    assert "Karim B." in page and "Compagnons Bâtisseurs Test</span>" in page
    login(make_user(role=Role.FACILITATOR, org=make_regional()))
    assert BADGE in client.get(f"/moderation/idees/{idea.id}").text


def test_no_badge_for_landlord_people(client, db):
    org = make_org()
    idea = make_idea(make_challenge(phase="ideation", org=org), make_user(org=org))
    db.session.commit()
    assert BADGE not in client.get(f"/idees/{idea.id}").text


def test_idea_list_loads_badges_without_a_query_per_author(client, db, count_queries):
    challenge = make_challenge(phase="ideation", slug="defi-liste")

    def add(n):
        for i in range(n):
            org = make_org(f"Partenaire {i}", kind=OrganisationKind.PARTNER)
            make_idea(challenge, make_user(org=org), status="published")
        db.session.commit()

    add(2)
    with count_queries() as small:
        assert client.get("/defis/defi-liste").status_code == 200
    add(8)
    with count_queries() as large:
        assert client.get("/defis/defi-liste").status_code == 200
    assert large.count == small.count


# --- pilots co-led by partners ------------------------------------------------------------------


def test_landlord_manager_names_co_leading_partners(client, db, login, partner):
    org = make_org("Rhône Test")
    pilot = make_pilot(org)
    db.session.commit()
    login(make_user(role=Role.BAILLEUR, org=org))
    data = {
        "title": pilot.title,
        "description": "Un projet",
        "residence_ids": [],
        "owner_id": 0,
        "planned_start": "",
        "planned_end": "",
        "budget_planned": "100",
        "budget_spent": "0",
        "partner_ids": [partner.id],
    }
    assert client.post(f"/projets-pilotes/{pilot.id}/modifier", data=data).status_code == 302
    page = client.get(f"/projets-pilotes/{pilot.id}").text
    assert "Mené avec" in page and "Compagnons Bâtisseurs Test" in page
    csv = client.get("/tableau-de-bord/export/projets.csv").text
    assert "Partenaires" in csv.splitlines()[0] and "Compagnons Bâtisseurs Test" in csv


def test_a_non_partner_cannot_be_named_co_lead(client, db, login, partner):
    org = make_org("Rhône Test")
    pilot = make_pilot(org)
    other = make_org("Autre bailleur")
    db.session.commit()
    login(make_user(role=Role.BAILLEUR, org=org))
    data = {
        "title": pilot.title,
        "description": "Un projet",
        "residence_ids": [],
        "owner_id": 0,
        "planned_start": "",
        "planned_end": "",
        "budget_planned": "100",
        "budget_spent": "0",
        "partner_ids": [other.id],
    }
    response = client.post(f"/projets-pilotes/{pilot.id}/modifier", data=data)
    assert "Choisissez des partenaires dans la liste." in response.text
    db.session.expire_all()
    assert db.session.get(Pilot, pilot.id).partners == []
