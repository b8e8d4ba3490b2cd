"""Members' challenge page from the shared list (ideation/ideas/list_fragment.py):
each member sees their own supports, buttons and pending ideas, the same ideas in the
same order as a page rendered for them alone, and a constant number of queries.

Against Redis db 6 (the page cache's tests' fixture); skipped when no Redis answers.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_challenge, make_idea, make_org, make_support, make_user
from tests.requests.test_page_cache import _logged_in, cached  # noqa: F401  (fixture)

SEED = 4242
CARD_TITLE = re.compile(r'<h3><a href="/idees/(\d+)">')


def _members(flask_app, users):
    clients = []
    for user in users:
        client = _logged_in(flask_app, user)
        with client.session_transaction() as session:
            session["order_seed"] = SEED  # the same order for everyone: one shared entry
        clients.append(client)
    return clients


def _world(db, n: int) -> dict:
    org = make_org("Bailleur Partagé")
    challenge = make_challenge(org=org, slug=f"defi-partage-{n}")
    author = make_user("tenant", org=org, display_name="Autrice Partagée")
    ideas = [make_idea(challenge, author, title=f"Idée partagée {i}") for i in range(n)]
    world = {
        "challenge": challenge,
        "author": author,
        "ideas": ideas,
        "alice": make_user("tenant", org=org, display_name="Alice Membre"),
        "bruno": make_user("tenant", org=org, display_name="Bruno Membre"),
    }
    db.session.commit()
    return world


def _buttons(html: str) -> dict[int, str]:
    """idea id -> "add", "remove" (the support form's action), for each card with a form."""
    found = {}
    for idea_id, action in re.findall(
        r'action="/idees/(\d+)/soutien"[^>]*>.*?name="action" value="(\w+)"', html, re.S
    ):
        found[int(idea_id)] = action
    return found


def test_each_member_sees_their_own_supports_on_the_shared_list(cached, db):  # noqa: F811
    world = _world(db, 6)
    target = world["ideas"][2]
    make_support(target, world["alice"])
    db.session.commit()
    bruno, alice = _members(cached, [world["bruno"], world["alice"]])
    url = f"/defis/{world['challenge'].slug}"
    for_bruno = bruno.get(url).text  # renders and stores the shared entry
    for_alice = alice.get(url).text  # from it
    assert _buttons(for_alice)[target.id] == "remove"
    assert _buttons(for_bruno)[target.id] == "add"
    assert "Alice Membre" in for_alice and "Bruno Membre" not in for_alice
    assert CARD_TITLE.findall(for_alice) == CARD_TITLE.findall(for_bruno)
    assert "<!--support-" not in for_alice and "csrf-" not in for_alice


def test_the_shared_list_is_the_list_rendered_for_the_member_alone(cached, app, db):  # noqa: F811
    world = _world(db, 30)
    url = f"/defis/{world['challenge'].slug}"
    (alone,) = _members(app, [world["alice"]])  # no page cache: rendered for her
    expected = [CARD_TITLE.findall(alone.get(f"{url}?page={p}").text) for p in (1, 2)]
    bruno, alice = _members(cached, [world["bruno"], world["alice"]])
    for page, ids in zip((1, 2), expected, strict=True):
        bruno.get(f"{url}?page={page}")
        shared = alice.get(f"{url}?page={page}").text
        assert CARD_TITLE.findall(shared) == ids
        assert "30 idées" in shared


def test_an_author_gets_no_button_on_their_own_ideas(cached, db):  # noqa: F811
    world = _world(db, 3)
    alice, author = _members(cached, [world["alice"], world["author"]])
    url = f"/defis/{world['challenge'].slug}"
    assert len(_buttons(alice.get(url).text)) == 3
    own = author.get(url).text
    assert _buttons(own) == {}
    assert len(CARD_TITLE.findall(own)) == 3


def test_a_member_with_a_pending_idea_sees_it_and_nobody_else_does(cached, db):  # noqa: F811
    world = _world(db, 3)
    pending = make_idea(world["challenge"], world["bruno"], status="submitted", title="En attente")
    db.session.commit()
    alice, bruno = _members(cached, [world["alice"], world["bruno"]])
    url = f"/defis/{world['challenge'].slug}"
    assert "En attente" not in alice.get(url).text
    mine = bruno.get(url).text
    assert f"/idees/{pending.id}" in mine and "4 idées" in mine
    assert "En attente" not in alice.get(url).text


def test_a_support_ages_the_shared_list(cached, db):  # noqa: F811
    world = _world(db, 3)
    target = world["ideas"][0]
    alice, bruno = _members(cached, [world["alice"], world["bruno"]])
    url = f"/defis/{world['challenge'].slug}"
    assert "0 soutien" in alice.get(url).text
    assert bruno.post(f"/idees/{target.id}/soutien", data={"action": "add"}).status_code == 302
    after = alice.get(url).text
    assert "1 soutien" in after
    assert _buttons(after)[target.id] == "add"
    assert _buttons(bruno.get(url).text)[target.id] == "remove"


@pytest.mark.parametrize("n", [5, 40])
def test_a_member_s_page_from_the_shared_list_runs_the_same_queries_at_two_sizes(
    cached,  # noqa: F811
    db,
    count_queries,
    n,
):
    world = _world(db, n)
    make_support(world["ideas"][0], world["alice"])
    db.session.commit()
    bruno, alice = _members(cached, [world["bruno"], world["alice"]])
    url = f"/defis/{world['challenge'].slug}"
    bruno.get(url)
    with count_queries() as counted:
        assert alice.get(url).status_code == 200
    # user + session record + unread notifications (one query); the challenge with its
    # residences, her supports among the page's ideas and whether she has a pending idea
    # (one query); the workshops to come are shared too (workshops/shared.py): no list
    # query, no idea loaded, no workshop.
    assert counted.count == 2, counted.statements


def test_an_entry_of_another_phase_is_rendered_again(cached, db):  # noqa: F811
    """The calendar moves a phase without writing anything the page cache watches: the
    entry names its phase, and one rendered in another phase is not served."""
    from ideation.domain.challenge_phases import Phase

    world = _world(db, 3)
    (alice,) = _members(cached, [world["alice"]])
    url = f"/defis/{world['challenge'].slug}"
    assert len(CARD_TITLE.findall(alice.get(url).text)) == 3  # the entry, in ideation
    # Written by the test's own app: the cached app's generation does not move.
    make_idea(world["challenge"], world["author"], title="Idée arrivée ensuite")
    world["challenge"].phase = Phase.REVIEW
    db.session.commit()
    page = alice.get(url).text
    assert "Idée arrivée ensuite" in page and len(CARD_TITLE.findall(page)) == 4


def test_an_unknown_challenge_is_not_found_for_a_member(cached, db):  # noqa: F811
    world = _world(db, 1)
    (alice,) = _members(cached, [world["alice"]])
    assert alice.get("/defis/defi-qui-n-existe-pas").status_code == 404
    assert alice.get("/defis/defi-qui-n-existe-pas?page=2").status_code == 404


def test_a_member_reading_in_english_never_fills_a_french_entry(cached, db):  # noqa: F811
    """The entry is kept per language, a member's own (their profile), not only the
    session's choice: the same address and seed in French and in English are two entries."""
    world = _world(db, 2)
    world["bruno"].locale = "en"
    db.session.commit()
    bruno, alice = _members(cached, [world["bruno"], world["alice"]])
    url = f"/defis/{world['challenge'].slug}"
    english = bruno.get(url).text
    french = alice.get(url).text
    assert "0 soutien" in french and "0 soutien" not in english
