"""Paper ballots: printing the sheets, their double entry, the closure record, the
close guard, and every refusal (who, when, the same assessor twice)."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from ideation.desks.models import PaperSheet, SheetEntry, VoteDesk
from ideation.domain.desks import Channel, SheetStatus
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import Ballot
from tests.factories import make_user
from tests.helpers import plain as _plain
from tests.helpers import unchanged
from tests.paper_world import boxes, close_urn, paper_vote


def plain(html: str) -> str:
    """The page's text as read: no-break spaces as spaces, entities decoded."""
    return unescape(_plain(html))


@pytest.fixture
def login(client, login):
    """Sign in as this user, signing out whoever was signed in (the tests switch people)."""

    def _switch(user):
        client.post("/deconnexion")
        return login(user)

    return _switch


@pytest.fixture
def world(db):
    return paper_vote()


def _entry_url(world, code: str) -> str:
    return f"/bureaux/{world['desk'].id}/papier/feuilles/{code}"


def _enter(client, login, world, who, code, ranks, kind="read"):
    login(who)
    return client.post(_entry_url(world, code), data={"kind": kind, **boxes(ranks)})


def _sheet(code_index: int, world) -> PaperSheet:
    _db.session.expire_all()
    return _db.session.get(PaperSheet, world["sheets"][code_index].id)


def _paper_ballots() -> list[Ballot]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Ballot).where(Ballot.channel == Channel.PAPER)))


def test_facilitator_prints_sheets_each_with_its_code_qr_order_and_receipt(client, login, world):
    login(world["facilitator"])
    desk_id = world["desk"].id
    response = client.post(f"/bureaux/{desk_id}/papier", data={"count": "3"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = plain(page.text)
    sheets = list(
        _db.session.scalars(
            select(PaperSheet).where(PaperSheet.desk_id == desk_id).order_by(PaperSheet.id)
        )
    )[-3:]
    from ideation.desks.paper import sheet_code

    for sheet in sheets:
        assert f"Bulletin n° {sheet_code(sheet)}" in text
        assert sheet.receipt in text
    assert page.text.count('class="qr-code"') == 3
    assert "Écrivez 1 dans la case de l'idée que vous préférez" in text
    assert "ex aequo" in text
    assert "/defis/defi-papier/resultats/verifier" in text


def test_each_sheet_lists_the_shortlist_in_its_own_order(app, world):
    from ideation.desks.paper import sheet_candidates

    with app.test_request_context():
        orders = {
            tuple(i.id for i in sheet_candidates(world["challenge"].id, c)) for c in world["codes"]
        }
        again = tuple(i.id for i in sheet_candidates(world["challenge"].id, world["codes"][0]))
    assert all(sorted(o) == sorted(i.id for i in world["ideas"]) for o in orders)
    assert again in orders  # stable for a sheet
    # 4 sheets over 3 ideas: the same order for all would be a 1 in 36**... chance
    assert len(orders) > 1


@pytest.mark.parametrize("count", ["0", "201", "abc", ""])
def test_a_wrong_number_of_sheets_is_an_error_on_the_form(client, login, world, count):
    login(world["facilitator"])
    with unchanged():
        response = client.post(f"/bureaux/{world['desk'].id}/papier", data={"count": count})
        assert response.status_code == 422
        assert "problème" in plain(response.text)


def test_only_who_manages_prints(client, login, world):
    login(world["assessors"][0])
    desk_id = world["desk"].id
    with unchanged():
        assert client.post(f"/bureaux/{desk_id}/papier", data={"count": "2"}).status_code == 403
        first = world["sheets"][0].id
        assert client.get(f"/bureaux/{desk_id}/papier/lot/{first}/4").status_code == 403


def test_no_printing_once_the_urn_is_closed(client, login, world):
    close_urn(world)
    login(world["facilitator"])
    with unchanged():
        response = client.post(f"/bureaux/{world['desk'].id}/papier", data={"count": "2"})
        assert response.status_code == 422
        assert "L'urne de ce bureau est close" in plain(response.text)


def test_entries_before_the_urn_is_closed_are_refused(client, login, world):
    a = world["ideas"][0].id
    response = _enter(client, login, world, world["assessors"][0], world["codes"][0], {a: "1"})
    assert response.status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(SheetEntry)) == 0
    page = client.get(_entry_url(world, world["codes"][0]))
    assert "L'urne est encore ouverte" in plain(page.text)


def test_two_agreeing_entries_make_a_paper_ballot_with_the_sheets_receipt(client, login, world):
    close_urn(world)
    a, b, c = (i.id for i in world["ideas"])
    code = world["codes"][0]
    first = _enter(client, login, world, world["assessors"][0], code, {a: "2", b: "1", c: "1"})
    assert first.status_code == 302
    assert _sheet(0, world).status == SheetStatus.FIRST_ENTRY
    assert _paper_ballots() == []
    # The second assessor's form shows empty boxes: never the first entry.
    login(world["assessors"][1])
    page = client.get(_entry_url(world, code))
    assert page.status_code == 200
    assert 'value="1"' not in page.text and 'value="2"' not in page.text
    second = _enter(client, login, world, world["assessors"][1], code, {a: "2", b: "1", c: "1"})
    assert second.status_code == 302
    sheet = _sheet(0, world)
    assert sheet.status == SheetStatus.AGREED
    [ballot] = _paper_ballots()
    assert ballot.id == sheet.ballot_id
    assert ballot.voter_id is None
    assert ballot.desk_id == world["desk"].id
    assert ballot.receipt == sheet.receipt
    assert ballot.ranking == [sorted([b, c]), [a]]


def test_the_same_assessor_cannot_do_both_entries(client, login, world):
    close_urn(world)
    a = world["ideas"][0].id
    code = world["codes"][0]
    assessor = world["assessors"][0]
    _enter(client, login, world, assessor, code, {a: "1"})
    page = client.get(_entry_url(world, code))
    assert "Vous avez déjà saisi ce bulletin" in plain(page.text)
    again = _enter(client, login, world, assessor, code, {a: "1"})
    assert again.status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(SheetEntry)) == 1
    assert _sheet(0, world).status == SheetStatus.FIRST_ENTRY


