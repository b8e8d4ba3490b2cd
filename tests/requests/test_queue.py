"""The task queue (Huey): jobs run inline in tests, retries, after-commit hand-over,
the periodic schedule, and one real consumer process on the SQLite storage."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from huey.storage import RedisStorage
from sqlalchemy import func, select

from ideation import tasks
from ideation.challenges.models import Challenge
from ideation.core import queue
from ideation.dashboard import aggregates
from ideation.db_types import utcnow
from ideation.domain.challenge_phases import Phase
from ideation.extensions import db as _db
from ideation.mail.models import Email, EmailStatus
from ideation.mail.services import queue_email
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify
from tests.conftest import need
from tests.factories import make_challenge, make_user
from tests.helpers import outbox

ROOT = Path(__file__).resolve().parents[2]

calls: list[str] = []


def _email_row(subject: str) -> Email:
    return Email(recipient="job@example.test", subject=subject, body_text="t", body_html="<p>t</p>")


@queue.task(retries=1)
def flaky_job(subject: str) -> None:
    """Writes a row, then fails on its first run: the retry must start clean."""
    calls.append(subject)
    _db.session.add(_email_row(f"{subject} #{len(calls)}"))
    _db.session.flush()
    if len(calls) == 1:
        raise RuntimeError("relais indisponible")
    _db.session.commit()


@queue.task(retries=2)
def hopeless_job() -> None:
    calls.append("hopeless")
    _db.session.add(_email_row("jamais"))
    _db.session.flush()
    raise RuntimeError("toujours en panne")


@queue.task()
def count_emails_job(subject: str) -> None:
    """Records what a job sees from its own session: the committed rows only."""
    seen = _db.session.scalar(
        select(func.count()).select_from(Email).where(Email.subject == subject)
    )
    calls.append(f"{subject}={seen}")


@pytest.fixture(autouse=True)
def _fresh_calls():
    calls.clear()
    yield
    calls.clear()


def _subjects() -> list[str]:
    _db.session.expire_all()
    return sorted(e.subject for e in outbox())


# --------------------------------------------------------------------------- inline jobs


def test_tests_run_jobs_inline_on_memory_storage(db):
    assert queue.huey.immediate is True
    assert type(queue.huey.storage).__name__ == "MemoryStorage"


def test_a_job_runs_inline_in_its_own_session(db):
    db.session.add(_email_row("vu"))
    db.session.commit()
    db.session.add(_email_row("vu"))
    db.session.flush()  # written by the test's transaction, not committed
    count_emails_job("vu")
    assert calls == ["vu=1"]  # the job saw the committed row only


def test_a_job_failing_once_is_retried_and_succeeds(db):
    flaky_job("reprise")
    assert calls == ["reprise", "reprise"]
    # the failed first run was rolled back: only the retry's row exists
    assert _subjects() == ["reprise #2"]


def test_a_job_failing_every_time_stops_after_its_retries_and_leaves_nothing(db):
    hopeless_job()  # Huey logs the failure; the caller is never hit by it
    assert calls == ["hopeless"] * 3
    assert _subjects() == []


def test_delivery_job_sends_the_outbox_through_smtp(db, smtp_sink):
    with current_app.test_request_context():
        user = make_user(email="file@example.test")
        queue_email(user.email, "Par la file", "verify_email", user=user, link="http://x/v/t")
        db.session.commit()
    tasks.deliver_outbox()
    [received] = smtp_sink.received
    assert received.rcpt_tos == ["file@example.test"]
    assert received.message["Subject"] == "Par la file"
    db.session.expire_all()
    assert outbox()[0].status == EmailStatus.SENT


# --------------------------------------------------------------------------- after commit


def test_a_job_enqueued_after_commit_runs_after_the_commit_and_sees_the_data(db):
    db.session.add(_email_row("engagé"))
    queue.enqueue_after_commit(count_emails_job, "engagé")
    db.session.flush()
    assert calls == []  # not before the commit
    db.session.commit()
    assert calls == ["engagé=1"]


def test_a_job_of_a_rolled_back_transaction_never_runs(db):
    db.session.add(_email_row("annulé"))
    queue.enqueue_after_commit(count_emails_job, "annulé")
    db.session.rollback()
    db.session.commit()  # a later commit does not bring it back
    assert calls == []


def test_a_job_enqueued_before_any_query_is_dropped_by_a_rollback(db):
    db.session.commit()  # a session with no transaction at all
    queue.enqueue_after_commit(count_emails_job, "rien")
    db.session.rollback()
    db.session.commit()
    assert calls == []


def test_a_job_of_a_rolled_back_savepoint_is_dropped_and_the_others_kept(db):
    queue.enqueue_after_commit(count_emails_job, "dehors")
    savepoint = db.session.begin_nested()
    queue.enqueue_after_commit(count_emails_job, "dedans")
    savepoint.rollback()
    kept = db.session.begin_nested()
    queue.enqueue_after_commit(count_emails_job, "libéré")
    kept.commit()
    assert calls == []  # releasing a savepoint is not a commit
    db.session.commit()
    assert calls == ["dehors=0", "libéré=0"]


# --------------------------------------------------------------------------- periodic jobs


def _periodic() -> dict[str, object]:
    return {t.name: t for t in queue.huey._registry.periodic_tasks}  # noqa: SLF001


def test_the_routines_are_periodic_jobs_of_the_queue():
    names = {name.rsplit(".", 1)[-1] for name in _periodic()}
    assert names == {
        "send_outbox_every_minute",
        "advance_challenges_every_minute",
        "send_digests_daily",
        "retire_inactive_accounts_daily",
        "refresh_dashboard_periodically",
        "finish_interrupted_every_minute",
        "finish_photos_every_ten_minutes",
        "remind_workshops_every_quarter_hour",
    }


@pytest.mark.parametrize(
    ("utc", "due"),
    [
        (datetime(2027, 1, 15, 6, 0), True),  # 07:00 in Paris in winter
        (datetime(2027, 1, 15, 7, 0), False),
        (datetime(2027, 7, 15, 5, 0), True),  # 07:00 in Paris in summer
        (datetime(2027, 7, 15, 6, 0), False),
        (datetime(2027, 7, 15, 5, 1), False),
    ],
)
def test_the_digest_runs_at_seven_paris_time(utc, due):
    [digest] = [t for n, t in _periodic().items() if n.endswith("send_digests_daily")]
    assert digest.validate_datetime(utc) is due


def test_periodic_jobs_do_the_routines_work(db):
    past = utcnow() - timedelta(days=1)
    challenge = make_challenge(phase="ideation", slug="echu", ideation_ends_at=past)
    person = make_user(email="resume@example.test")
    sleeper = make_user(email="dort@example.test")
    sleeper.created_at = sleeper.last_login_at = utcnow() - timedelta(days=2000)
    db.session.commit()
    with current_app.test_request_context():
        notify(person, NotificationKind.COMMENT_ON_MY_IDEA, "Un commentaire", "/idees/1")
        db.session.commit()

    tasks.advance_challenges_every_minute()
    tasks.send_digests_daily()
    tasks.retire_inactive_accounts_daily()

    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == Phase.REVIEW
    assert len(outbox("resume@example.test")) == 1
    [warning] = outbox("dort@example.test")
    assert "anonymisé" in warning.subject


def test_a_locked_periodic_job_does_not_overlap_a_running_one(db):
    past = utcnow() - timedelta(days=1)
    challenge = make_challenge(phase="ideation", slug="verrou", ideation_ends_at=past)
    db.session.commit()
    with queue.huey.lock_task("periodic-advance"):
        tasks.advance_challenges_every_minute()  # another run holds the lock: skipped
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == Phase.IDEATION
    tasks.advance_challenges_every_minute()
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == Phase.REVIEW


# --------------------------------------------------------------------------- real consumer


@pytest.fixture
def file_queue(tmp_path):
    """The test process's queue on a SQLite file (as in `make run`), restored afterwards."""
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    previous = queue.huey.storage_url
    queue.configure(url, immediate=False)
    try:
        yield url
    finally:
        queue.configure(previous, immediate=True)


