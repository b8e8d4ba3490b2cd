"""Race tests for the outbox, on SQLite and PostgreSQL (whichever the suite targets).

Several senders (threads, each with its own app context, session and connection, as
several workers or servers would be) deliver through real SMTP to a local sink. The
pause hook (`mail.services.PAUSE_HOOK`) holds a sender between its claim and its
first delivery, or inside its claim's transaction, so the windows are hit on every run.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from ideation import routines
from ideation.extensions import db as _db
from ideation.mail import services as mail
from ideation.mail.models import Email, EmailStatus

SENDERS = 4
BATCH = 5


@pytest.fixture(autouse=True)
def _no_pause_left():
    yield
    mail.PAUSE_HOOK = None


def _queue(db, count: int) -> None:
    for n in range(count):
        db.session.add(
            Email(
                recipient=f"personne{n}@example.test",
                subject=f"Message {n}",
                body_text=f"Corps {n}",
                body_html=f"<p>Corps {n}</p>",
            )
        )
    db.session.commit()


def _sender(app, name: str, results: dict, errors: list, **options) -> threading.Thread:  # type: ignore[no-untyped-def]
    def run() -> None:
        with app.app_context():
            try:
                results[name] = routines.send_outbox(**options)
            except Exception as error:  # noqa: BLE001  (collected and checked by the test)
                errors.append(error)
            finally:
                _db.session.remove()

    return threading.Thread(target=run, name=name)


def _delivered(sink) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(r.message["Subject"] for r in sink.received)


def _rows(db) -> list[Email]:
    db.session.expire_all()
    return list(db.session.scalars(select(Email).order_by(Email.id)))


def test_concurrent_senders_deliver_each_email_exactly_once(app, db, smtp_sink):
    """Four senders claim at the same time and all hold a claim before any of them sends."""
    count = 40
    _queue(db, count)
    all_claimed = threading.Barrier(SENDERS, timeout=20)
    first = threading.local()

    def pause(point: str) -> None:
        if point == "claimed" and not getattr(first, "done", False):
            first.done = True
            all_claimed.wait()  # four live claims at once: they must be disjoint

    mail.PAUSE_HOOK = pause
    results: dict[str, tuple[int, int]] = {}
    errors: list = []
    threads = [
        _sender(app, f"s{n}", results, errors, batch=BATCH, budget_seconds=60)
        for n in range(SENDERS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert _delivered(smtp_sink) == Counter({f"Message {n}": 1 for n in range(count)})
    assert sorted(results) == [f"s{n}" for n in range(SENDERS)]
    assert all(sent >= BATCH for sent, _failed in results.values())  # each sender really sent
    assert sum(sent for sent, _failed in results.values()) == count
    rows = _rows(db)
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert {r.attempts for r in rows} == {1}
    assert {r.claimed_by for r in rows} == {None}
    # the envelope goes to each row's recipient and nobody else
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(r.recipient for r in rows)


def test_a_claim_in_progress_is_skipped_or_waited_for_never_shared(app, db, smtp_sink):
    """Sender A has taken its rows but not committed; B runs meanwhile. On PostgreSQL B
    skips A's locked rows without waiting (SKIP LOCKED); on SQLite B waits for A's write
    lock (BEGIN IMMEDIATE). Either way B takes the other rows only."""
    _queue(db, 2 * BATCH)
    postgres = db.engine.dialect.name == "postgresql"
    a_claiming = threading.Event()
    b_done = threading.Event()
    b_finished_while_a_held_its_claim: list[bool] = []

    def pause(point: str) -> None:
        if point == "claiming" and threading.current_thread().name == "A":
            a_claiming.set()
            b_finished_while_a_held_its_claim.append(b_done.wait(10 if postgres else 1))

    mail.PAUSE_HOOK = pause
    results: dict[str, tuple[int, int]] = {}
    errors: list = []
    a = _sender(app, "A", results, errors, batch=BATCH)
    a.start()
    assert a_claiming.wait(20)
    b = _sender(app, "B", results, errors, batch=BATCH)
    b.start()
    b.join(60)
    b_done.set()
    a.join(60)
    assert errors == []
    assert results == {"A": (BATCH, 0), "B": (BATCH, 0)}
    assert b_finished_while_a_held_its_claim == [postgres]
    assert _delivered(smtp_sink) == Counter({f"Message {n}": 1 for n in range(2 * BATCH)})
    assert {r.status for r in _rows(db)} == {EmailStatus.SENT}