def test_a_disagreement_goes_to_a_third_reading_that_settles_it(client, login, world):
    close_urn(world)
    a, b, _c = (i.id for i in world["ideas"])
    code = world["codes"][0]
    one, two, three = world["assessors"]
    _enter(client, login, world, one, code, {a: "1", b: "2"})
    response = _enter(client, login, world, two, code, {a: "2", b: "1"})
    assert "les deux saisies diffèrent" in plain(client.get(response.headers["Location"]).text)
    assert _sheet(0, world).status == SheetStatus.DISPUTED
    assert _paper_ballots() == []
    # Neither of the first two may settle it.
    _enter(client, login, world, one, code, {a: "1", b: "2"})
    assert _sheet(0, world).status == SheetStatus.DISPUTED
    _enter(client, login, world, three, code, {a: "2", b: "1"})
    assert _sheet(0, world).status == SheetStatus.AGREED
    [ballot] = _paper_ballots()
    assert ballot.ranking == [[b], [a]]


def test_blank_and_spoilt_sheets_are_recorded_not_counted(client, login, world):
    close_urn(world)
    a = world["ideas"][0].id
    one, two, _three = world["assessors"]
    _enter(client, login, world, one, world["codes"][0], {})
    _enter(client, login, world, two, world["codes"][0], {})
    _enter(client, login, world, one, world["codes"][1], {a: "1"}, kind="spoilt")
    _enter(client, login, world, two, world["codes"][1], {}, kind="spoilt")
    assert _sheet(0, world).status == SheetStatus.BLANK
    assert _sheet(1, world).status == SheetStatus.SPOILT
    assert _paper_ballots() == []


def test_a_mark_that_is_no_rank_is_an_error_with_what_was_typed_kept(client, login, world):
    close_urn(world)
    a, b, _c = (i.id for i in world["ideas"])
    response = _enter(
        client, login, world, world["assessors"][0], world["codes"][0], {a: "1", b: "x"}
    )
    assert response.status_code == 422
    text = plain(response.text)
    assert "« x » n'est pas un rang" in text
    assert 'value="x"' in response.text and 'value="1"' in response.text
    assert _db.session.scalar(select(func.count()).select_from(SheetEntry)) == 0


