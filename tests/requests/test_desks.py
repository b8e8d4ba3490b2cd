"""Voting desks through their pages: a facilitator opens one with its assessors; an
assessor finds a participant (name, residence or card code), records their ranking or
ticks them for the urn; the receipt, the voters' list, the urn's close; every refusal."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from ideation.assisted.services import create_assisted_account
from ideation.core.audit import AuditEntry
from ideation.desks.models import VoteDesk
from ideation.domain.desks import Channel
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoterMark
from tests.factories import make_residence, make_user, make_workshop
from tests.helpers import plain as _plain
from tests.helpers import unchanged
from tests.paper_world import paper_vote


def plain(html: str) -> str:
    """The page's words as read: tags dropped, spaces collapsed, entities decoded."""
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(_plain(html))).split())


@pytest.fixture
def login(client, login):
    def _switch(user):
        client.post("/deconnexion")
        return login(user)

    return _switch


@pytest.fixture
def world(db):
    w = paper_vote(ticked=0, sheets=0, slug="defi-bureau")
    w["residence"] = make_residence(w["org"], name="Les Tilleuls", city="Vaulx-en-Velin")
    w["other_residence"] = make_residence(w["org"], name="Le Mas", city="Vaulx-en-Velin")
    w["ines"] = make_user(
        Role.TENANT, org=w["org"], residence=w["residence"], display_name="Inès Benali"
    )
    w["ines_bis"] = make_user(
        Role.TENANT, org=w["org"], residence=w["other_residence"], display_name="Inès Martin"
    )
    w["karim"] = make_user(
        Role.TENANT, org=w["org"], residence=w["residence"], display_name="Karim Haddad"
    )
    _db.session.commit()
    return w


def _desk_url(world, tail: str = "") -> str:
    return f"/bureaux/{world['desk'].id}{tail}"


def _ranking_form(world, *ranks: str) -> dict[str, str]:
    return {f"rang-{idea.id}": rank for idea, rank in zip(world["ideas"], ranks, strict=False)}


def _ballot(world, voter) -> Ballot | None:
    _db.session.expire_all()
    return voting.get_ballot(world["challenge"].id, voter.id)


# --- opening a desk -------------------------------------------------------------------------


def test_facilitator_opens_a_desk_at_a_workshop_with_its_assessors(client, login, world):
    workshop = make_workshop(title="Atelier du 12 mars", challenges=[world["challenge"]])
    host = make_user(Role.TENANT, org=world["org"], display_name="Hôte Bénévole")
    workshop.hosts = [host]
    _db.session.commit()
    login(world["facilitator"])
    page = client.get("/defis/defi-bureau/bureaux")
    assert page.status_code == 200
    text = plain(page.text)
    assert "Loge des Tilleuls" in text and "Ouvrir un bureau de vote" in text
    assert "Alice Assesseure" in text and "Hôte Bénévole" in text  # a workshop host may assess
    alice = world["assessors"][0]
    response = client.post(
        "/defis/defi-bureau/bureaux",
        data={
            "name": "Bureau de l'atelier",
            "place": "Salle polyvalente",
            "workshop_id": str(workshop.id),
            "assessor_ids": [str(alice.id), str(host.id)],
        },
    )
    assert response.status_code == 302
    desk = _db.session.scalar(select(VoteDesk).where(VoteDesk.name == "Bureau de l'atelier"))
    assert desk.workshop_id == workshop.id and desk.place == "Salle polyvalente"
    assert desk.assessor_ids == {alice.id, host.id}
    assert desk.opened_by_id == world["facilitator"].id and desk.is_open
    assert response.headers["Location"].endswith(f"/bureaux/{desk.id}")
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "desk.open"))
    assert entry.target_type == "desk" and entry.details == {"assessors": 2}


def test_opening_a_desk_without_name_or_assessor_keeps_what_was_typed(client, login, world):
    login(world["facilitator"])
    with unchanged(VoteDesk):
        response = client.post(
            "/defis/defi-bureau/bureaux",
            data={"name": "", "place": "Hall B", "workshop_id": "0"},
        )
    assert response.status_code == 422
    text = plain(response.text)
    assert "Nom du bureau : Ce champ est obligatoire." in text
    assert "Choisissez au moins un·e assesseur·e." in text
    assert 'value="Hall B"' in response.text


def test_assessors_must_come_from_the_list(client, login, world):
    stranger = make_user(Role.STAFF)  # another landlord's staff
    login(world["facilitator"])
    with unchanged(VoteDesk):
        response = client.post(
            "/defis/defi-bureau/bureaux",
            data={"name": "Bureau", "workshop_id": "0", "assessor_ids": [str(stranger.id)]},
        )
    assert response.status_code == 422
    assert "Choisissez les assesseur·es dans la liste." in plain(response.text)


