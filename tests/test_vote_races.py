"""Race tests for ballots, on SQLite and PostgreSQL (whichever the suite targets).

Threads use the real app, each in its own app context with its own database session
and connection. The injected pause (`voting.PAUSE_HOOK`) sits between the check that
the vote is open (inside the lock) and the write, so the race is hit on every run;
`test_without_the_lock_the_race_is_real` proves the pause really opens the window.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideation.challenges.models import Challenge
from ideation.db_types import utcnow
from ideation.domain.roles import Role
from ideation.extensions import db as _db
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteResult
from tests.factories import (
    DEFAULT_PASSWORD,
    make_ballot,
    make_challenge,
    make_idea,
    make_org,
    make_user,
)

THREADS = 24


@pytest.fixture
def race(db):
    org = make_org("Bailleur des courses")
    challenge = make_challenge(
        phase="voting", org=org, slug="defi-course", voting_ends_at=utcnow() + timedelta(days=2)
    )
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {n}") for n in "ABC"]
    voter = make_user(Role.TENANT, org=org)
    late = make_user(Role.TENANT, org=org)
    for ranking in ([ideas[0]], [ideas[1], ideas[0]], [ideas[2]]):
        make_ballot(challenge, ranking=ranking)
    db.session.commit()
    yield {
        "challenge_id": challenge.id,
        "ideas": [i.id for i in ideas],
        "voter": voter,
        "late": late,
    }
    voting.PAUSE_HOOK = None


def _in_app(app, errors: list, work) -> threading.Thread:  # type: ignore[no-untyped-def]
    def run() -> None:
        with app.app_context():
            try:
                work()
                _db.session.commit()
            except Exception as error:  # noqa: BLE001  (collected and checked by the test)
                _db.session.rollback()
                errors.append(error)
            finally:
                _db.session.remove()

    return threading.Thread(target=run)


def _cast(race: dict, user, ranking: list[int]):  # type: ignore[no-untyped-def]
    # Read the id here, in the test's thread: the objects belong to the test's session.
    user_id = user if isinstance(user, int) else user.id

    def work() -> None:
        challenge = _db.session.get(Challenge, race["challenge_id"])
        voting.cast_ballot(challenge, user_id, [[i] for i in ranking])

    return work


def _close(race: dict):  # type: ignore[no-untyped-def]
    def work() -> None:
        voting.close_vote(_db.session.get(Challenge, race["challenge_id"]))

    return work


def _ballots(db) -> list[Ballot]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ballot).order_by(Ballot.id)))


def test_24_concurrent_casts_for_one_voter_leave_one_ballot(app, db, login, race):
    """Through the real views: 24 clients share the voter's session and post at once."""
    voter = race["voter"]
    first = app.test_client()
    first.post(
        "/connexion", data={"email": voter.email, "password": "un mot de passe de test solide"}
    )
    cookie = first.get_cookie("session")
    assert cookie is not None
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []
    a, b, c = race["ideas"]
    orders = [(a, b, c), (b, c, a), (c, a, b)]

    def post(n: int) -> None:
        client = app.test_client()
        client.set_cookie("session", cookie.value)
        order = orders[n % 3]
        data = {f"rang-{idea}": str(rank) for rank, idea in enumerate(order, 1)}
        barrier.wait()
        try:
            statuses.append(client.post("/defis/defi-course/vote", data=data).status_code)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert statuses == [302] * THREADS
    mine = [b for b in _ballots(db) if b.voter_id == voter.id]
    assert len(mine) == 1
    assert tuple(g[0] for g in mine[0].ranking) in orders  # last write wins, whole


def test_24_concurrent_casts_through_the_service(app, db, race):
    errors: list = []
    barrier = threading.Barrier(THREADS)
    voter = race["voter"].id

    def work_for(n: int):  # type: ignore[no-untyped-def]
        cast = _cast(race, voter, race["ideas"][n % 3 :] or race["ideas"])

        def work() -> None:
            barrier.wait()
            cast()

        return work

    threads = [_in_app(app, errors, work_for(n)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert (
        db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.voter_id == voter))
        == 1
    )


def test_cast_during_close_is_refused(app, db, race):
    """The close holds the lock and pauses; a cast started meanwhile waits, then is refused."""
    in_close = threading.Event()

    def pause(point: str) -> None:
        if point == "close":
            in_close.set()
            threading.Event().wait(0.6)

    voting.PAUSE_HOOK = pause
    errors: list = []
    closer = _in_app(app, errors, _close(race))
    closer.start()
    assert in_close.wait(10)
    caster = _in_app(app, errors, _cast(race, race["late"], race["ideas"]))
    caster.start()
    closer.join(30)
    caster.join(30)
    assert [type(e) for e in errors] == [voting.VoteClosed]
    assert all(b.voter_id != race["late"].id for b in _ballots(db))
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 3 == len(_ballots(db))


