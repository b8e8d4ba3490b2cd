"""A worker SIGKILLed in the middle of telling a closed vote's voters: nothing is half-told,
and the next worker to start finishes the announcement, once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from tests.faults.conftest import BIN, ROOT, build_world, production_env

CATCH_UP = """
from ideation import create_app, routines
with create_app().app_context():
    print(routines.finish_interrupted_jobs())
"""


def _consumer(module: str, env: dict[str, str], log) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "huey_consumer"), f"{module}.huey", "-w", "1", "-k", "thread"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def _counts(engine, challenge_id: int) -> tuple[object, int, int]:
    with engine.connect() as conn:
        notified = conn.execute(
            sa.text("select notified_at from vote_results where challenge_id = :c"),
            {"c": challenge_id},
        ).scalar_one()
        notes = conn.execute(
            sa.text(
                "select count(*) from notifications where kind = 'VOTE_CLOSED'"
                " or kind = 'vote_closed'"
            ),
        ).scalar_one()
        files = conn.execute(
            sa.text("select count(*) from vote_files where challenge_id = :c"), {"c": challenge_id}
        ).scalar_one()
    return notified, notes, files


def test_killed_worker_the_announcement_happens_once_on_restart(tmp_path):
    url = f"sqlite:///{tmp_path / 'site.db'}"
    world = build_world(url, voters=5)
    queue = f"sqlite:///{tmp_path / 'queue.db'}"
    env = production_env(url, 5000, QUEUE_URL=queue, FAULTS_PAUSE_FILE=str(tmp_path / "paused"))
    subprocess.run(
        [sys.executable, "-m", "tests.faults.world", "close", url, world["vote_slug"]],
        cwd=ROOT,
        check=True,
        env={**env, "FLASK_CONFIG": "testing", "QUEUE_IMMEDIATE": "0"},
    )
    engine = sa.create_engine(url)
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115
    try:
        first = _consumer("tests.faults.paused_tasks", env, log)
        deadline = time.monotonic() + 90
        while not (tmp_path / "paused").exists():
            assert time.monotonic() < deadline and first.poll() is None, "never reached the pause"
            time.sleep(0.2)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        notified, notes, _files = _counts(engine, world["vote_id"])
        assert notified is None and notes == 0  # nothing half-told

        second = _consumer("ideation.tasks", env, log)
        try:
            deadline = time.monotonic() + 90
            while _counts(engine, world["vote_id"])[0] is None:
                assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
                time.sleep(0.3)
        finally:
            # SIGINT is Huey's graceful stop: the task it runs finishes before it exits,
            # so a doubled run would have written by the time the counts are read.
            os.killpg(second.pid, signal.SIGINT)
            second.wait(30)
        # And once more, as the every-minute catch-up would: nothing changes.
        subprocess.run(
            [sys.executable, "-c", CATCH_UP],
            cwd=ROOT,
            check=True,
            env=env,
            capture_output=True,
        )
    finally:
        log.close()
    notified, notes, files = _counts(engine, world["vote_id"])
    engine.dispose()
    assert notified is not None
    assert notes == 5  # one per voter
    assert files == 3
