"""Closing a vote: the result is committed first; voters are told by a queued job, in bulk,
once; the ballot files are stored once and served with an ETag; receipts are looked up."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from ideation.domain.roles import Role
from ideation.notifications import services as notifications
from ideation.notifications.models import Notification, NotificationKind
from ideation.voting import services as voting
from ideation.voting.models import Ballot, VoteFile, VoteResult
from tests.factories import make_ballot, make_challenge, make_idea, make_org, make_user
from tests.helpers import outbox


@pytest.fixture
def box(db):
    org = make_org("Bailleur des clôtures")
    challenge = make_challenge(phase="voting", org=org, slug="defi-cloture")
    ideas = [make_idea(challenge, status="shortlisted", title=f"Idée {t}") for t in "ABC"]
    voters = [make_user(Role.TENANT, org=org) for _ in range(6)]
    for voter in voters[3:]:
        voter.locale = "en"
    voters[0].display_name = "Zoé <b>&</b> Cie"
    receipts = [
        make_ballot(challenge, voter, ranking=[ideas[n % 3], ideas[(n + 1) % 3]]).receipt
        for n, voter in enumerate(voters)
    ]
    db.session.commit()
    return {"challenge": challenge, "ideas": ideas, "voters": voters, "receipts": receipts}


def _notes(db) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.kind == NotificationKind.VOTE_CLOSED)
    )


def test_the_result_is_committed_before_any_notification(db, box, monkeypatch):
    from ideation.notifications import listeners

    seen: list[int] = []
    original = listeners.notify_bulk

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Another connection sees the result: the close had committed before this ran.
        with db.engine.connect() as other:
            seen.append(other.execute(text("SELECT count(*) FROM vote_results")).scalar_one())
        return original(*args, **kwargs)

    monkeypatch.setattr(listeners, "notify_bulk", spy)
    voting.close_vote(box["challenge"])
    assert _notes(db) == 0  # nothing told inside the close's transaction
    db.session.commit()
    assert seen == [1]
    assert _notes(db) == 6
    assert db.session.scalar(select(VoteResult.notified_at)) is not None


def test_a_failing_notification_job_never_undoes_the_result(client, db, login, box, monkeypatch):
    from ideation.notifications import listeners

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("SMTP on fire")

    monkeypatch.setattr(listeners, "notify_bulk", broken)
    login(make_user(Role.FACILITATOR, org=box["challenge"].organisation))
    response = client.post("/defis/defi-cloture/vote/cloturer", data={"confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.scalar(select(VoteResult))
    assert result is not None and result.ballots_count == 6
    assert result.notified_at is None  # the job's claim rolled back with it
    assert _notes(db) == 0
    monkeypatch.undo()
    assert voting.announce_vote_result.call_local(box["challenge"].id) is True
    db.session.expire_all()
    assert _notes(db) == 6


def test_the_job_is_idempotent(db, box):
    voting.close_vote(box["challenge"])
    db.session.commit()
    assert _notes(db) == 6
    assert voting.announce_vote_result.call_local(box["challenge"].id) is False
    db.session.expire_all()
    assert _notes(db) == 6
    assert len(outbox()) == 6


def test_templates_are_rendered_once_per_language_and_each_email_is_personal(
    app, db, box, monkeypatch
):
    calls: list[str] = []
    original = notifications.render_template

    def counting(name, **context):  # type: ignore[no-untyped-def]
        calls.append(name)
        return original(name, **context)

    monkeypatch.setattr(notifications, "render_template", counting)
    voting.close_vote(box["challenge"])
    db.session.commit()
    assert sorted(calls) == sorted(["emails/notification.txt", "emails/notification.html"] * 2)
    mails = {m.recipient: m for m in outbox()}
    assert len(mails) == 6
    zoe = mails[box["voters"][0].email]
    assert "Bonjour Zoé <b>&</b> Cie," in zoe.body_text
    assert "Zoé &lt;b&gt;&amp;&lt;/b&gt; Cie" in zoe.body_html
    english = mails[box["voters"][4].email]
    assert english.subject.startswith("Vote results")
    for voter in box["voters"]:
        mail = mails[voter.email]
        token = mail.list_unsubscribe.rsplit("/", 1)[1]
        assert notifications.read_unsubscribe_token(token) == (voter.id, "vote_closed")
        assert mail.list_unsubscribe in mail.body_text


def test_ballot_files_are_stored_once_with_the_same_bytes(client, db, box, monkeypatch):
    result = voting.close_vote(box["challenge"])
    db.session.commit()
    fresh = voting.publication(result)
    assert db.session.scalar(select(func.count()).select_from(VoteFile)) == 3
    monkeypatch.setattr(voting, "publication", lambda r: pytest.fail("rebuilt per request"))
    csv = client.get("/defis/defi-cloture/resultats/bulletins.csv")
    assert csv.data.decode() == fresh.csv()
    blt = client.get("/defis/defi-cloture/resultats/bulletins.blt")
    assert blt.data.decode() == fresh.blt(box["challenge"].title, result.winners_count)
    ext = fresh.preflib_extension
    preflib = client.get(f"/defis/defi-cloture/resultats/bulletins.{ext}")
    name = f"defi-cloture-bulletins.{ext}"
    assert preflib.data.decode() == fresh.preflib(box["challenge"].title, name)


def test_a_conditional_get_of_a_file_answers_304(client, db, box):
    voting.close_vote(box["challenge"])
    db.session.commit()
    first = client.get("/defis/defi-cloture/resultats/bulletins.csv")
    etag = first.headers["ETag"]
    again = client.get(
        "/defis/defi-cloture/resultats/bulletins.csv", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.data == b""


def test_a_missing_file_is_written_on_first_download(client, db, box):
    voting.close_vote(box["challenge"])
    db.session.commit()
    db.session.execute(VoteFile.__table__.delete())
    db.session.commit()
    response = client.get("/defis/defi-cloture/resultats/bulletins.csv")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(VoteFile)) == 3


def test_the_receipt_is_found_by_its_indexed_hash(client, db, box, monkeypatch):
    voting.close_vote(box["challenge"])
    db.session.commit()
    monkeypatch.setattr(voting, "publication", lambda r: pytest.fail("rebuilt per request"))
    code = box["receipts"][1]
    stored = db.session.scalar(select(Ballot.receipt_hash).where(Ballot.receipt == code))
    assert stored == voting.published_receipt(code)
    page = client.get(f"/defis/defi-cloture/resultats/verifier?recu={code.lower()}")
    assert page.status_code == 200
    assert stored in page.get_data(as_text=True)


def test_an_unknown_receipt_is_not_found(client, db, box):
    voting.close_vote(box["challenge"])
    db.session.commit()
    page = client.get("/defis/defi-cloture/resultats/verifier?recu=2222-3333-4444")
    assert "Aucun bulletin publié ne porte le reçu 2222-3333-4444" in page.get_data(as_text=True)


def test_the_close_reads_the_ballots_in_one_query_and_counts_them_as_row_by_row(
    db, box, count_queries
):
    """The stored rankings come back as one text parsed by numpy; the profile is the one
    the row-by-row read builds (ties, a blank ballot, an idea no longer on the ballot)."""
    challenge, ideas = box["challenge"], box["ideas"]
    dropped = make_idea(challenge, status="published", title="Idée retirée")
    org = challenge.organisation
    make_ballot(
        challenge, make_user(Role.TENANT, org=org), ranking=[[ideas[0], ideas[2]], ideas[1]]
    )
    make_ballot(challenge, make_user(Role.TENANT, org=org), ranking=[dropped, ideas[2], ideas[0]])
    make_ballot(challenge, make_user(Role.TENANT, org=org), ranking=[])
    db.session.flush()
    ids = [i.id for i in ideas]
    names = voting.candidate_names(ideas)
    with count_queries() as counted:
        fast = voting.counted_profile(challenge.id, ids, names)
    assert counted.count == 1
    slow, _named = voting.profile_from_ballots(ids, names, voting._stored_rows(challenge.id))
    assert fast.voters == slow.voters == 9
    assert voting.engine.digest(fast) == voting.engine.digest(slow)
    result = voting.close_vote(challenge)
    assert result is not None and result.digest == voting.engine.digest(slow)
    assert result.ballots_count == 9


def test_a_close_whose_jobs_never_ran_is_finished_once_by_the_catch_up(db, box, monkeypatch):
    from ideation import routines

    # The queue unreachable at the close's commit (or its worker killed): no job ran.
    monkeypatch.setattr(voting, "enqueue_after_commit", lambda *_a, **_k: None)
    voting.close_vote(box["challenge"])
    db.session.commit()
    assert voting.unfinished_closes() == [box["challenge"].id]
    assert _notes(db) == 0

    assert routines.finish_interrupted_jobs() == 1
    assert _notes(db) == 6
    assert db.session.scalar(select(func.count()).select_from(VoteFile)) == 3
    assert voting.unfinished_closes() == []
    assert routines.finish_interrupted_jobs() == 0  # a second run tells nobody again
    assert _notes(db) == 6