def test_only_who_runs_the_vote_opens_desks_and_only_while_it_is_open(client, login, world):
    data = {"name": "Bureau", "workshop_id": "0", "assessor_ids": [str(world["assessors"][0].id)]}
    for who in (world["assessors"][0], world["ines"]):
        login(who)
        with unchanged(VoteDesk):
            assert client.post("/defis/defi-bureau/bureaux", data=data).status_code == 403
        assert client.get("/defis/defi-bureau/bureaux").status_code == 403
    world["challenge"].phase = world["challenge"].phase.__class__("review")
    _db.session.commit()
    login(world["facilitator"])
    page = client.get("/defis/defi-bureau/bureaux")
    assert "On ouvre un bureau de vote seulement pendant le vote." in plain(page.text)
    with unchanged(VoteDesk):
        assert client.post("/defis/defi-bureau/bureaux", data=data).status_code == 403


# --- finding a participant --------------------------------------------------------------------


def test_assessor_finds_people_by_name_and_residence_and_sees_how_they_voted(client, login, world):
    voting.cast_ballot(world["challenge"], world["ines"].id, [[world["ideas"][0].id]])
    _db.session.commit()
    login(world["assessors"][1])
    text = plain(client.get(_desk_url(world, "?name=inès")).text)
    assert "2 personnes trouvées" in text
    assert "Inès Benali — Les Tilleuls (Vaulx-en-Velin)" in text and "A voté en ligne." in text
    assert "Inès Martin" in text and "N'a pas encore voté." in text
    narrowed = plain(
        client.get(_desk_url(world, f"?name=inès&residence_id={world['residence'].id}")).text
    )
    assert "1 personne trouvée" in narrowed
    assert "Inès Benali" in narrowed and "Inès Martin" not in narrowed
    assert "Personne ne correspond" in plain(client.get(_desk_url(world, "?name=zzz")).text)
    empty = client.get(_desk_url(world, "?name="))
    assert empty.status_code == 422
    assert "Tapez un nom, choisissez une résidence ou tapez un code." in plain(empty.text)


def test_a_name_search_stays_within_the_votes_landlord(client, login, world):
    make_user(Role.TENANT, display_name="Inès Ailleurs")  # another landlord
    login(world["assessors"][0])
    text = plain(client.get(_desk_url(world, "?name=Inès")).text)
    assert "Inès Ailleurs" not in text and "2 personnes trouvées" in text


def test_assessor_finds_a_participant_by_the_code_of_their_card(client, login, world):
    person, code = create_assisted_account(
        world["assessors"][0],
        display_name="Gérard Sans-Mail",
        organisation=world["org"],
        residence_id=world["residence"].id,
        phone="",
        workshop=None,
    )
    _db.session.commit()
    login(world["assessors"][0])
    text = plain(client.get(_desk_url(world, f"?code={code.lower()}")).text)
    assert "1 personne trouvée" in text and "Gérard Sans-Mail" in text
    assert "0 personne trouvée" in plain(client.get(_desk_url(world, "?code=AAAA-BBBB")).text)


# --- recording a ranking ----------------------------------------------------------------------


def test_assessor_records_a_ranking_with_a_tie_and_the_participant_gets_a_receipt(
    client, login, world
):
    alice, ines = world["assessors"][0], world["ines"]
    login(alice)
    page = client.get(_desk_url(world, f"/votants/{ines.id}"))
    assert "Cette personne n'a pas encore voté." in plain(page.text)
    response = client.post(
        _desk_url(world, f"/votants/{ines.id}"), data=_ranking_form(world, "1", "1", "2")
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/recu")
    ballot = _ballot(world, ines)
    a, b, c = (i.id for i in world["ideas"])
    assert ballot.channel == Channel.DESK and ballot.desk_id == world["desk"].id
    assert ballot.ranking == [sorted([a, b]), [c]] or ballot.ranking == [[b, a], [c]]
    receipt = client.get(_desk_url(world, "/recu"))
    assert ballot.receipt in receipt.text and "Imprimer le reçu" in plain(receipt.text)
    mark = _db.session.scalar(select(VoterMark).where(VoterMark.voter_id == ines.id))
    assert (mark.channel, mark.desk_id, mark.marked_by_id) == (
        Channel.DESK,
        world["desk"].id,
        alice.id,
    )
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "desk.ballot"))
    assert entry.details == {"voter_id": ines.id, "replaced_online": False}
    # Audited without the ranking: nothing of it in the journal.
    assert "ranking" not in entry.details and str(a) not in entry.reason