def test_a_real_consumer_process_runs_a_job_from_the_sqlite_queue(
    db, database_url, file_queue, smtp_sink, monkeypatch
):
    # Only the e-mail's job in the file: the new account would also ask for a dashboard
    # refresh (ideation/dashboard/aggregates.py), which is not what this test counts.
    monkeypatch.setattr(aggregates, "request_refresh", lambda: None)
    with current_app.test_request_context():
        user = make_user(email="consommateur@example.test")
        queue_email(user.email, "Par le consommateur", "verify_email", user=user, link="http://x")
        db.session.commit()
    tasks.deliver_outbox()  # enqueued in the file, not run here
    assert smtp_sink.received == [] and queue.huey.pending_count() == 1

    env = {
        **os.environ,
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "QUEUE_URL": file_queue,
        "QUEUE_IMMEDIATE": "0",
        "MAIL_SERVER": smtp_sink.host,
        "MAIL_PORT": str(smtp_sink.port),
    }
    consumer = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "ideation.tasks.huey", "-w", "1", "-n"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp_sink.received:
            time.sleep(0.2)
    finally:
        consumer.terminate()
        output = consumer.communicate(timeout=30)[0].decode(errors="replace")
    [received] = smtp_sink.received
    assert received.message["To"] == "consommateur@example.test", output
    assert queue.huey.pending_count() == 0
    db.session.expire_all()
    [email] = outbox()
    assert email.status == EmailStatus.SENT and email.claimed_by is None


