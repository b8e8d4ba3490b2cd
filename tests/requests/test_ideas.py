"""Ideas through the test client: write, send, pre-moderation, edit, withdraw, support, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideation.domain.idea_states import IdeaStatus
from ideation.extensions import db as _db
from ideation.ideas.models import Idea, IdeaRevision, Support
from tests.factories import (
    HOSTILE,
    make_challenge,
    make_idea,
    make_org,
    make_residence,
    make_support,
    make_user,
)
from tests.helpers import unchanged


@pytest.fixture
def relogin(client, login):
    """Sign out whoever is signed in, then sign in as `user`."""

    def _relogin(user):
        _db.session.commit()  # logout writes too: the test's open write would lock SQLite
        client.post("/deconnexion")
        return login(user)

    return _relogin


@pytest.fixture
def setting(db):
    org = make_org("Bailleur A")
    residence = make_residence(org, "Les Tilleuls")
    challenge = make_challenge(org=org, slug="accueil", title="Accueillir les nouveaux")
    db.session.commit()
    return org, residence, challenge


def _tenant(org, residence, **kw):
    return make_user("tenant", org=org, residence=residence, **kw)


def test_tenant_writes_a_draft_then_sends_it_and_waits_for_validation(client, db, login, setting):
    org, residence, challenge = setting
    login(_tenant(org, residence))
    db.session.commit()
    response = client.post(
        "/defis/accueil/idees/nouvelle",
        data={
            "title": "Un goûter d'accueil",
            "summary": "Chaque mois, un goûter dans le hall.",
            "body": "- gâteaux\n- café",
            "theme_id": 0,
            "residence_id": residence.id,
            "proceed": "1",
        },
    )
    assert response.status_code == 302 and "/verifier" in response.headers["Location"]
    idea = db.session.scalar(select(Idea))
    assert idea.status == IdeaStatus.DRAFT and "<li>gâteaux</li>" in idea.body_html
    page = client.get(f"/idees/{idea.id}/verifier")
    assert page.status_code == 200 and "Aucune idée proche" in page.text
    response = client.post(f"/idees/{idea.id}/envoyer", follow_redirects=True)
    assert "en attente de validation" in response.text
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED and idea.submitted_at is not None


def test_pending_idea_is_hidden_from_everyone_but_its_author_and_facilitators(
    client, db, login, relogin, setting
):
    org, residence, challenge = setting
    idea = make_idea(challenge, _tenant(org, residence), status="submitted", title="Idée cachée")
    neighbour = _tenant(org, residence)
    facilitator = make_user("facilitator", org=org)
    db.session.commit()
    assert client.get(f"/idees/{idea.id}").status_code == 403
    assert "Idée cachée" not in client.get("/defis/accueil").text
    login(neighbour)
    assert client.get(f"/idees/{idea.id}").status_code == 403
    assert "Idée cachée" not in client.get("/defis/accueil").text
    relogin(facilitator)
    page = client.get(f"/idees/{idea.id}")
    assert page.status_code == 200 and "Publier cette idée" in page.text


def test_facilitator_publishes_a_pending_idea(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, _tenant(org, residence), status="submitted", title="À publier")
    facilitator = make_user("facilitator", org=org)
    db.session.commit()
    login(facilitator)
    assert client.post(f"/moderation/idees/{idea.id}/publier").status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.PUBLISHED and idea.published_at is not None
    client.post("/deconnexion")
    assert "À publier" in client.get("/defis/accueil").text


def test_publishing_twice_is_refused_with_403(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    login(make_user("facilitator", org=org))
    with unchanged():
        assert client.post(f"/moderation/idees/{idea.id}/publier").status_code == 403


def test_without_premoderation_sending_publishes_at_once(client, db, login):
    org = make_org()
    challenge = make_challenge(org=org, premoderation=False)
    author = make_user("tenant", org=org)
    idea = make_idea(challenge, author, status="draft")
    db.session.commit()
    login(author)
    client.post(f"/idees/{idea.id}/envoyer")
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.PUBLISHED


def test_bad_input_shows_the_form_again_with_french_errors_and_keeps_the_text(
    client, db, login, setting
):
    org, residence, challenge = setting
    login(_tenant(org, residence))
    response = client.post(
        "/defis/accueil/idees/nouvelle",
        data={
            "title": "x" * 121,
            "summary": "",
            "body": "mon texte gardé",
            "theme_id": 999,
            "residence_id": 0,
        },
    )
    assert response.status_code == 200
    assert "120 caractères au plus" in response.text and "Ce champ est obligatoire" in response.text
    assert "mon texte gardé" in response.text
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_residence_of_another_landlord_is_refused(client, db, login, setting):
    org, residence, challenge = setting
    elsewhere = make_residence(make_org())
    login(_tenant(org, residence))
    response = client.post(
        "/defis/accueil/idees/nouvelle",
        data={
            "title": "T",
            "summary": "S",
            "theme_id": 0,
            "residence_id": elsewhere.id,
            "save_draft": "1",
        },
    )
    assert response.status_code == 200 and "Choisissez dans la liste" in response.text


def test_tenant_of_another_landlord_cannot_submit_or_support(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    outsider = make_user("tenant", org=make_org())
    db.session.commit()
    login(outsider)
    assert client.get("/defis/accueil/idees/nouvelle").status_code == 403
    assert (
        client.post(
            "/defis/accueil/idees/nouvelle", data={"title": "T", "summary": "S"}
        ).status_code
        == 403
    )
    assert client.post(f"/idees/{idea.id}/soutien", data={"action": "add"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Support)) == 0


def test_residence_limited_challenge_refuses_tenants_of_other_residences(client, db, login):
    org = make_org()
    here, there = make_residence(org), make_residence(org)
    challenge = make_challenge(org=org, residences=[here])
    db.session.commit()
    login(make_user("tenant", org=org, residence=there))
    assert client.get(f"/defis/{challenge.slug}/idees/nouvelle").status_code == 403


@pytest.mark.parametrize("phase", ["draft", "review", "voting", "results", "archived"])
def test_no_submission_outside_ideation(client, db, login, phase):
    org = make_org()
    challenge = make_challenge(org=org, phase=phase)
    db.session.commit()
    login(make_user("tenant", org=org))
    assert client.get(f"/defis/{challenge.slug}/idees/nouvelle").status_code == 403


def test_ideation_closed_by_its_end_date_refuses_submission_without_anyone_clicking(
    client, db, login
):
    from datetime import timedelta

    from ideation.db_types import utcnow

    org = make_org()
    challenge = make_challenge(org=org, ideation_ends_at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    login(make_user("tenant", org=org))
    assert client.get(f"/defis/{challenge.slug}/idees/nouvelle").status_code == 403
    assert "le vote arrive bientôt" in client.get(f"/defis/{challenge.slug}").text


def test_support_on_and_off_is_counted_and_idempotent(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    login(_tenant(org, residence))
    db.session.commit()
    for _ in range(2):  # a double click counts once
        assert client.post(f"/idees/{idea.id}/soutien", data={"action": "add"}).status_code == 302
    db.session.refresh(idea)
    assert idea.supports_count == 1
    assert db.session.scalar(select(func.count()).select_from(Support)) == 1
    assert "Je soutiens" in client.get(f"/idees/{idea.id}").text
    client.post(f"/idees/{idea.id}/soutien", data={"action": "remove"})
    client.post(f"/idees/{idea.id}/soutien", data={"action": "remove"})
    db.session.refresh(idea)
    assert idea.supports_count == 0


def test_support_with_an_unknown_action_is_a_bad_request(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    login(_tenant(org, residence))
    with unchanged():
        assert (
            client.post(f"/idees/{idea.id}/soutien", data={"action": "toggle"}).status_code == 400
        )


def test_support_redirects_only_to_same_site_paths(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    login(_tenant(org, residence))
    response = client.post(
        f"/idees/{idea.id}/soutien", data={"action": "add", "next": "//evil.example"}
    )
    assert response.headers["Location"].endswith(f"/idees/{idea.id}")


def test_one_support_per_user_per_idea_is_a_database_constraint(db, setting):
    from sqlalchemy.exc import IntegrityError

    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    user = make_support(idea)
    with pytest.raises(IntegrityError):
        db.session.add(Support(idea_id=idea.id, user_id=user.id))
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("phase", ["review", "voting", "results"])
def test_supports_only_during_ideation(client, db, login, phase):
    org = make_org()
    challenge = make_challenge(org=org, phase=phase)
    idea = make_idea(challenge, status="published")
    db.session.commit()
    login(make_user("tenant", org=org))
    with unchanged():
        assert client.post(f"/idees/{idea.id}/soutien", data={"action": "add"}).status_code == 403


def test_author_cannot_support_own_idea(client, db, login, setting):
    org, residence, challenge = setting
    author = _tenant(org, residence)
    idea = make_idea(challenge, author, status="published")
    db.session.commit()
    login(author)
    with unchanged():
        assert client.post(f"/idees/{idea.id}/soutien", data={"action": "add"}).status_code == 403


def test_visitor_is_sent_to_login_to_support(client, db, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    db.session.commit()
    response = client.post(f"/idees/{idea.id}/soutien", data={"action": "add"})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_editing_a_sent_idea_keeps_a_revision_and_shows_modified_on(client, db, login, setting):
    org, residence, challenge = setting
    author = _tenant(org, residence)
    idea = make_idea(challenge, author, status="published", title="Avant")
    db.session.commit()
    login(author)
    response = client.post(
        f"/idees/{idea.id}/modifier",
        data={
            "title": "Après",
            "summary": "Nouveau résumé",
            "body": "",
            "theme_id": 0,
            "residence_id": 0,
            "save_draft": "1",
        },
    )
    assert response.status_code == 302
    revision = db.session.scalar(select(IdeaRevision))
    assert revision.title == "Avant"
    page = client.get(f"/idees/{idea.id}").text
    assert "Après" in page and "modifiée le" in page


def test_others_cannot_edit_and_shortlisted_ideas_are_frozen(client, db, login, relogin, setting):
    org, residence, challenge = setting
    author = _tenant(org, residence)
    idea = make_idea(challenge, author, status="published")
    frozen = make_idea(challenge, author, status="shortlisted")
    neighbour = _tenant(org, residence)
    db.session.commit()
    login(neighbour)
    assert client.get(f"/idees/{idea.id}/modifier").status_code == 403
    with unchanged():
        assert (
            client.post(
                f"/idees/{idea.id}/modifier", data={"title": "pirate", "summary": "x"}
            ).status_code
            == 403
        )
    relogin(author)
    assert client.get(f"/idees/{frozen.id}/modifier").status_code == 403


def test_author_withdraws_own_idea_and_it_leaves_the_list(client, db, login, setting):
    org, residence, challenge = setting
    author = _tenant(org, residence)
    idea = make_idea(challenge, author, status="published", title="Bientôt retirée")
    db.session.commit()
    login(author)
    assert client.post(f"/idees/{idea.id}/retirer").status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.WITHDRAWN
    client.post("/deconnexion")
    assert "Bientôt retirée" not in client.get("/defis/accueil").text
    assert client.get(f"/idees/{idea.id}").status_code == 403


def test_others_cannot_withdraw_or_send(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="draft")
    login(_tenant(org, residence))
    with unchanged():
        assert client.post(f"/idees/{idea.id}/retirer").status_code == 403
    with unchanged():
        assert client.post(f"/idees/{idea.id}/envoyer").status_code == 403
    assert client.get(f"/idees/{idea.id}/verifier").status_code == 403
    assert client.get(f"/idees/{idea.id}").status_code == 403


def test_sending_an_already_sent_idea_is_refused(client, db, login, setting):
    org, residence, challenge = setting
    author = _tenant(org, residence)
    idea = make_idea(challenge, author, status="submitted")
    db.session.commit()
    login(author)
    with unchanged():
        assert client.post(f"/idees/{idea.id}/envoyer").status_code == 403


def test_facilitator_shortlists_a_published_idea(client, db, login, relogin, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="published")
    db.session.commit()
    login(make_user("tenant", org=org))
    assert client.post(f"/moderation/idees/{idea.id}/retenir").status_code == 403
    relogin(make_user("facilitator", org=org))
    assert client.post(f"/moderation/idees/{idea.id}/retenir").status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SHORTLISTED


def test_facilitator_of_another_landlord_cannot_moderate(client, db, login, setting):
    org, residence, challenge = setting
    idea = make_idea(challenge, status="submitted")
    db.session.commit()
    login(make_user("facilitator", org=make_org()))
    with unchanged():
        assert client.post(f"/moderation/idees/{idea.id}/publier").status_code == 403
    assert client.get(f"/idees/{idea.id}").status_code == 403


def test_unknown_idea_is_404(client, db):
    assert client.get("/idees/999999").status_code == 404


def test_hostile_html_never_reaches_the_idea_page_unescaped(client, db, setting):
    org, residence, challenge = setting
    idea = make_idea(
        challenge,
        status="published",
        body='<script>alert(1)</script> [x](javascript:alert(2)) <a href="x" onclick="y">z</a> {{7*7}}',
    )
    db.session.commit()
    page = client.get(f"/idees/{idea.id}").text
    for raw in ("<script>alert", "<img src=x", '<a href="x" onclick', 'href="javascript'):
        assert raw not in page, raw
    assert "&lt;script&gt;" in page and "{{7*7}}" in page
    assert HOSTILE not in page
    listing = client.get(f"/defis/{challenge.slug}").text
    assert HOSTILE not in listing and "<script>alert" not in listing
