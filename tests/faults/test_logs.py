"""Structured logs of a real journey (log in, vote) on a production server: one JSON object
a line with the request id, user id and route, and never a password, a cookie, a token or
what the ballot said."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from bench._serve import csrf_token, request
from tests.faults.conftest import PASSWORD, Browser, app_server, build_world, production_env


def test_json_logs_name_the_request_and_never_the_secrets(tmp_path):
    url = f"sqlite:///{tmp_path / 'site.db'}"
    world = build_world(url)
    log = tmp_path / "app.log"
    with app_server(production_env(url, 0, LOG_FORMAT="json"), log) as server:
        voter = Browser(server.base)
        assert voter.log_in(world["tenants"][0])[0] == 302
        vote_path = f"/defis/{world['vote_slug']}/vote"
        status, _h, page = voter.get(vote_path)
        token = csrf_token(page)
        ranks = {f"rang-{i}": str(r) for r, i in enumerate(reversed(world["candidates"]), 1)}
        status, headers, _p = request(
            server.base,
            "POST",
            vote_path,
            voter.cookies,
            urlencode({"csrf_token": token, **ranks}),
            {"Origin": server.base, "X-Request-Id": "essai-0001-abcd"},
        )
        assert status == 302 and headers["X-Request-Id"] == "essai-0001-abcd"
        status, _h, receipt_page = voter.get(f"{vote_path}/merci")
        receipt = re.search(r"data-receipt>([^<]+)<", receipt_page).group(1).strip()
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "fabrique.access"]
    vote = next(e for e in access if e["request_id"] == "essai-0001-abcd")
    assert vote["route"] == "/defis/<slug>/vote" and vote["method"] == "POST"
    assert vote["status"] == 302 and isinstance(vote.get("user_id"), int)
    login = next(e for e in access if e["route"] == "/connexion" and e["method"] == "POST")
    assert login["request_id"] and login["status"] == 302
    secrets = [
        PASSWORD,
        token,
        receipt,
        world["tenants"][0],
        *voter.cookies.values(),
        "rang-",
        "ranking",
    ]
    for secret in secrets:
        assert secret not in text, secret
