"""Challenges through the test client: list, facilitator pages, phases, the calendar, the CLI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideation.challenges.models import Challenge
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from tests.factories import (
    HOSTILE,
    make_challenge,
    make_idea,
    make_org,
    make_regional,
    make_residence,
    make_theme,
    make_user,
)
from tests.helpers import unchanged


def _form(**over):
    data = {
        "title": "Comment mieux accueillir les nouveaux locataires ?",
        "summary": "Vos idées pour les premiers jours.",
        "description": "Un **défi** simple.\n\n<script>alert(1)</script>",
        "theme_id": 0,
        "organisation_id": 0,
        "edition_id": 0,
        "premoderation": "y",
        "ideation_ends_on": "",
        "voting_starts_on": "",
        "voting_ends_on": "",
        "vote_method": "schulze",
        "vote_winners": "3",
    }
    data.update(over)
    return data


def test_list_shows_open_challenges_first_with_the_deadline_in_words(client, db):
    make_challenge(phase="archived", title="Défi archivé")
    make_challenge(
        phase="ideation",
        title="Défi ouvert",
        ideation_ends_at=utcnow() + timedelta(days=12, hours=1),
    )
    make_challenge(phase="draft", title="Défi secret")
    db.session.commit()
    page = client.get("/defis").text
    assert page.index("Défi ouvert") < page.index("Défi archivé")
    assert "encore 13 jours pour proposer" in page or "encore 12 jours pour proposer" in page
    assert "Défi secret" not in page


def test_home_page_shows_current_challenges(client, db):
    make_challenge(phase="ideation", title="Jardins partagés")
    make_challenge(phase="archived", title="Vieux défi")
    db.session.commit()
    page = client.get("/").text
    assert "Jardins partagés" in page and "Vieux défi" not in page


def test_hostile_text_is_escaped_or_sanitised_on_challenge_pages(client, db):
    challenge = make_challenge(phase="ideation")
    make_idea(challenge, status="published")
    db.session.commit()
    for path in ("/defis", f"/defis/{challenge.slug}", "/"):
        page = client.get(path).text
        assert (
            HOSTILE not in page and "<script>alert" not in page and 'href="javascript' not in page
        )
    assert "{{7*7}}" in client.get(f"/defis/{challenge.slug}").text


def test_facilitator_creates_previews_and_publishes_a_challenge(client, db, login):
    regional = make_regional()
    theme = make_theme("Services de demain")
    login(make_user("facilitator", org=regional))
    response = client.post(
        "/defis/nouveau", data=_form(theme_id=theme.id, ideation_ends_on="2099-05-31")
    )
    assert response.status_code == 302 and "/apercu" in response.headers["Location"]
    challenge = db.session.scalar(select(Challenge))
    assert challenge.phase == Phase.DRAFT and challenge.slug.startswith("comment-mieux-accueillir")
    assert (
        "<strong>défi</strong>" in challenge.description_html
        and "<script>" not in challenge.description_html
    )
    assert challenge.description_source.endswith("<script>alert(1)</script>")
    assert challenge.ideation_ends_at.isoformat().startswith(
        "2099-05-31T22:00"
    )  # midnight Paris, summer
    preview = client.get(response.headers["Location"]).text
    assert "Aperçu" in preview and "Publier et ouvrir aux idées" in preview
    client.post("/deconnexion")
    assert client.get(f"/defis/{challenge.slug}").status_code == 403  # a draft is not public
    login(make_user("facilitator", org=regional))
    assert (
        client.post(f"/defis/{challenge.slug}/phase", data={"target": "ideation"}).status_code
        == 302
    )
    db.session.refresh(challenge)
    assert challenge.phase == Phase.IDEATION and challenge.published_at is not None


def test_challenge_form_errors_are_french_and_keep_input(client, db, login):
    login(make_user("facilitator", org=make_regional()))
    response = client.post(
        "/defis/nouveau",
        data=_form(title="", summary="garde-moi", ideation_ends_on="31/02/2026", vote_winners="0"),
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.text and "Écrivez une date" in response.text
    assert "Entre 1 et 20" in response.text and "garde-moi" in response.text


def test_contradictory_dates_are_refused(client, db, login):
    login(make_user("facilitator", org=make_regional()))
    response = client.post(
        "/defis/nouveau", data=_form(ideation_ends_on="2099-06-30", voting_starts_on="2099-06-01")
    )
    assert (
        response.status_code == 200
        and "Le vote ne peut pas commencer avant la fin des idées" in response.text
    )


def test_landlord_facilitator_creates_only_for_own_organisation(client, db, login):
    own, other = make_org(), make_org()
    residence = make_residence(other)
    login(make_user("facilitator", org=own))
    assert (
        client.post("/defis/nouveau", data=_form(organisation_id=0)).status_code == 200
    )  # not a choice
    assert client.post("/defis/nouveau", data=_form(organisation_id=other.id)).status_code == 200
    assert db.session.scalar(select(Challenge)) is None
    response = client.post(
        "/defis/nouveau", data=_form(organisation_id=own.id, residence_ids=[residence.id])
    )
    assert "Ces résidences doivent appartenir au bailleur choisi" in response.text
    assert client.post("/defis/nouveau", data=_form(organisation_id=own.id)).status_code == 302
    assert db.session.scalar(select(Challenge)).organisation_id == own.id


@pytest.mark.parametrize("role", ["tenant", "staff", "bailleur"])
def test_participants_cannot_create_edit_or_move_challenges(client, db, login, role):
    org = make_org()
    challenge = make_challenge(org=org, phase="ideation")
    db.session.commit()
    login(make_user(role, org=org))
    assert client.get("/defis/nouveau").status_code == 403
    with unchanged():
        assert client.post("/defis/nouveau", data=_form()).status_code == 403
    with unchanged():
        assert client.post(f"/defis/{challenge.slug}/modifier", data=_form()).status_code == 403
    with unchanged():
        assert (
            client.post(f"/defis/{challenge.slug}/phase", data={"target": "review"}).status_code
            == 403
        )
    assert client.get(f"/defis/{challenge.slug}/gestion").status_code == 403


def test_facilitator_of_another_landlord_cannot_run_the_challenge(client, db, login):
    challenge = make_challenge(org=make_org(), phase="ideation")
    db.session.commit()
    login(make_user("facilitator", org=make_org()))
    assert client.get(f"/defis/{challenge.slug}/modifier").status_code == 403
    with unchanged():
        assert (
            client.post(f"/defis/{challenge.slug}/phase", data={"target": "review"}).status_code
            == 403
        )


def test_facilitator_edits_and_the_source_is_kept(client, db, login):
    regional = make_regional()
    challenge = make_challenge(phase="ideation")
    db.session.commit()
    login(make_user("facilitator", org=regional))
    form = client.get(f"/defis/{challenge.slug}/modifier").text
    assert "**votre**" in form  # the Markdown source, for editing
    client.post(
        f"/defis/{challenge.slug}/modifier", data=_form(title="Nouveau titre", description="*ok*")
    )
    db.session.refresh(challenge)
    assert challenge.title == "Nouveau titre" and challenge.description_html == "<p><em>ok</em></p>"


def test_skipping_a_phase_is_refused_with_a_message(client, db, login):
    challenge = make_challenge(phase="ideation")
    db.session.commit()
    login(make_user("facilitator", org=make_regional()))
    response = client.post(
        f"/defis/{challenge.slug}/phase", data={"target": "results"}, follow_redirects=True
    )
    assert "une à la fois" in response.text
    db.session.refresh(challenge)
    assert challenge.phase == Phase.IDEATION
    assert (
        client.post(f"/defis/{challenge.slug}/phase", data={"target": "nonsense"}).status_code
        == 400
    )


def test_closing_ideation_by_hand_moves_the_end_date_to_now(client, db, login):
    challenge = make_challenge(phase="ideation", ideation_ends_at=utcnow() + timedelta(days=5))
    db.session.commit()
    login(make_user("facilitator", org=make_regional()))
    client.post(f"/defis/{challenge.slug}/phase", data={"target": "review"})
    db.session.refresh(challenge)
    assert challenge.phase == Phase.REVIEW and challenge.ideation_ends_at <= utcnow()


def test_manage_page_lists_ideas_by_status(client, db, login):
    challenge = make_challenge(phase="ideation")
    make_idea(challenge, status="submitted", title="En attente 1")
    make_idea(challenge, status="published", title="Publiée 1")
    make_idea(challenge, status="draft", title="Brouillon privé")
    db.session.commit()
    login(make_user("facilitator", org=make_regional()))
    page = client.get(f"/defis/{challenge.slug}/gestion").text
    assert "En attente 1" in page and "Publiée 1" not in page and "Brouillon privé" not in page
    page = client.get(f"/defis/{challenge.slug}/gestion?status=published").text
    assert "Publiée 1" in page and "Retenir pour le vote" in page
    assert client.get(f"/defis/{challenge.slug}/gestion?status=draft").status_code == 200
    assert "Brouillon privé" not in client.get(f"/defis/{challenge.slug}/gestion?status=draft").text


def test_cli_advance_stores_the_calendar_phase(app, db, runner):
    past = utcnow() - timedelta(days=1)
    moved = make_challenge(phase="ideation", slug="fini", ideation_ends_at=past)
    stays = make_challenge(
        phase="ideation", slug="ouvert", ideation_ends_at=utcnow() + timedelta(days=3)
    )
    db.session.commit()
    result = runner.invoke(args=["challenges", "advance"])
    assert result.exit_code == 0, result.output
    assert "fini : review" in result.output and "1 défi(s)" in result.output
    db.session.expire_all()
    assert db.session.get(Challenge, moved.id).phase == Phase.REVIEW
    assert db.session.get(Challenge, stays.id).phase == Phase.IDEATION


def test_phase_is_evaluated_on_read_before_the_cron_runs(client, db):
    challenge = make_challenge(phase="voting", voting_ends_at=utcnow() - timedelta(hours=1))
    db.session.commit()
    assert "Les résultats sont publiés" in client.get(f"/defis/{challenge.slug}").text
    db.session.refresh(challenge)
    assert challenge.phase == Phase.VOTING  # GET never changes state


def test_unknown_challenge_is_404(client, db):
    assert client.get("/defis/nope").status_code == 404
