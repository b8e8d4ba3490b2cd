"""No number a visitor can type yields a 500 (issue 10, item 9).

Every route of app.url_map is walked with huge, negative and non-ASCII digit values in
place of each integer argument, and every GET page of the role × route matrix with such
values for `page`, `theme`, `residence` and `organisation`, as a visitor and as a logged-in
admin. Integers too large for the database, "²" (which `str.isdigit` accepts) and "٣"
(which `int` accepts) used to reach queries.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from ideation.core.numbers import INT32_MAX, coerce_int, parse_int, parse_page
from ideation.domain import totp
from ideation.domain.roles import Role
from tests.factories import make_user
from tests.requests.test_access_matrix import MATRIX

HOSTILE = ["99999999999999999999999", str(INT32_MAX + 1), "²", "٣", "-1", "0", "1_0", "1e3"]
QUERY_KEYS = ("page", "theme", "residence", "organisation")
_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@pytest.fixture
def world(db):
    from tests.matrix_world import build_world

    return build_world()


def _real_values(app, world) -> dict[str, dict]:
    """For each endpoint of the matrix, the real arguments of its path (slugs, ids)."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, dict] = {}
    for _endpoint, (path_of, _cells) in MATRIX.items():
        path = path_of(world).split("?")[0]
        try:
            matched, values = adapter.match(path, method="GET")
        except Exception:  # noqa: BLE001  (a path the matrix expects to fail)
            continue
        found[matched] = values
    return found


def _fill(match: re.Match, hostile: str, values: dict) -> str:
    conv, name = match.group(1), match.group(2)
    if conv == "int":
        return quote(hostile)
    return quote(str(values.get(name, "defi-ouvert")))


def _paths_with_hostile_ints(app, world):
    real = _real_values(app, world)
    for rule in app.url_map.iter_rules():
        ints = [name for conv, name in _ARG.findall(rule.rule) if conv == "int"]
        if not ints:
            continue
        values = real.get(rule.endpoint, {})
        for hostile in HOSTILE:
            path = _ARG.sub(lambda m, h=hostile, v=values: _fill(m, h, v), rule.rule)
            for method in sorted(rule.methods & {"GET", "POST"}):
                yield method, path


def _log_in_as(role, world, login):
    if role == "admin":
        login(make_user(Role.ADMIN, org=world["regional"]))


@pytest.mark.parametrize("role", ["visitor", "admin"])
def test_hostile_integers_in_urls_never_give_a_500(app, client, db, login, world, role):
    _log_in_as(role, world, login)
    failures = []
    count = 0
    for method, path in _paths_with_hostile_ints(app, world):
        count += 1
        response = client.open(path, method=method, data={})
        if response.status_code >= 500:
            failures.append(f"{method} {path}: {response.status_code}")
    assert count > 100  # the walk really covered the id routes
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["visitor", "admin"])
def test_hostile_integers_in_query_strings_never_give_a_500(app, client, db, login, world, role):
    _log_in_as(role, world, login)
    failures = []
    for endpoint, (path_of, _cells) in MATRIX.items():
        if endpoint in {"auth.logout"}:
            continue
        base = path_of(world)
        joiner = "&" if "?" in base else "?"
        for hostile in HOSTILE:
            query = "&".join(f"{key}={quote(hostile)}" for key in QUERY_KEYS)
            response = client.get(base + joiner + query)
            if response.status_code >= 500:
                failures.append(f"{base}?{query}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_huge_idea_id_is_a_404(client, db):
    assert client.get("/idees/99999999999999999999999").status_code == 404


@pytest.mark.parametrize("text", ["²", "٣", "-1", " 1", "1_0", "", "99999999999"])
def test_parse_int_takes_ascii_digits_within_bounds_only(text):
    assert parse_int(text) is None


def test_parse_int_and_page():
    assert parse_int("42") == 42 and parse_int(str(INT32_MAX)) == INT32_MAX
    assert parse_page("²") == 1 and parse_page("3") == 3 and parse_page("0") == 1
    assert coerce_int("0") == 0
    with pytest.raises(ValueError):
        coerce_int("99999999999999999999")


def test_superscript_digits_are_not_a_second_factor_code():
    secret = totp.new_secret()
    assert totp.verify(secret, "²²²²²²", 0.0) is None