def test_sheets_beyond_the_voters_ticked_are_excess(client, login, db):
    world = paper_vote(ticked=1, sheets=2, slug="defi-papier-trop")
    close_urn(world)
    a = world["ideas"][0].id
    one, two, _three = world["assessors"]
    for code in world["codes"]:
        _enter(client, login, world, one, code, {a: "1"})
        _enter(client, login, world, two, code, {a: "1"})
    assert [_sheet(0, world).status, _sheet(1, world).status] == [
        SheetStatus.AGREED,
        SheetStatus.EXCESS,
    ]
    assert len(_paper_ballots()) == 1


def test_an_unknown_or_other_desks_code_is_404_and_the_finder_says_so(client, login, world):
    close_urn(world)
    login(world["assessors"][0])
    desk_id = world["desk"].id
    assert client.get(f"/bureaux/{desk_id}/papier/feuilles/ZZZZ").status_code == 404
    found = client.get(f"/bureaux/{desk_id}/papier/saisie", query_string={"code": "zzzz"})
    assert found.status_code == 422
    assert "Aucun bulletin de ce bureau n'a ce code" in plain(found.text)
    code = world["codes"][1]
    found = client.get(f"/bureaux/{desk_id}/papier/saisie", query_string={"code": code.lower()})
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/feuilles/{code}")


@pytest.mark.parametrize("who", ["tenant", "other_staff"])
def test_who_is_not_an_assessor_of_the_desk_gets_403(client, login, world, who):
    close_urn(world)
    user = make_user(Role.TENANT if who == "tenant" else Role.STAFF, org=world["org"])
    login(user)
    desk_id = world["desk"].id
    code = world["codes"][0]
    with unchanged():
        assert client.get(f"/bureaux/{desk_id}/papier").status_code == 403
        assert client.get(f"/bureaux/{desk_id}/papier/saisie").status_code == 403
        assert client.get(_entry_url(world, code)).status_code == 403
        assert client.post(_entry_url(world, code), data={"kind": "read"}).status_code == 403
        assert client.get(f"/bureaux/{desk_id}/proces-verbal").status_code == 403
        assert (
            client.post(
                f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "1"}
            ).status_code
            == 403
        )


def test_an_assessor_works_only_at_their_own_desk(client, login, world):
    other = VoteDesk(challenge_id=world["challenge"].id, name="Autre bureau")
    _db.session.add(other)
    _db.session.commit()
    login(world["assessors"][0])
    assert client.get(f"/bureaux/{other.id}/papier").status_code == 403
    assert client.get(f"/bureaux/{other.id}/papier/feuilles/{world['codes'][0]}").status_code == 403


def _settle_all(client, login, world, ranks_list):
    one, two, _three = world["assessors"]
    for code, ranks in zip(world["codes"], ranks_list, strict=False):
        _enter(client, login, world, one, code, ranks)
        _enter(client, login, world, two, code, ranks)


def test_the_record_freezes_with_its_figures_people_and_times(client, login, world):
    close_urn(world)
    a, b, _c = (i.id for i in world["ideas"])
    _settle_all(client, login, world, [{a: "1"}, {b: "1"}, {}])
    login(world["facilitator"])
    desk_id = world["desk"].id
    page = client.get(f"/bureaux/{desk_id}/proces-verbal")
    assert page.status_code == 200
    assert "Procès-verbal en cours" in plain(page.text)
    response = client.post(f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "3"})
    assert response.status_code == 302
    _db.session.expire_all()
    desk = _db.session.get(VoteDesk, desk_id)
    assert desk.record_frozen_at is not None
    record = desk.record
    assert (record["agreed"], record["blank"], record["voters_ticked"]) == (2, 1, 3)
    assert record["sheets_received"] == 3 and record["paper_ballots"] == 2
    assert record["urn_closed_at"] and record["opened_at"] and record["frozen_at"]
    text = plain(client.get(f"/bureaux/{desk_id}/proces-verbal").text)
    assert "Alice Assesseure" in text and "Bruno Assesseur" in text
    assert "Procès-verbal clos le" in text
    # Nothing is entered once frozen.
    before = _db.session.scalar(select(func.count()).select_from(SheetEntry))
    _enter(client, login, world, world["assessors"][0], world["codes"][3], {a: "1"})
    assert _db.session.scalar(select(func.count()).select_from(SheetEntry)) == before


