"""The jobs of the task queue; `huey_consumer ideation.tasks.huey` runs them.

Periodic jobs replace the cron lines (which remain a documented alternative: they call
the same routines, ideation/routines.py). Schedules are read on Paris clocks. Each
periodic job holds a lock in the queue's storage, so a slow run is never overlapped
by the next one, even when several consumers share the queue.

Only one consumer should run the scheduler (`huey_consumer … -n` on the others): the
locks make a doubled schedule harmless, but it would enqueue every job twice.
"""

from __future__ import annotations

import logging
import os

from ideation import routines
from ideation.core.queue import huey, paris_crontab, periodic_task, set_app_factory, task
from ideation.dashboard import aggregates as dashboard_aggregates  # noqa: F401  (registers its jobs)
from ideation.outreach import services as outreach_services  # noqa: F401  (registers its jobs)
from ideation.photos import services as photo_services  # noqa: F401  (registers its jobs)
from ideation.voting import services as voting_services  # noqa: F401  (registers its jobs)

__all__ = ["huey"]

logger = logging.getLogger(__name__)


def _worker_app():  # type: ignore[no-untyped-def]
    from ideation import create_app

    # QUEUE_WORKER: the app must leave the consumer's queue storage as it is.
    return create_app(
        {"CONFIG": os.environ.get("FLASK_CONFIG", "development"), "QUEUE_WORKER": True}
    )


# A worker builds its app once, on its first job (ideation/core/queue.py job_app).
set_app_factory(_worker_app)

# A run of the outbox stops taking new batches after this many seconds, so the
# next minute's run starts on time (and its lock is free).
OUTBOX_BUDGET_SECONDS = 50


@task()
def deliver_outbox() -> tuple[int, int]:
    """Deliver the due e-mails now (enqueued by whoever wants them sent promptly)."""
    return routines.send_outbox(budget_seconds=OUTBOX_BUDGET_SECONDS)


@periodic_task(paris_crontab(minute="*"))
@huey.lock_task("periodic-outbox")
def send_outbox_every_minute() -> None:
    sent, failed = routines.send_outbox(budget_seconds=OUTBOX_BUDGET_SECONDS)
    logger.info("outbox: %d sent, %d failed attempts", sent, failed)


@periodic_task(paris_crontab(minute="*"))
@huey.lock_task("periodic-advance")
def advance_challenges_every_minute() -> None:
    for slug, phase in routines.advance_challenges():
        logger.info("challenge %s moved to %s", slug, phase.value)


@task()
@huey.lock_task("finish-interrupted")
def finish_interrupted_jobs() -> None:
    """Catch up after a worker was killed mid-job or the queue was unreachable."""
    finished = routines.finish_interrupted_jobs()
    if finished:
        logger.warning("finished %d interrupted vote close(s)", finished)


@periodic_task(paris_crontab(minute="*"))
def finish_interrupted_every_minute() -> None:
    finish_interrupted_jobs()


@huey.on_startup()
def catch_up_on_start() -> None:
    # A worker (re)starting after a crash: Huey had already taken the killed job off the
    # queue, so it is not retried by Huey; this is what runs it again. Each worker thread
    # calls this; the lock and the jobs' idempotence make the doubles harmless.
    finish_interrupted_jobs()


@periodic_task(paris_crontab(minute="0", hour="7"), retries=2, retry_delay=300)
@huey.lock_task("periodic-digest")
def send_digests_daily() -> None:
    logger.info("%d digest(s) queued", routines.send_digests())


@periodic_task(paris_crontab(minute="0", hour="3"), retries=2, retry_delay=300)
@huey.lock_task("periodic-inactive-accounts")
def retire_inactive_accounts_daily() -> None:
    warned = routines.warn_inactive_accounts()
    anonymised = routines.anonymise_inactive_accounts()
    logger.info("inactive accounts: %d warned, %d anonymised", warned, anonymised)


@periodic_task(paris_crontab(minute="*/10"))
@huey.lock_task("periodic-photos")
def finish_photos_every_ten_minutes() -> None:
    # Huey does not hand a job back when its worker dies: a photo whose resize was cut
    # short is finished here (the job is idempotent, so a doubled run is harmless).
    finished = routines.finish_photos()
    if finished:
        logger.info("photos: %d resize(s) finished again", finished)


@periodic_task(paris_crontab(minute="*/15"))
@huey.lock_task("periodic-workshop-reminders")
def remind_workshops_every_quarter_hour() -> None:
    # The day before: each registration is claimed once (reminder_sent_at), so a doubled
    # or overlapping run sends nothing twice.
    reminded = routines.remind_workshops()
    if reminded:
        logger.info("workshops: %d reminder(s)", reminded)