def test_a_desk_ballot_replaces_the_online_one_and_online_voting_then_refuses(client, login, world):
    karim = world["karim"]
    a, b, c = (i.id for i in world["ideas"])
    online = voting.cast_ballot(world["challenge"], karim.id, [[a]])
    _db.session.commit()
    login(world["assessors"][0])
    page = client.get(_desk_url(world, f"/votants/{karim.id}"))
    assert "Cette personne a déjà voté en ligne" in plain(page.text)
    client.post(_desk_url(world, f"/votants/{karim.id}"), data=_ranking_form(world, "3", "1", "2"))
    ballot = _ballot(world, karim)
    assert ballot.channel == Channel.DESK and ballot.ranking == [[b], [c], [a]]
    assert ballot.receipt != online
    assert "remplace le vote en ligne" in plain(client.get(_desk_url(world, "/recu")).text)
    assert len(list(_db.session.scalars(select(Ballot).where(Ballot.voter_id == karim.id)))) == 1
    login(karim)
    with unchanged(Ballot):
        response = client.post("/defis/defi-bureau/vote", data={f"rang-{a}": "1"})
    assert response.status_code == 200  # the ballot page again, with the message
    assert "bureau de vote" in plain(response.text)


def test_a_bad_ranking_is_refused_on_the_form_with_what_was_chosen(client, login, world):
    login(world["assessors"][0])
    ines = world["ines"]
    with unchanged(Ballot, VoterMark):
        response = client.post(_desk_url(world, f"/votants/{ines.id}"), data={})
        assert response.status_code == 422
        assert "Classez au moins une idée" in plain(response.text)
        response = client.post(
            _desk_url(world, f"/votants/{ines.id}"), data=_ranking_form(world, "1", "99")
        )
    assert response.status_code == 422
    assert 'value="99" selected' in response.text


def test_who_is_not_a_voter_of_this_vote_is_refused_at_the_desk(client, login, world):
    outsider = make_user(Role.TENANT, display_name="Ailleurs")  # another landlord
    login(world["assessors"][0])
    page = client.get(_desk_url(world, f"/votants/{outsider.id}"))
    assert "ne fait pas partie des votant·es de ce défi" in plain(page.text)
    with unchanged(Ballot, VoterMark):
        response = client.post(
            _desk_url(world, f"/votants/{outsider.id}"), data=_ranking_form(world, "1")
        )
        assert response.status_code == 422
        assert (
            client.post(_desk_url(world, f"/votants/{outsider.id}/emargement")).status_code == 302
        )


# --- paper voters -----------------------------------------------------------------------------


def test_ticking_a_paper_voter_annuls_their_online_ballot_and_ends_every_other_way(
    client, login, world
):
    ines = world["ines"]
    a = world["ideas"][0].id
    voting.cast_ballot(world["challenge"], ines.id, [[a]])
    _db.session.commit()
    login(world["assessors"][2])
    response = client.post(
        _desk_url(world, f"/votants/{ines.id}/emargement"), follow_redirects=True
    )
    text = plain(response.text)
    assert "Inès Benali est émargé·e" in text and "Son vote en ligne est annulé" in text
    assert _ballot(world, ines) is None
    mark = _db.session.scalar(select(VoterMark).where(VoterMark.voter_id == ines.id))
    assert mark.channel == Channel.PAPER
    # Neither a desk ballot nor a second tick now.
    page = client.get(_desk_url(world, f"/votants/{ines.id}"))
    assert "Cette personne a voté sur papier" in plain(page.text)
    with unchanged(Ballot, VoterMark):
        refused = client.post(
            _desk_url(world, f"/votants/{ines.id}"), data=_ranking_form(world, "1")
        )
        assert refused.status_code == 422 and "papier" in plain(refused.text)
        again = client.post(
            _desk_url(world, f"/votants/{ines.id}/emargement"), follow_redirects=True
        )
    assert "papier" in plain(again.text)


def test_the_voters_list_shows_who_voted_here_how_and_by_whom(client, login, world):
    alice = world["assessors"][0]
    login(alice)
    client.post(_desk_url(world, f"/votants/{world['ines'].id}"), data=_ranking_form(world, "1"))
    client.post(_desk_url(world, f"/votants/{world['karim'].id}/emargement"))
    text = plain(client.get(_desk_url(world, "/emargement")).text)
    assert "2 votant·es à ce bureau" in text
    assert "Inès Benali" in text and "Bureau de vote" in text
    assert "Karim Haddad" in text and "Papier" in text and "Alice Assesseure" in text


# --- who works at the desk --------------------------------------------------------------------


