"""The periodic routines, each committing its own work.

Run by the queue's scheduler (ideation/tasks.py) and, as a documented alternative, by
the cron commands (`flask outbox send`, `flask challenges advance`, …): both call these
same functions. Routines that build links in e-mails do so against BASE_URL, since no
request is being answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ideation.challenges.services import advance_all
from ideation.core.links import site_links
from ideation.extensions import db
from ideation.mail.services import send_pending
from ideation.notifications.services import build_digests
from ideation.photos.services import finish_unfinished
from ideation.privacy.services import anonymise_inactive, warn_inactive
from ideation.voting.services import finish_interrupted_closes
from ideation.workshops.services import send_reminders as send_workshop_reminders

# docs/domain.md#retention-of-inactive-accounts: the `flask accounts` defaults.
INACTIVE_DAYS = 1095
INACTIVE_GRACE_DAYS = 30


def send_outbox(
    batch: int = 200, budget_seconds: float = 0, connect: Callable | None = None
) -> tuple[int, int]:
    """Deliver due e-mails by batches of `batch`: one batch, or, with a budget, batches
    until the outbox is empty or the budget is spent. Returns (sent, failed attempts)."""
    options = {"connect": connect} if connect is not None else {}
    stop_at = time.monotonic() + budget_seconds
    sent = failed = 0
    while True:
        more_sent, more_failed = send_pending(limit=batch, **options)
        sent, failed = sent + more_sent, failed + more_failed
        if more_sent + more_failed == 0 or time.monotonic() >= stop_at:
            return sent, failed


def advance_challenges() -> list:
    """Store the calendar's phase of every live challenge; returns (slug, phase) moved."""
    moved = advance_all()
    db.session.commit()
    return moved


def send_digests() -> int:
    """Queue each person's digest of pending notifications; returns how many."""
    with site_links():
        count = build_digests()
        db.session.commit()
    return count


def warn_inactive_accounts(days: int = INACTIVE_DAYS, grace: int = INACTIVE_GRACE_DAYS) -> int:
    """E-mail the accounts inactive for `days` days, once; returns how many."""
    with site_links():
        count = warn_inactive(days, grace)
        db.session.commit()
    return count


def anonymise_inactive_accounts(days: int = INACTIVE_DAYS, grace: int = INACTIVE_GRACE_DAYS) -> int:
    """Anonymise the accounts warned `grace` days ago that did not come back."""
    with site_links():
        count = anonymise_inactive(days, grace)
        db.session.commit()
    return count


def finish_interrupted_jobs() -> int:
    """Complete the work a killed worker (or an unreachable queue) left undone: closes
    whose voters were not told or whose files are missing. Idempotent; returns how many."""
    with site_links():
        return finish_interrupted_closes()


def finish_photos() -> int:
    """Resize again the photos whose job never finished (a worker killed midway)."""
    return finish_unfinished()


def remind_workshops() -> int:
    """Remind the people registered for the workshops of the next day; once each."""
    with site_links():
        count = send_workshop_reminders()
        db.session.commit()
    return count