def test_close_during_cast_counts_the_cast(app, db, race):
    """A cast holds the lock and pauses; the close waits for it and counts its ballot."""
    in_cast = threading.Event()
    close_done = threading.Event()

    def pause(point: str) -> None:
        if point == "cast":
            in_cast.set()
            close_done.wait(0.8)  # the close cannot finish meanwhile: it waits for the lock

    voting.PAUSE_HOOK = pause
    errors: list = []
    caster = _in_app(app, errors, _cast(race, race["late"], race["ideas"][::-1]))
    caster.start()
    assert in_cast.wait(10)
    closer = _in_app(app, errors, _close(race))
    closer.start()
    caster.join(30)
    closer.join(30)
    close_done.set()
    assert errors == []
    ballots = _ballots(db)
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 4 == len(ballots)
    assert all(b.updated_at <= result.computed_at for b in ballots)


def test_no_ballot_is_stored_after_the_close_even_when_both_start_together(app, db, race):
    """Many casts and one close released at once: whatever the order, the result counts
    exactly the ballots that exist, and every refused cast left nothing behind."""
    barrier = threading.Barrier(9)
    errors: list = []
    voters = [
        make_user(Role.TENANT, org=db.session.get(Challenge, race["challenge_id"]).organisation)
        for _ in range(8)
    ]
    db.session.commit()
    voters = [v.id for v in voters]

    def gated(work):  # type: ignore[no-untyped-def]
        def run() -> None:
            barrier.wait()
            work()

        return run

    threads = [_in_app(app, errors, gated(_cast(race, v, race["ideas"]))) for v in voters]
    threads.append(_in_app(app, errors, gated(_close(race))))
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(e, voting.VoteClosed) for e in errors), errors
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == len(_ballots(db)) == 3 + 8 - len(errors)


def test_without_the_lock_the_race_is_real(app, db, race, monkeypatch):
    """Proof that the pause opens the window: with the lock removed, a ballot lands
    after the close and is missing from the result. (The real code passes above.)"""
    monkeypatch.setattr(voting, "_serialise", lambda challenge_id, exclusive: None)
    in_cast = threading.Event()
    close_done = threading.Event()

    def pause(point: str) -> None:
        if point == "cast":
            in_cast.set()
            close_done.wait(5)

    voting.PAUSE_HOOK = pause
    errors: list = []
    caster = _in_app(app, errors, _cast(race, race["late"], race["ideas"]))
    caster.start()
    assert in_cast.wait(10)
    closer = _in_app(app, errors, _close(race))
    closer.start()
    closer.join(30)
    close_done.set()
    caster.join(30)
    result = db.session.scalar(select(VoteResult))
    assert result.ballots_count == 3
    assert len(_ballots(db)) == 4  # the broken code accepted a ballot after the close


def test_the_button_and_the_lazy_close_racing_close_the_vote_once(app, db, race):
    """A facilitator's close and a GET page's lazy close at once: one result, the voters
    told once, the files written once."""
    from ideation.notifications.models import Notification, NotificationKind
    from ideation.voting.models import VoteFile

    in_close = threading.Event()

    def pause(point: str) -> None:
        if point == "close" and not in_close.is_set():
            in_close.set()
            threading.Event().wait(0.6)

    voting.PAUSE_HOOK = pause
    errors: list = []

    def lazy() -> None:
        challenge = _db.session.get(Challenge, race["challenge_id"])
        challenge.voting_ends_at = utcnow() - timedelta(minutes=1)
        voting.close_if_due(challenge)

    button = _in_app(app, errors, _close(race))
    button.start()
    assert in_close.wait(10)
    page = _in_app(app, errors, lazy)
    page.start()
    button.join(30)
    page.join(30)
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(VoteResult)) == 1
    assert db.session.scalar(select(func.count()).select_from(VoteFile)) == 3
    told = db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.kind == NotificationKind.VOTE_CLOSED)
    )
    assert told == 3  # the three voters of the fixture, once each


def test_the_vote_page_answers_a_vote_that_closes_during_the_write(app, db, client, race):
    """The view's own path for VoteClosed: the close holds the lock when the POST arrives
    (the view saw an open vote), the cast waits, then is refused; the voter is sent to the
    results with a message and no ballot of theirs is stored."""
    in_close = threading.Event()

    def pause(point: str) -> None:
        if point == "close":
            in_close.set()
            threading.Event().wait(0.6)  # the window: the POST below arrives meanwhile

    late = race["late"]
    db.session.commit()
    response = client.post("/connexion", data={"email": late.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    voting.PAUSE_HOOK = pause
    errors: list = []
    closer = _in_app(app, errors, _close(race))
    closer.start()
    assert in_close.wait(10)
    response = client.post("/defis/defi-course/vote", data={f"rang-{race['ideas'][0]}": "1"})
    closer.join(30)
    assert errors == []
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/defis/defi-course/resultats")
    page = client.get(response.headers["Location"]).text
    assert "Le vote est clos : votre bulletin n&#39;a pas été enregistré." in page
    assert all(b.voter_id != late.id for b in _ballots(db))
    assert db.session.scalar(select(VoteResult)).ballots_count == 3 == len(_ballots(db))