def test_the_record_is_refused_while_sheets_await_unless_set_aside(client, login, world):
    close_urn(world)
    a = world["ideas"][0].id
    one = world["assessors"][0]
    _enter(client, login, world, one, world["codes"][0], {a: "1"})  # one entry only
    login(world["facilitator"])
    desk_id = world["desk"].id
    refused = client.post(f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "2"})
    assert refused.status_code == 422
    assert "2 bulletins attendent encore leur saisie" in plain(refused.text)
    assert 'value="2"' in refused.text  # what was typed is kept
    _db.session.expire_all()
    assert _db.session.get(VoteDesk, desk_id).record is None
    done = client.post(
        f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "2", "set_aside": "y"}
    )
    assert done.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(VoteDesk, desk_id).record["set_aside"] == 2


def test_the_record_is_refused_while_the_urn_is_open(client, login, world):
    login(world["facilitator"])
    with unchanged():
        response = client.post(
            f"/bureaux/{world['desk'].id}/proces-verbal", data={"sheets_received": "0"}
        )
        # The form is not offered, and a forged post is refused with the reason.
        assert response.status_code == 422
        assert "Clôturez d'abord l'urne du bureau" in plain(response.text)


def test_only_who_manages_freezes_the_record(client, login, world):
    close_urn(world)
    login(world["assessors"][0])
    desk_id = world["desk"].id
    with unchanged():
        assert client.get(f"/bureaux/{desk_id}/proces-verbal").status_code == 200
        assert (
            client.post(
                f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "0"}
            ).status_code
            == 403
        )


def test_close_now_shows_why_the_vote_cannot_close_yet(client, login, world):
    login(world["facilitator"])
    slug = world["challenge"].slug
    response = client.post(
        f"/defis/{slug}/vote/cloturer", data={"confirm": "1"}, follow_redirects=True
    )
    text = plain(response.text)
    assert "Le vote ne peut pas encore être clos" in text
    assert "Le bureau « Loge des Tilleuls » est encore ouvert" in text
    assert voting.get_result(world["challenge"].id) is None
    close_urn(world)
    a = world["ideas"][0].id
    _enter(client, login, world, world["assessors"][0], world["codes"][0], {a: "1"})
    login(world["facilitator"])
    text = plain(
        client.post(
            f"/defis/{slug}/vote/cloturer", data={"confirm": "1"}, follow_redirects=True
        ).text
    )
    assert "1 bulletin attend sa saisie" in text
    assert "Le procès-verbal du bureau « Loge des Tilleuls » n'est pas clos" in text


def test_after_the_count_paper_ballots_are_in_the_result_and_the_record_is_published(
    client, login, world
):
    close_urn(world)
    a, b, _c = (i.id for i in world["ideas"])
    _settle_all(client, login, world, [{a: "1"}, {a: "1", b: "2"}])
    login(world["facilitator"])
    desk_id = world["desk"].id
    slug = world["challenge"].slug
    client.post(f"/bureaux/{desk_id}/proces-verbal", data={"sheets_received": "2"})
    response = client.post(f"/defis/{slug}/vote/cloturer", data={"confirm": "1"})
    assert response.status_code == 302
    result = voting.get_result(world["challenge"].id)
    assert result is not None and result.ballots_count == 2
    results = client.get(f"/defis/{slug}/resultats")
    assert "Procès-verbal du bureau « Loge des Tilleuls »" in plain(results.text)
    published = client.get(f"/defis/{slug}/resultats/bureaux/{desk_id}")
    assert published.status_code == 200
    text = plain(published.text)
    assert "Bulletins comptés (deux saisies concordantes)" in text
    assert "Procès-verbal clos le" in text
    # Anything after the count is refused.
    entry = _enter(client, login, world, world["assessors"][0], world["codes"][2], {a: "1"})
    assert entry.status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(SheetEntry)) == 4
    login(world["facilitator"])
    assert client.post(f"/bureaux/{desk_id}/papier", data={"count": "1"}).status_code == 422


