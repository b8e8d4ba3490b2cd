"""The task queue: one Huey instance per process, shared by the web and the workers.

Why Huey: it is one small pure-Python package whose SQLite storage is a file, so
`make run` needs no server, and whose Redis storage lets workers on several machines
share one queue in production; its scheduler runs the periodic jobs (no cron, no beat
process). Celery needs a broker and a separate beat; RQ needs Redis even on a laptop.

The storage comes from QUEUE_URL (config.queue_url): ``sqlite:///path`` (the default, a
file under instance/), ``redis://…`` (production, several machines) or ``memory://``.
Tests run jobs inline (``immediate``: TestingConfig.QUEUE_IMMEDIATE).

Jobs are declared with `task` / `periodic_task` below (never `huey.task` directly): the
job runs inside an app context of its own, with its own database session. In a worker
the app is built once per process, on the first job; when a job runs inline (immediate
mode) it gets a fresh context of the calling app. A service hands work to the queue with
`enqueue_after_commit`, so that a job never sees data that was rolled back.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from config import queue_url
from ideation.core.time import PARIS
from ideation.extensions import db

logger = logging.getLogger(__name__)

__all__ = [
    "configure",
    "enqueue_after_commit",
    "huey",
    "init_queue",
    "paris_crontab",
    "periodic_task",
    "task",
]


def storage_for(url: str) -> tuple[type, dict[str, Any]]:
    """The Huey storage class and its arguments for a QUEUE_URL."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        # A Redis that is down or hangs answers the producer within a second or five (the
        # hand-over after a commit is then logged and the periodic jobs catch up, see
        # ideation/tasks.py); the consumer's blocking reads wait 1 s, well inside 5.
        pool = ConnectionPool.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        return RedisStorage, {"connection_pool": pool}
    if url.startswith("sqlite:///"):
        filename = url[len("sqlite:///") :]
        os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
        return SqliteStorage, {"filename": filename}
    if url == "memory://":
        return MemoryStorage, {}
    raise ValueError(f"QUEUE_URL not understood: {url!r} (sqlite:///…, redis://… or memory://)")


def _immediate_from_environment() -> bool:
    return os.environ.get("QUEUE_IMMEDIATE", "").strip().lower() in {"1", "true", "yes", "on"}


def _build() -> Huey:
    url = queue_url()
    immediate = _immediate_from_environment()
    storage_class, kwargs = storage_for(url) if not immediate else (MemoryStorage, {})
    instance = Huey(
        "fabrique",
        immediate=immediate,
        storage_class=storage_class,
        # A job's return value is never read: keep no results in the storage.
        results=False,
        **kwargs,
    )
    instance.storage_url = url  # type: ignore[attr-defined]
    return instance


# The one instance of the process: `huey_consumer ideation.tasks.huey` runs its jobs.
huey: Huey = _build()


def configure(url: str, immediate: bool) -> None:
    """Point the process's queue at another storage (the app factory, and tests)."""
    if getattr(huey, "storage_url", None) == url and huey.immediate == immediate:
        return
    huey.storage_class, huey.storage_kwargs = storage_for(url)
    if huey.immediate != immediate:
        huey.immediate = immediate  # the setter builds the storage (memory when immediate)
    elif not immediate:
        huey.storage = huey.create_storage()
    huey.storage_url = url  # type: ignore[attr-defined]


def init_queue(app: Flask) -> None:
    """Apply the app's queue settings, except in a worker (its storage never changes)."""
    if app.config.get("QUEUE_WORKER"):
        return
    configure(app.config["QUEUE_URL"], bool(app.config.get("QUEUE_IMMEDIATE")))


_worker_app: Flask | None = None
_worker_app_lock = threading.Lock()
_app_factory: Callable[[], Flask] | None = None


def set_app_factory(factory: Callable[[], Flask]) -> None:
    """How a worker builds its app (ideation/tasks.py says it: the core imports no app)."""
    global _app_factory
    _app_factory = factory


def job_app() -> Flask:
    """The app a job runs in: the caller's when run inline, else one per worker process."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
    with _worker_app_lock:
        if _worker_app is None:
            if _app_factory is None:
                raise RuntimeError("no app factory: run the consumer on ideation.tasks.huey")
            _worker_app = _app_factory()
    return _worker_app


def _in_app_context(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        # A context of its own even when inline: its own session, never the caller's
        # (whose transaction may be committing right now, see enqueue_after_commit).
        with job_app().app_context():
            try:
                return func(*args, **kwargs)
            except BaseException:
                db.session.rollback()
                raise

    return run


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a job (huey.task options: retries, retry_delay, …) run in an app context."""

    def decorate(func: Callable[..., Any]) -> Any:
        return huey.task(**options)(_in_app_context(func))

    return decorate


def periodic_task(
    validate_datetime: Callable[[datetime], bool], **options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a job the consumer's scheduler enqueues when `validate_datetime` says so."""

    def decorate(func: Callable[..., Any]) -> Any:
        return huey.periodic_task(validate_datetime, **options)(_in_app_context(func))

    return decorate


def paris_crontab(**fields: str) -> Callable[[datetime], bool]:
    """A crontab read on Paris clocks (Huey hands the scheduler naive UTC times)."""
    check = crontab(**fields)

    def validate(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone(PARIS).replace(tzinfo=None)
        return bool(check(local))

    return validate


# --------------------------------------------------------------------------- after commit

_PENDING = "fabrique.jobs_after_commit"


def enqueue_after_commit(job: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `job(*args, **kwargs)` once the current transaction commits.

    If the transaction (or the savepoint it was called in) rolls back, the job is
    dropped: a job never runs on data that does not exist. Pass ids, not objects.
    """
    session = db.session()
    # Begin now if nothing did yet, so that a rollback before any query drops the job too.
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_PENDING, []).append((transaction, job, args, kwargs))


def _inside(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back_jobs(session: Session, previous_transaction: SessionTransaction) -> None:
    jobs = session.info.get(_PENDING)
    if not jobs:
        return
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [j for j in jobs if not _inside(j[0], previous_transaction)]


@event.listens_for(Session, "after_commit")
def _enqueue_committed_jobs(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint released: nothing is durable until the outer commit
    jobs = session.info.pop(_PENDING, None)
    for _transaction, job, args, kwargs in jobs or ():
        try:
            job(*args, **kwargs)
        except Exception:  # noqa: BLE001  (the action is committed: never turn it into a 500)
            # Only the hand-over can fail here (the queue unreachable): jobs run elsewhere.
            logger.exception("could not enqueue %s after commit", getattr(job, "name", job))