# --------------------------------------------------------------------------- storages

REDIS_QUEUE = "redis://127.0.0.1:6379/8"


def test_queue_url_picks_the_storage(tmp_path):
    storage, options = queue.storage_for(f"sqlite:///{tmp_path / 'q' / 'queue.db'}")
    assert storage.__name__ == "SqliteStorage" and options["filename"].endswith("q/queue.db")
    assert (tmp_path / "q").is_dir()  # the folder is made, like instance/ on a fresh checkout
    storage, options = queue.storage_for(REDIS_QUEUE)
    assert storage is RedisStorage
    # A pool with short timeouts: a Redis away answers the producer within seconds.
    pool = options["connection_pool"]
    assert pool.connection_kwargs["socket_connect_timeout"] == 1
    assert pool.connection_kwargs["port"] == int(REDIS_QUEUE.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(ValueError):
        queue.storage_for("amqp://broker")


def test_queue_url_defaults_to_a_file_and_follows_redis_when_configured(monkeypatch):
    from config import BASE_DIR, queue_url

    monkeypatch.delenv("QUEUE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert queue_url() == f"sqlite:///{BASE_DIR / 'instance' / 'queue.db'}"
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    assert queue_url() == "redis://cache:6379/0"
    monkeypatch.setenv("QUEUE_URL", REDIS_QUEUE)
    assert queue_url() == REDIS_QUEUE


def test_a_job_goes_through_redis_storage(db):
    """RedisHuey in production: the job is stored in Redis, then a worker takes and runs it."""
    import redis

    try:
        redis.Redis.from_url(REDIS_QUEUE).ping()
    except redis.exceptions.ConnectionError:
        need(False, "Redis is not reachable at 127.0.0.1:6379")
    previous = queue.huey.storage_url
    queue.configure(REDIS_QUEUE, immediate=False)
    try:
        queue.huey.flush()
        db.session.add(_email_row("redis"))
        db.session.commit()
        count_emails_job("redis")
        assert calls == [] and queue.huey.pending_count() == 1
        job = queue.huey.dequeue()  # what a consumer's worker does
        queue.huey.execute(job)
        assert calls == ["redis=1"] and queue.huey.pending_count() == 0
    finally:
        queue.huey.flush()
        queue.configure(previous, immediate=True)
