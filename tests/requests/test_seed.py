"""`flask seed-demo`: a realistic French installation, idempotent, with working demo accounts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.domain.codes import short_code
from ideation.domain.roles import OrganisationKind, Role
from ideation.extensions import db as _db
from ideation.orgs.models import DwellingCode, Invitation, Organisation, Residence
from ideation.seed import DEMO_PASSWORD
from tests.seeded import demo

DEMO = {
    "admin@demo.fabrique.test": Role.ADMIN,
    "animation@demo.fabrique.test": Role.FACILITATOR,
    "bailleur@demo.fabrique.test": Role.BAILLEUR,
    "salarie@demo.fabrique.test": Role.STAFF,
    "locataire@demo.fabrique.test": Role.TENANT,
}


def _counts() -> dict[str, int]:
    return {
        t.name: _db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in _db.metadata.sorted_tables
    }


@pytest.fixture
def seeded(db):
    """The demo (run once per test process: tests/seeded.py)."""
    demo(db)


def test_seed_creates_the_regional_association_three_landlords_and_residences(seeded, db):
    orgs = db.session.scalars(sa.select(Organisation)).all()
    assert sum(o.kind == OrganisationKind.REGIONAL for o in orgs) == 1
    assert sum(o.kind == OrganisationKind.LANDLORD for o in orgs) == 3
    residences = db.session.scalars(sa.select(Residence)).all()
    assert 7 <= len(residences) <= 10
    assert {"Villeurbanne", "Grenoble", "Saint-Étienne"} <= {r.city for r in residences}


def test_seed_creates_the_documented_accounts_and_dozens_of_tenants(seeded, db):
    for email, role in DEMO.items():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None and user.role == role and user.check_password(DEMO_PASSWORD)
    tenants = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.TENANT)
    )
    assert tenants >= 30


def test_seed_is_idempotent(seeded, runner, db):
    before = _counts()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert _counts() == before


def test_seed_if_empty_leaves_a_filled_database_alone(seeded, runner, db):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "déjà des données" in result.output


@pytest.mark.parametrize("email", list(DEMO))
def test_each_demo_account_can_log_in(seeded, client, email):
    response = client.post("/connexion", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_create_user_command(runner, seeded, db):
    result = runner.invoke(
        args=[
            "create-user",
            "nouvelle@exemple.fr",
            "Nouvelle Admin",
            "--role",
            "admin",
            "--organisation",
            "aura-fabrique",
            "--password",
            "une phrase de passe solide",
        ]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "nouvelle@exemple.fr"))
    assert user.role == Role.ADMIN and user.email_verified


def test_the_demo_prints_its_posters_and_dwelling_letters(seeded, client, login, db):
    """Issue 13: the demo's hall poster (TILLEULS2026), the letters of the Tilleuls'
    letterboxes, and the short link of a demo challenge."""
    manager = db.session.scalar(sa.select(User).where(User.email == "bailleur@demo.fabrique.test"))
    login(manager, DEMO_PASSWORD)
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.code == "TILLEULS2026"))
    assert "TILLEULS2026" in client.get(f"/imprimer/invitations/{invitation.id}").text
    tilleuls = db.session.scalar(sa.select(Residence).where(Residence.name == "Les Tilleuls"))
    page = client.get(f"/imprimer/residences/{tilleuls.id}/courriers").text
    codes = db.session.scalars(sa.select(DwellingCode)).all()
    assert len(codes) == 12 and all(c.code in page for c in codes)
    challenge = db.session.scalars(sa.select(Challenge).order_by(Challenge.id)).first()
    assert client.get(f"/d/{short_code(challenge.id)}").status_code == 302
