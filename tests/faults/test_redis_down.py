"""Redis stops in the middle of the day (the test's own redis-server): pages keep answering,
rate limits count per process, the page cache steps aside, nothing written is lost, and
each e-mail queued meanwhile goes out once when Redis is back."""

from __future__ import annotations

import subprocess

import sqlalchemy as sa

from tests.faults.conftest import (
    BIN,
    ROOT,
    Browser,
    app_server,
    ballot_form,
    build_world,
    production_env,
)
from tests.smtp_sink import start_sink


def test_redis_down_pages_answer_and_nothing_is_lost(postgres, redis_server, tmp_path):
    url = postgres.create_database("redis_down")
    world = build_world(url)
    controller, sink = start_sink()
    env = production_env(
        url,
        0,
        REDIS_URL=redis_server.url,
        QUEUE_URL=redis_server.url,
        MAIL_SERVER=sink.host,
        MAIL_PORT=str(sink.port),
        RATELIMIT_LOGIN="4 per 5 minutes",
    )
    log = tmp_path / "app.log"
    redis_sessions = {**env, "SESSION_STORE": "redis"}
    try:
        with (
            app_server(env, log) as server,
            app_server(redis_sessions, tmp_path / "s.log") as other,
        ):
            env["BASE_URL"] = server.base  # for the outbox command below (links in e-mails)
            visitor = Browser(server.base)
            assert visitor.get("/")[0] == 200  # cached in Redis now
            assert visitor.get("/sante/pret")[0] == 200
            # A server whose session records live in Redis (SESSION_STORE=redis).
            member = Browser(other.base)
            assert member.log_in(world["tenants"][3])[0] == 302
            assert member.get("/compte")[0] == 200

            redis_server.stop()

            # Its members get the short page (a session that cannot be checked is not
            # trusted, nor ended); its visitors browse as usual; readiness says down.
            status, headers, page = member.get("/compte")
            assert status == 503 and "Service momentanément indisponible" in page
            assert Browser(other.base).get("/")[0] == 200
            assert Browser(other.base).get("/sante/pret")[0] == 503

            status, headers, page = visitor.get("/")
            assert status == 200 and "X-Page-Cache" not in headers  # rendered, not cached
            status, _h, ready = visitor.get("/sante/pret")
            assert status == 200 and '"degraded"' in ready and '"redis_rate_limits"' in ready

            tenant = Browser(server.base)
            assert tenant.log_in(world["tenants"][0])[0] == 302
            status, headers, _p = tenant.post(
                f"/defis/{world['ideas_slug']}/idees/nouvelle",
                {
                    "title": "Un banc à l'ombre du tilleul",
                    "summary": "Pour s'asseoir l'été sans cuire au soleil.",
                    "body": "",
                    "theme_id": "0",
                    "residence_id": "0",
                    "save_draft": "1",
                },
            )
            assert status == 302, status
            status, headers, _p = tenant.post(
                f"/defis/{world['vote_slug']}/vote", ballot_form(world["candidates"])
            )
            assert status == 302 and headers["Location"].endswith("/vote/merci")
            forgot = Browser(server.base)
            status, _h, _p = forgot.post("/mot-de-passe-oublie", {"email": world["tenants"][1]})
            assert status == 200

            # The login limit (4 in 5 minutes from one address) still holds, counted in
            # this process's memory: one login above, three wrong passwords, then refused.
            intruder = Browser(server.base)
            answers = [intruder.log_in(world["tenants"][2], "faux")[0] for _ in range(4)]
            assert answers[:3] == [200, 200, 200] and answers[3] == 429, answers

            redis_server.start()
            assert member.get("/compte")[0] == 200  # still logged in, nothing to redo
            assert visitor.get("/")[0] == 200
            assert visitor.get("/sante/pret")[0] == 200
            # The queue's hand-over was refused meanwhile; the e-mail waits in the outbox
            # (the database), which the every-minute job (here its cron twin) delivers.
            for _ in range(2):
                subprocess.run(
                    [str(BIN / "flask"), "outbox", "send", "--all"],
                    cwd=ROOT,
                    env={**env, "FLASK_APP": "wsgi:app"},
                    check=True,
                    capture_output=True,
                )
        received = [m.rcpt_tos for m in sink.received]
        assert received == [[world["tenants"][1]]], received
    finally:
        controller.stop()

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ideas = conn.execute(
            sa.text("select count(*) from ideas where title = :t"),
            {"t": "Un banc à l'ombre du tilleul"},
        ).scalar_one()
        ballots = conn.execute(
            sa.text("select count(*) from ballots where challenge_id = :c"),
            {"c": world["vote_id"]},
        ).scalar_one()
    engine.dispose()
    assert (ideas, ballots) == (1, 1)
    text = log.read_text()
    assert "falling back to in-memory storage" in text  # said once, in the log
