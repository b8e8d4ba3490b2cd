"""The database restarts under a running app (the test's own PostgreSQL cluster): during the
outage visitors get a short French 503 page with Retry-After, a ballot is refused with a
message and nothing is half-stored; once it is back the app works again without a restart,
and a ballot sent again is stored once."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import sqlalchemy as sa

from bench._serve import csrf_token, request
from tests.faults.conftest import Browser, app_server, ballot_form, build_world, production_env


def test_database_restart_gives_a_short_503_then_everything_works(postgres, tmp_path):
    url = postgres.create_database("restart")
    world = build_world(url)
    log = tmp_path / "app.log"
    with app_server(production_env(url, 0), log) as server:
        voter = Browser(server.base)
        assert voter.log_in(world["tenants"][0])[0] == 302
        vote_path = f"/defis/{world['vote_slug']}/vote"
        status, _h, page = voter.get(vote_path)
        assert status == 200
        body = urlencode({"csrf_token": csrf_token(page), **ballot_form(world["candidates"])})

        def cast():
            return request(
                server.base, "POST", vote_path, voter.cookies, body, {"Origin": server.base}
            )

        postgres.stop()

        status, headers, page = voter.get(vote_path)
        assert status == 503 and headers["Retry-After"] == "5"
        assert "Service momentanément indisponible" in page
        assert "Traceback" not in page and "sqlalchemy" not in page.lower()
        status, headers, page = cast()
        assert status == 503 and "n'a pas été enregistré" in page
        status, _h, ready = request(server.base, "GET", "/sante/pret")
        assert status == 503 and json.loads(ready)["checks"]["database"]["state"] == "down"
        assert request(server.base, "GET", "/sante")[0] == 200  # alive, not ready

        postgres.start()

        assert voter.get(vote_path)[0] == 200  # the same app, its pool renewed
        for _ in range(2):  # the voter sends it again, then once more to be sure
            status, headers, _p = cast()
            assert status == 302 and headers["Location"].endswith("/vote/merci")
        assert request(server.base, "GET", "/sante/pret")[0] == 200

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select count(*) from ballots where challenge_id = :c"), {"c": world["vote_id"]}
        ).scalar_one()
    engine.dispose()
    assert rows == 1
    assert "Traceback" not in log.read_text()