def test_only_the_desks_assessors_and_who_runs_the_vote_work_at_it(client, login, world):
    other_desk = VoteDesk(challenge_id=world["challenge"].id, name="Autre bureau")
    other_assessor = make_user(Role.STAFF, org=world["org"])
    other_desk.assessors = [other_assessor]
    _db.session.add(other_desk)
    _db.session.commit()
    ines = world["ines"]
    for who in (other_assessor, world["karim"], make_user(Role.STAFF, org=world["org"])):
        login(who)
        for path in ("", "?name=Inès", f"/votants/{ines.id}", "/emargement", "/recu"):
            assert client.get(_desk_url(world, path)).status_code == 403, (who, path)
        with unchanged(Ballot, VoterMark):
            post = client.post(
                _desk_url(world, f"/votants/{ines.id}"), data=_ranking_form(world, "1")
            )
            assert post.status_code == 403
            assert (
                client.post(_desk_url(world, f"/votants/{ines.id}/emargement")).status_code == 403
            )
    login(world["facilitator"])  # who runs the vote may stand in
    assert client.get(_desk_url(world, f"/votants/{ines.id}")).status_code == 200
    # An assessor does not close the urn.
    login(world["assessors"][0])
    assert client.get(_desk_url(world, "/cloture")).status_code == 403
    with unchanged(VoteDesk):
        assert (
            client.post(
                _desk_url(world, "/cloture"), data={"sheets_received": "0", "confirm": "1"}
            ).status_code
            == 403
        )


# --- closing the urn --------------------------------------------------------------------------


def test_closing_the_urn_asks_first_then_nothing_more_is_recorded_there(client, login, world):
    login(world["facilitator"])
    client.post(_desk_url(world, f"/votants/{world['karim'].id}/emargement"))
    form = client.get(_desk_url(world, "/cloture"))
    assert "1 votant·e émargé·e pour l'urne" in plain(form.text)
    with unchanged(VoteDesk):
        asked = client.post(_desk_url(world, "/cloture"), data={"sheets_received": "1"})
    assert asked.status_code == 200
    assert "Clôturer le bureau « Loge des Tilleuls » maintenant ?" in plain(asked.text)
    assert "1 bulletin trouvé dans l'urne" in plain(asked.text)
    done = client.post(_desk_url(world, "/cloture"), data={"sheets_received": "1", "confirm": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/papier")
    _db.session.expire_all()
    desk = _db.session.get(VoteDesk, world["desk"].id)
    assert desk.closed_at is not None and desk.sheets_received == 1
    assert desk.closed_by_id == world["facilitator"].id
    # The urn is closed: no desk ballot, no tick; a second close changes nothing.
    with unchanged(Ballot, VoterMark, VoteDesk):
        refused = client.post(
            _desk_url(world, f"/votants/{world['ines'].id}"), data=_ranking_form(world, "1")
        )
        assert refused.status_code == 422
        assert "Ce bureau est clos" in plain(refused.text)
        ticked = client.post(
            _desk_url(world, f"/votants/{world['ines'].id}/emargement"), follow_redirects=True
        )
        assert "Ce bureau est clos" in plain(ticked.text)
        again = client.post(
            _desk_url(world, "/cloture"), data={"sheets_received": "5", "confirm": "1"}
        )
        assert again.status_code == 302
    page = client.get(_desk_url(world))
    assert "Ce bureau est clos : il n'enregistre plus de vote." in plain(page.text)


def test_closing_the_urn_needs_a_count(client, login, world):
    login(world["facilitator"])
    with unchanged(VoteDesk):
        response = client.post(
            _desk_url(world, "/cloture"), data={"sheets_received": "-2", "confirm": "1"}
        )
    assert response.status_code == 422
    assert "Un nombre de 0 à 100 000." in plain(response.text)


def test_the_vote_does_not_close_while_a_desk_is_open(client, login, world):
    login(world["facilitator"])
    with unchanged(Ballot):
        response = client.post(
            "/defis/defi-bureau/vote/cloturer", data={"confirm": "1"}, follow_redirects=True
        )
    assert "Le bureau « Loge des Tilleuls » est encore ouvert." in plain(response.text)
    assert voting.get_result(world["challenge"].id) is None


def test_the_challenge_page_links_the_desks(client, login, world):
    login(world["facilitator"])
    assert "Bureaux de vote" in plain(client.get("/defis/defi-bureau").text)
    login(world["assessors"][0])
    assert "Mon bureau de vote : Loge des Tilleuls" in plain(client.get("/defis/defi-bureau").text)
    login(world["ines"])
    text = plain(client.get("/defis/defi-bureau").text)
    assert "Mon bureau de vote" not in text and "Bureaux de vote" not in text


def test_a_desk_opens_without_a_workshop_when_the_vote_has_none(client, login, world):
    login(world["facilitator"])
    page = client.get("/defis/defi-bureau/bureaux")
    assert 'name="workshop_id"' not in page.text  # no workshop: no choice shown
    response = client.post(
        "/defis/defi-bureau/bureaux",
        data={"name": "Loge du Mas", "assessor_ids": [str(world["assessors"][1].id)]},
    )
    assert response.status_code == 302
    desk = _db.session.scalar(select(VoteDesk).where(VoteDesk.name == "Loge du Mas"))
    assert desk.workshop_id is None and desk.assessor_ids == {world["assessors"][1].id}