def test_the_published_record_is_404_before_the_count_and_for_another_vote(client, login, world):
    slug = world["challenge"].slug
    desk_id = world["desk"].id
    assert client.get(f"/defis/{slug}/resultats/bureaux/{desk_id}").status_code == 404
    assert client.get(f"/defis/{slug}/resultats/bureaux/999999").status_code == 404


@pytest.mark.parametrize("ext", ["csv", "preflib", "blt"])
def test_a_recount_of_every_published_file_includes_the_paper_ballots(
    client, login, world, tmp_path, ext
):
    from tests.factories import make_ballot
    from tests.requests.test_results import _recount

    a, b, c = world["ideas"]
    make_ballot(world["challenge"], ranking=[c, b])  # one online ballot beside the paper ones
    _db.session.commit()
    close_urn(world)
    _settle_all(
        client,
        login,
        world,
        [{a.id: "1", b.id: "2"}, {a.id: "1", b.id: "1"}, {b.id: "1", c.id: "2"}],
    )
    login(world["facilitator"])
    slug = world["challenge"].slug
    client.post(f"/bureaux/{world['desk'].id}/proces-verbal", data={"sheets_received": "3"})
    assert client.post(f"/defis/{slug}/vote/cloturer", data={"confirm": "1"}).status_code == 302
    stored = voting.get_result(world["challenge"].id)
    assert stored.ballots_count == 4
    recount = _recount(
        tmp_path,
        client,
        f"/defis/{slug}/resultats/bulletins.{ext}",
        stored.method,
        stored.winners_count,
    )
    assert recount["digest"] == stored.digest
    assert recount["ballots"] == 4
    if ext == "csv":
        csv_text = client.get(f"/defis/{slug}/resultats/bulletins.csv").text
        for sheet in world["sheets"][:3]:
            assert voting.published_receipt(sheet.receipt) in csv_text


def _pages_queries(client, login, world, count_queries) -> list[int]:
    login(world["facilitator"])
    desk_id = world["desk"].id
    counts = []
    for path in (
        f"/bureaux/{desk_id}/papier",
        f"/bureaux/{desk_id}/proces-verbal",
        f"/bureaux/{desk_id}/papier/lot/{world['sheets'][0].id}/{len(world['sheets'])}",
    ):
        with count_queries() as counted:
            assert client.get(path).status_code == 200
        counts.append(counted.count)
    return counts


def test_the_desk_pages_query_the_same_for_few_or_many_sheets(client, login, db, count_queries):
    small = paper_vote(ticked=2, sheets=2, slug="defi-papier-petit")
    many = paper_vote(ticked=2, sheets=30, slug="defi-papier-grand")
    for world in (small, many):
        close_urn(world)
        a = world["ideas"][0].id
        for code in world["codes"]:
            _enter(client, login, world, world["assessors"][0], code, {a: "1"})
    assert _pages_queries(client, login, small, count_queries) == _pages_queries(
        client, login, many, count_queries
    )


def test_a_vote_past_its_end_waits_for_its_desks_and_says_so(client, login, world):
    from datetime import timedelta

    from ideation.challenges.models import Challenge
    from ideation.db_types import utcnow

    challenge = _db.session.get(Challenge, world["challenge"].id)
    challenge.voting_ends_at = utcnow() - timedelta(minutes=5)
    _db.session.commit()
    page = client.get(f"/defis/{challenge.slug}/resultats")
    assert page.status_code == 200
    text = plain(page.text)
    assert "Il sera dépouillé quand les bureaux de vote auront fini" in text
    assert "Le bureau « Loge des Tilleuls » est encore ouvert" in text
    assert voting.get_result(challenge.id) is None
