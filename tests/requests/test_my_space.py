"""My space ("Mes participations") and the home page's "À faire" strip."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from ideation.domain.idea_states import IdeaStatus
from ideation.ideas.models import Idea, Support
from ideation.pilots.models import PilotFollower
from tests.factories import (
    make_ballot,
    make_challenge,
    make_comment,
    make_idea,
    make_org,
    make_pilot,
    make_residence,
    make_user,
)
from tests.helpers import plain


def _world(db):
    org = make_org("Rhône Habitat Solidaire")
    residence = make_residence(org, "Les Tilleuls")
    me = make_user(org=org, residence=residence, display_name="Nadia B.")
    challenge = make_challenge(org=org, title="Mieux accueillir les nouveaux")
    vote = make_challenge(org=org, phase="voting", title="Le jardin partagé")
    make_idea(vote, status="shortlisted", title="Un potager")
    make_idea(vote, status="shortlisted", title="Des fleurs")
    draft = make_idea(challenge, me, status="draft", title="Un livret d'accueil")
    pending = make_idea(challenge, me, status="submitted", title="Un parrainage")
    published = make_idea(challenge, me, status="published", title="Une fête des voisins")
    rejected = make_idea(challenge, me, status="rejected", title="Un parking privé")
    rejected.status_reason = "Hors du sujet du défi."
    other = make_idea(challenge, status="published", title="Des bancs dans la cour")
    db.session.add(Support(idea_id=other.id, user_id=me.id))
    make_comment(other, me, body="Bonne idée !")
    pilot = make_pilot(org, title="Le compost collectif")
    db.session.add(PilotFollower(pilot_id=pilot.id, user_id=me.id))
    db.session.commit()
    return me, {"draft": draft, "pending": pending, "published": published, "vote": vote}


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else None]


def test_my_space_lists_everything_i_took_part_in(client, db, login):
    me, ideas = _world(db)
    login(me)
    page = client.get("/compte/mes-participations").get_data(as_text=True)
    mine = _section(page, "space-ideas")
    for title in (
        "Un livret d&#39;accueil",
        "Un parrainage",
        "Une fête des voisins",
        "Un parking privé",
    ):
        assert title in mine
    assert "Raison donnée par l'équipe : Hors du sujet du défi." in mine
    assert f'href="/idees/{ideas["draft"].id}/modifier"' in mine
    assert "Des bancs dans la cour" in _section(page, "space-supports")
    assert "(1)" in _section(page, "space-supports")
    assert "Des bancs dans la cour" in _section(page, "space-comments")
    assert "Le compost collectif" in _section(page, "space-pilots")
    votes = _section(page, "space-votes")
    assert "Voter pour « Le jardin partagé »" in plain(votes)
    assert 'href="/defis/' + ideas["vote"].slug + '/vote"' in votes


def test_once_voted_the_vote_is_listed_as_cast_and_can_be_changed(client, db, login):
    me, ideas = _world(db)
    vote = ideas["vote"]
    first = db.session.scalar(select(Idea.id).where(Idea.challenge_id == vote.id).limit(1))
    make_ballot(vote, me, [[first]])
    db.session.commit()
    login(me)
    votes = _section(client.get("/compte/mes-participations").get_data(as_text=True), "space-votes")
    assert "Voter pour" not in votes
    assert "Vote déposé pour « Le jardin partagé »" in plain(votes) and "Changer mon vote" in votes


def test_nobody_sees_another_persons_space(client, db, login):
    _me, _ideas = _world(db)
    login(make_user(display_name="Quelqu'un d'autre"))
    page = client.get("/compte/mes-participations").get_data(as_text=True)
    assert "Un livret d&#39;accueil" not in page and "Un parrainage" not in page
    assert "Aucun brouillon." in page


def test_the_home_page_says_what_is_left_to_do(client, db, login):
    me, ideas = _world(db)
    login(me)
    page = client.get("/").get_data(as_text=True)
    strip = page[page.index('class="todo-strip"') :].split("</section>")[0]
    assert "Voter pour « Le jardin partagé »" in plain(strip)
    assert "Finir mon brouillon « Un livret d&#39;accueil »" in plain(strip)
    assert 'href="/compte/mes-participations"' in strip


def test_visitors_and_people_with_nothing_to_do_get_no_strip(client, db, login):
    _world(db)
    assert 'class="todo-strip"' not in client.get("/").get_data(as_text=True)
    login(make_user())  # another landlord's tenant: no vote in scope, no draft
    assert 'class="todo-strip"' not in client.get("/").get_data(as_text=True)


def test_my_space_runs_the_same_queries_at_two_sizes(client, db, login, count_queries):
    me, ideas = _world(db)
    login(me)
    client.get("/compte/mes-participations")
    with count_queries() as small:
        assert client.get("/compte/mes-participations").status_code == 200
    challenge = ideas["draft"].challenge
    for n in range(30):
        idea = make_idea(challenge, me, status="published", title=f"Idée {n}")
        other = make_idea(challenge, status="published")
        db.session.add(Support(idea_id=other.id, user_id=me.id))
        make_comment(idea, me)
    db.session.commit()
    with count_queries() as large:
        page = client.get("/compte/mes-participations").get_data(as_text=True)
    assert large.count == small.count
    assert "(31)" in _section(page, "space-supports")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Idea)
            .where(Idea.author_id == me.id, Idea.status == IdeaStatus.PUBLISHED)
        )
        == 31
    )
    assert len(re.findall(r'class="space-item"', _section(page, "space-supports"))) == 20


def test_the_workshop_of_the_next_two_days_is_on_the_home_strip(client, db, login):
    from ideation.workshops.services import register
    from tests.factories import make_workshop

    me = make_user(display_name="Awa D.")
    soon = make_workshop(title="Atelier vélo", starts_in=timedelta(hours=20))
    later = make_workshop(title="Atelier compost", starts_in=timedelta(days=9))
    db.session.commit()
    for workshop in (soon, later):
        register(workshop, me)
    db.session.commit()
    login(me)
    page = client.get("/").get_data(as_text=True)
    strip = plain(page[page.index('class="todo-strip"') :].split("</section>")[0])
    assert "Mon atelier « Atelier vélo »," in strip and f'href="/ateliers/{soon.id}"' in strip
    assert "Atelier compost" not in strip
