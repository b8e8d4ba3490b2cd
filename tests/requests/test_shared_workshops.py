"""The challenge page's "Prochains ateliers" from the page cache (ideation/workshops/shared.py):
rendered once for every reader, without a workshop query afterwards, aged by a
registration, and the same section as a page rendered without the cache.

Against Redis db 6 (the page cache's tests' fixture); skipped when no Redis answers.
"""

from __future__ import annotations

import re

from tests.factories import make_challenge, make_org, make_user, make_workshop
from tests.requests.test_page_cache import _logged_in, cached  # noqa: F401  (fixture)

SECTION = re.compile(r'<section class="upcoming-workshops".*?</section>', re.S)


def _world(db) -> dict:
    org = make_org("Bailleur des Ateliers")
    challenge = make_challenge(org=org, slug="defi-ateliers")
    workshop = make_workshop(title="Atelier compost", capacity=3, challenges=[challenge])
    world = {
        "challenge": challenge,
        "workshop": workshop,
        "alice": make_user("tenant", org=org),
        "bruno": make_user("tenant", org=org),
    }
    db.session.commit()
    return world


def _section(html: str) -> str:
    found = SECTION.search(html)
    assert found, "no upcoming workshops section"
    return found.group(0)


def test_the_section_is_rendered_once_and_read_by_the_next_member(cached, db, count_queries):  # noqa: F811
    world = _world(db)
    alice, bruno = _logged_in(cached, world["alice"]), _logged_in(cached, world["bruno"])
    url = f"/defis/{world['challenge'].slug}"
    first = _section(bruno.get(url).text)
    assert "Atelier compost" in first and "3 places restantes" in first
    with count_queries() as counted:
        second = _section(alice.get(url).text)
    assert second == first
    assert not [s for s in counted.statements if "workshops" in s.lower()], counted.statements


def test_a_registration_ages_the_section(cached, db):  # noqa: F811
    world = _world(db)
    alice, bruno = _logged_in(cached, world["alice"]), _logged_in(cached, world["bruno"])
    url = f"/defis/{world['challenge'].slug}"
    assert "3 places restantes" in _section(alice.get(url).text)
    answer = bruno.post(f"/ateliers/{world['workshop'].id}/inscription")
    assert answer.status_code == 302
    assert "2 places restantes" in _section(alice.get(url).text)


def test_the_shared_section_is_the_section_rendered_without_the_cache(cached, app, db):  # noqa: F811
    world = _world(db)
    url = f"/defis/{world['challenge'].slug}"
    alone = _section(_logged_in(app, world["alice"]).get(url).text)
    _logged_in(cached, world["bruno"]).get(url)  # stores it
    assert _section(_logged_in(cached, world["alice"]).get(url).text) == alone


def test_no_section_when_no_workshop_is_planned(cached, db):  # noqa: F811
    org = make_org("Bailleur Sans Atelier")
    challenge = make_challenge(org=org, slug="defi-sans-atelier")
    member = make_user("tenant", org=org)
    db.session.commit()
    client = _logged_in(cached, member)
    for _ in range(2):  # rendered, then from the cache
        page = client.get(f"/defis/{challenge.slug}").text
        assert "upcoming-workshops" not in page and "Prochains ateliers" not in page
