"""Duplicates caught early: the similar-idea step counts look-alikes awaiting moderation,
the queue flags a likely duplicate and offers "Regrouper", and after each action the
facilitator is back in the queue on the next item."""

from __future__ import annotations

from sqlalchemy import select

from ideation.domain.idea_states import IdeaStatus
from ideation.ideas.models import Idea
from tests.factories import make_challenge, make_idea, make_org, make_user


def _setting(db):
    org = make_org("Rhône Habitat Solidaire")
    challenge = make_challenge(org=org, slug="defi-cour")
    facilitator = make_user("facilitator", org=org)
    me = make_user(org=org)
    return org, challenge, facilitator, me


def _status(db, idea) -> IdeaStatus:
    db.session.expire_all()
    return db.session.get(Idea, idea.id).status


def test_the_check_step_says_a_close_idea_awaits_moderation_without_showing_it(client, db, login):
    org, challenge, _f, me = _setting(db)
    make_idea(
        challenge,
        status="submitted",
        title="Un composteur collectif dans la cour",
        summary="Composteur pour les épluchures",
    )
    draft = make_idea(
        challenge, me, status="draft", title="Composteur de quartier", summary="Un composteur"
    )
    db.session.commit()
    login(me)
    page = client.get(f"/idees/{draft.id}/verifier").get_data(as_text=True)
    assert (
        "Une idée proche attend d&#39;être publiée" in page
        or "Une idée proche attend d'être publiée" in page
    )
    assert "Votre idée semble nouvelle" not in page
    assert "Un composteur collectif dans la cour" not in page  # unpublished text stays unread


def test_a_sent_near_copy_is_flagged_and_regrouped_from_the_queue(client, db, login):
    org, challenge, facilitator, me = _setting(db)
    twin = make_idea(
        challenge, status="published", title="Un composteur collectif", summary="Composteur"
    )
    draft = make_idea(
        challenge, me, status="draft", title="Composteur pour la résidence", summary="Composteur"
    )
    db.session.commit()
    login(me)
    assert client.post(f"/idees/{draft.id}/envoyer").status_code == 302
    db.session.expire_all()
    sent = db.session.get(Idea, draft.id)
    assert sent.status == IdeaStatus.SUBMITTED and sent.likely_duplicate_of_id == twin.id

    client.post("/deconnexion")
    login(facilitator)
    queue = client.get("/moderation?onglet=attente").get_data(as_text=True)
    card = queue[queue.index(f'id="idee-{draft.id}"') :].split("</li>")[0]
    assert "Doublon probable" in card and "Un composteur collectif" in card
    assert f'action="/moderation/idees/{draft.id}/regrouper"' in card
    assert f'name="merge-target" value="{twin.id}"' in card
    response = client.post(
        f"/moderation/idees/{draft.id}/regrouper",
        data={"merge-target": twin.id, "merge-reason": "Même idée."},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/moderation"
    assert _status(db, draft) == IdeaStatus.MERGED
    assert db.session.get(Idea, draft.id).merged_into_id == twin.id


def test_a_look_alike_that_also_waits_is_flagged_without_a_regroup_button(client, db, login):
    org, challenge, facilitator, me = _setting(db)
    make_idea(challenge, status="submitted", title="Des bacs à fleurs", summary="Fleurs")
    draft = make_idea(challenge, me, status="draft", title="Des fleurs au balcon", summary="Fleurs")
    db.session.commit()
    login(me)
    client.post(f"/idees/{draft.id}/envoyer")
    client.post("/deconnexion")
    login(facilitator)
    queue = client.get("/moderation?onglet=attente").get_data(as_text=True)
    card = queue[queue.index(f'id="idee-{draft.id}"') :].split("</li>")[0]
    assert "en attente elle aussi" in card and "/regrouper" not in card


def test_after_publishing_the_facilitator_is_on_the_next_item_of_the_queue(client, db, login):
    org, challenge, facilitator, _me = _setting(db)
    first = make_idea(challenge, status="submitted", title="Première")
    second = make_idea(challenge, status="submitted", title="Deuxième")
    db.session.commit()
    login(facilitator)
    response = client.post(f"/moderation/idees/{first.id}/publier")
    assert response.headers["Location"] == f"/moderation?onglet=attente#idee-{second.id}"
    response = client.post(
        f"/moderation/idees/{second.id}/refuser", data={"reject-reason": "Hors sujet."}
    )
    assert response.headers["Location"] == "/moderation"
    assert (_status(db, first), _status(db, second)) == (
        IdeaStatus.PUBLISHED,
        IdeaStatus.REJECTED,
    )


def test_an_action_from_the_idea_page_still_comes_back_to_it(client, db, login):
    org, challenge, facilitator, _me = _setting(db)
    idea = make_idea(challenge, status="submitted")
    make_idea(challenge, status="submitted")
    db.session.commit()
    login(facilitator)
    response = client.post(
        f"/moderation/idees/{idea.id}/publier", data={"next": f"/idees/{idea.id}"}
    )
    assert response.headers["Location"] == f"/idees/{idea.id}"


def test_flagged_rows_cost_one_query_whatever_their_number(app, client, db, login, count_queries):
    org, challenge, facilitator, _me = _setting(db)

    def add(n: int) -> None:
        for k in range(n):
            twin = make_idea(challenge, status="published", title=f"Jumelle {k}")
            idea = make_idea(challenge, status="submitted", title=f"Copie {k}")
            idea.likely_duplicate_of_id = twin.id
        db.session.commit()

    add(2)
    login(facilitator)
    client.get("/moderation?onglet=attente")
    with count_queries() as small:
        client.get("/moderation?onglet=attente")
    add(10)
    with count_queries() as large:
        page = client.get("/moderation?onglet=attente").get_data(as_text=True)
    assert large.count == small.count
    assert page.count("Doublon probable") == 12
    assert db.session.scalars(select(Idea).where(Idea.likely_duplicate_of_id.is_not(None))).all()
