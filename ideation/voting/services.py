"""Ranked vote: cast or replace a ballot, close the vote, publish the ballots.

Services change the database and flush; the view (or the CLI) commits once.

Casting and closing are serialised so that nothing is accepted after the close, even
a request that started before it (docs/domain.md#ballot-integrity):

- PostgreSQL: casting locks the challenge row ``FOR SHARE``, closing ``FOR UPDATE``.
  Casts do not wait for each other; a close waits for the casts in flight to commit,
  and a cast that arrives during a close waits for it, then sees the vote closed.
- SQLite: both start the transaction with ``BEGIN IMMEDIATE`` (one writer at a time).
  The pysqlite driver only opens a transaction before a write, so reads done earlier
  in the request ran outside any transaction and ``BEGIN IMMEDIATE`` can still be
  issued; if a write already opened the transaction, it already holds SQLite's
  RESERVED lock, which excludes every other writer just as well.

Whether the vote is open is checked again *inside* the lock, from fresh column
values (never from objects loaded earlier in the request). `PAUSE_HOOK`, when set
(tests only), runs between that check and the write so race tests hit the race on
every run.

A ballot is one row per (challenge, voter), written with ``INSERT … ON CONFLICT
(challenge_id, voter_id) DO UPDATE`` (never check-then-insert): the last write wins
and keeps the voter's receipt code.

Votes in person (ideation/domain/desks.py) go through the same lock, and each one also
locks its voter's row (``FOR NO KEY UPDATE`` on PostgreSQL; SQLite has one writer): the
online cast, a desk ballot and a paper voter's tick of the same person are then one
after the other, so the vote's list of who voted in person (`VoterMark`) read by the
online cast is always current. Paper ballots have no voter; the desk's services lock
the desk so that its ballots never outnumber its ticked voters.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from flask import current_app, has_request_context, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import CursorResult, Select, Text, delete, func, or_, select, union_all, update
from sqlalchemy import cast as sql_cast

from ideation.auth.models import User
from ideation.challenges.models import Challenge
from ideation.comments.services import challenge_participants
from ideation.core.links import site_links
from ideation.core.queue import enqueue_after_commit, task
from ideation.core.signals import challenge_phase_changed, vote_closed
from ideation.core.sql import dialect_insert
from ideation.db_types import utcnow
from ideation.domain import voting as engine
from ideation.domain.challenge_phases import ORDER, Phase, Schedule, scheduled_phase
from ideation.domain.desks import CHANNEL_LABELS, Channel
from ideation.domain.idea_states import IdeaStatus
from ideation.domain.roles import Role
from ideation.domain.voting import fastread, formats
from ideation.domain.voting.order import ballot_order, voter_seed
from ideation.extensions import db
from ideation.ideas import lifecycle
from ideation.ideas.models import Idea
from ideation.notifications.models import NotificationKind
from ideation.notifications.services import notify_many
from ideation.orgs.models import Residence
from ideation.voting.models import Ballot, VoteFile, VoteResult, VoterMark

# Tests set this to a function called with "cast" or "close" between the check that
# the vote is open (inside the lock) and the write. Never set in production.
PAUSE_HOOK: Callable[[str], None] | None = None

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely
RECEIPT_GROUPS = 3
RECEIPT_GROUP_SIZE = 4


def _(message: str, **params: object) -> str:
    """Translate when a request says which language; the CLI and tests work without one."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


def _n(singular: str, plural: str, num: int) -> str:
    """The plural twin of `_`: French's rule (0 and 1 singular) outside a request too."""
    if has_request_context():
        return ngettext(singular, plural, num)
    return (singular if num <= 1 else plural) % {"num": num}


class VoteClosed(Exception):
    """The vote is not open (any more): nothing was written."""


class BallotRefused(ValueError):
    """A ranking that cannot be cast; `messages` are translated French sentences."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class VotedInPerson(BallotRefused):
    """The voter voted at a desk or on paper: they can no longer vote online."""

    def __init__(self, channel: Channel) -> None:
        super().__init__([in_person_message(channel)])
        self.channel = channel


class AlreadyMarked(Exception):
    """The voter is already on the vote's list of who voted in person (`channel`)."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(channel.value)
        self.channel = channel


class TooManyPaperBallots(Exception):
    """A desk's paper ballots would outnumber the voters ticked at it."""


class CloseBlocked(Exception):
    """The vote cannot be counted yet (a desk is open, sheets await their entries);
    `messages` say what, in French. Nothing was written."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


# What keeps a vote from being counted, registered by the areas above (the desks): each
# is called with the challenge's id inside the close's lock and returns the reasons.
CLOSE_GUARDS: list[Callable[[int], list[str]]] = []


def in_person_message(channel: Channel) -> str:
    if channel == Channel.PAPER:
        return _("Vous avez voté sur papier à un bureau de vote : votre vote est enregistré.")
    return _(
        "Vous avez voté à un bureau de vote : votre vote est enregistré et ne peut plus "
        "être changé en ligne."
    )


# --------------------------------------------------------------------------- helpers


def new_receipt() -> str:
    """A random receipt code such as ``7KQ2-M9XD-3HPA`` (about 59 bits, from `secrets`)."""
    chars = [secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_GROUPS * RECEIPT_GROUP_SIZE)]
    size = RECEIPT_GROUP_SIZE
    return "-".join("".join(chars[i : i + size]) for i in range(0, len(chars), size))


def normalise_receipt(text: str | None) -> str:
    """What a voter typed → the stored form (case, spaces and dashes do not matter)."""
    raw = "".join(c for c in (text or "").upper() if c.isalnum())[:40]
    size = RECEIPT_GROUP_SIZE
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))


# What spreadsheets read as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(name: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the name as a formula."""
    return "'" + name if name.startswith(FORMULA_START) else name


def candidate_names(ideas: Iterable[Idea]) -> list[str]:
    """Names for the ballot files: the ideas' titles, made safe and unique.

    Line breaks and runs of blanks are collapsed (the files are line based), the CSV
    separators `` > `` and `` = `` are replaced by look-alikes, a name that a
    spreadsheet would run as a formula gets an apostrophe in front (CSV injection), and
    two equal titles get their idea number appended. Done once, at the close: the
    stored names are the ones every file (CSV, PrefLib, BLT) and every recount uses.
    """
    ideas = list(ideas)
    base = []
    for idea in ideas:
        name = " ".join((idea.title or "").split()) or f"Idée {idea.id}"
        base.append(neutralise_formula(name.replace(" > ", " › ").replace(" = ", " ≃ ")))
    counts: dict[str, int] = {}
    for name in base:
        counts[name] = counts.get(name, 0) + 1
    names = [
        f"{name} (idée n°{idea.id})" if counts[name] > 1 else name
        for name, idea in zip(base, ideas, strict=True)
    ]
    return names


def shortlisted(challenge_id: int) -> list[Idea]:
    """The ideas on the ballot, in a stable order (by id): the candidates of the vote."""
    return list(
        db.session.scalars(
            select(Idea)
            .where(Idea.challenge_id == challenge_id, Idea.status == IdeaStatus.SHORTLISTED)
            .order_by(Idea.id)
        )
    )


def _order_key() -> bytes:
    """The ballot-order key: derived from SECRET_KEY under its own label, so the order
    cannot be guessed without the key, and knowing it reveals nothing of the key."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, b"ballot-order", hashlib.sha256).digest()


def candidate_order(
    challenge: Challenge, voter_id: int | None, candidates: Iterable[Idea]
) -> list[Idea]:
    """The candidates in the order this voter sees them: their own stable shuffle.

    Display only: a ballot stores idea ids, so the order never changes what is
    counted. Without a voter (a visitor who only reads), the stable order by id.
    """
    ideas = {idea.id: idea for idea in candidates}
    if voter_id is None:
        return [ideas[i] for i in sorted(ideas)]
    order = ballot_order(list(ideas), _order_key(), voter_seed(challenge.id, voter_id))
    return [ideas[i] for i in order]


def get_ballot(challenge_id: int, voter_id: int | None) -> Ballot | None:
    if voter_id is None:
        return None
    return db.session.scalar(
        select(Ballot).where(Ballot.challenge_id == challenge_id, Ballot.voter_id == voter_id)
    )


def get_result(challenge_id: int) -> VoteResult | None:
    return db.session.scalar(select(VoteResult).where(VoteResult.challenge_id == challenge_id))


def ballots_count(challenge_id: int) -> int:
    """How many ballots were cast (a total only: no running tally before the close)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.challenge_id == challenge_id)
        )
        or 0
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _pause(point: str) -> None:
    if PAUSE_HOOK is not None:
        PAUSE_HOOK(point)


# --------------------------------------------------------------------------- locking


def _serialise(challenge_id: int, *, exclusive: bool) -> None:
    """Take the vote's lock for the rest of the transaction (see the module docstring)."""
    if _dialect() == "sqlite":
        with db.session.no_autoflush:
            connection = db.session.connection()
            raw = connection.connection.dbapi_connection
            if not raw.in_transaction:  # type: ignore[union-attr]
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    db.session.execute(
        select(Challenge.id).where(Challenge.id == challenge_id).with_for_update(read=not exclusive)
    )


def hold_vote(challenge_id: int) -> None:
    """Take the lock a cast takes (shared with other casts, excluded by the close), for
    services that must check more before writing a ballot (a desk's paper sheets)."""
    _serialise(challenge_id, exclusive=False)


def _serialise_voter(voter_id: int) -> None:
    """One voter's casts, desk ballots and ticks, one after the other (module docstring)."""
    if _dialect() == "sqlite":
        return  # BEGIN IMMEDIATE (taken by _serialise) already excludes every other writer
    db.session.execute(select(User.id).where(User.id == voter_id).with_for_update(key_share=True))


def voter_mark(challenge_id: int, voter_id: int | None) -> VoterMark | None:
    """The voter's line on the vote's list of who voted in person, if any."""
    if voter_id is None:
        return None
    return db.session.scalar(
        select(VoterMark).where(
            VoterMark.challenge_id == challenge_id, VoterMark.voter_id == voter_id
        )
    )


def _mark(
    challenge_id: int,
    voter_id: int,
    channel: Channel,
    desk_id: int,
    assessor_id: int | None,
    now: datetime,
) -> None:
    """Put the voter on the vote's list of who voted in person (under the voter's lock)."""
    db.session.add(
        VoterMark(
            challenge_id=challenge_id,
            voter_id=voter_id,
            channel=channel,
            desk_id=desk_id,
            marked_by_id=assessor_id,
            marked_at=now,
        )
    )


def _open_inside_lock(challenge_id: int, now: datetime) -> None:
    if _phase_inside_lock(challenge_id, now) != Phase.VOTING or get_result(challenge_id):
        raise VoteClosed()


def _phase_inside_lock(challenge_id: int, now: datetime) -> Phase:
    """The phase at `now`, from fresh column values (objects loaded earlier may be stale)."""
    row = db.session.execute(
        select(
            Challenge.phase,
            Challenge.ideation_ends_at,
            Challenge.review_ends_at,
            Challenge.voting_starts_at,
            Challenge.voting_ends_at,
        ).where(Challenge.id == challenge_id)
    ).one()
    schedule = Schedule(
        ideation_ends_at=row.ideation_ends_at,
        review_ends_at=row.review_ends_at,
        voting_starts_at=row.voting_starts_at,
        voting_ends_at=row.voting_ends_at,
    )
    return scheduled_phase(Phase(row.phase), schedule, now)


# --------------------------------------------------------------------------- casting


def check_ranking(
    ranking: list[list[int]], candidate_ids: list[int], max_ranks: int | None
) -> None:
    """Refuse a ranking the server must not accept, whatever the form sent.

    The web form builds rankings with ties (several ideas in one group, "ex aequo");
    the cap (ideas ranked, not groups) and the candidates are checked again here so
    no request can go around them.
    """
    messages = []
    flat = [idea_id for group in ranking for idea_id in group]
    if not flat:
        messages.append(_("Classez au moins une idée."))
    if any(not group for group in ranking):
        messages.append(_("Le classement contient un rang vide."))
    if len(set(flat)) != len(flat):
        messages.append(_("Une idée ne peut être classée qu'une seule fois."))
    allowed = set(candidate_ids)
    if any(idea_id not in allowed for idea_id in flat):
        messages.append(_("Ce classement cite une idée qui n'est pas soumise au vote."))
    if max_ranks is not None and len(flat) > max_ranks:
        messages.append(
            _n(
                "Vous pouvez classer au plus %(num)d idée.",
                "Vous pouvez classer au plus %(num)d idées.",
                max_ranks,
            )
        )
    if messages:
        raise BallotRefused(messages)


def cast_ballot(
    challenge: Challenge, voter_id: int, ranking: list[list[int]], now: datetime | None = None
) -> str:
    """Record the voter's ranking (or replace their previous one); returns the receipt code.

    Raises BallotRefused for an invalid ranking and VoteClosed when the vote is not
    open at the moment of writing.
    """
    _serialise(challenge.id, exclusive=False)
    now = now or utcnow()
    _open_inside_lock(challenge.id, now)
    candidates = [idea.id for idea in shortlisted(challenge.id)]
    check_ranking(ranking, candidates, challenge.vote_max_ranks)
    _serialise_voter(voter_id)
    mark = voter_mark(challenge.id, voter_id)
    if mark is not None:
        raise VotedInPerson(mark.channel)
    _pause("cast")
    table = Ballot.__table__
    statement = dialect_insert(table).values(
        challenge_id=challenge.id,
        voter_id=voter_id,
        ranking=[list(group) for group in ranking],
        receipt=new_receipt(),
        created_at=now,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.challenge_id, table.c.voter_id],
        set_={"ranking": statement.excluded.ranking, "updated_at": statement.excluded.updated_at},
        # Never over a ballot recorded in person (the mark above says why; belt and braces).
        where=table.c.channel == Channel.ONLINE.value,
    ).returning(table.c.receipt)
    receipt = db.session.execute(statement).scalar_one_or_none()
    if receipt is None:
        raise VotedInPerson(Channel.DESK)
    db.session.flush()
    return str(receipt)


def cast_at_desk(
    challenge: Challenge,
    voter_id: int,
    ranking: list[list[int]],
    desk_id: int,
    assessor_id: int | None,
    now: datetime | None = None,
) -> str:
    """Record the ranking a participant gives at a desk; returns the new receipt code.

    It replaces an online ballot (or an earlier desk ballot of the same person) and marks
    the voter on the list, after which they can no longer vote online. Raises
    BallotRefused, VoteClosed, or AlreadyMarked when they voted on paper (an anonymous
    sheet cannot be taken back).
    """
    _serialise(challenge.id, exclusive=False)
    now = now or utcnow()
    _open_inside_lock(challenge.id, now)
    candidates = [idea.id for idea in shortlisted(challenge.id)]
    check_ranking(ranking, candidates, challenge.vote_max_ranks)
    _serialise_voter(voter_id)
    mark = voter_mark(challenge.id, voter_id)
    if mark is not None and mark.channel == Channel.PAPER:
        raise AlreadyMarked(mark.channel)
    _pause("desk")
    if mark is None:
        _mark(challenge.id, voter_id, Channel.DESK, desk_id, assessor_id, now)
        db.session.flush()
    table = Ballot.__table__
    statement = dialect_insert(table).values(
        challenge_id=challenge.id,
        voter_id=voter_id,
        ranking=[list(group) for group in ranking],
        receipt=new_receipt(),
        channel=Channel.DESK.value,
        desk_id=desk_id,
        created_at=now,
        updated_at=now,
    )
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.challenge_id, table.c.voter_id],
        set_={
            "ranking": excluded.ranking,
            "receipt": excluded.receipt,
            "receipt_hash": excluded.receipt_hash,
            "channel": excluded.channel,
            "desk_id": excluded.desk_id,
            "updated_at": excluded.updated_at,
        },
    ).returning(table.c.receipt)
    receipt: str = db.session.execute(statement).scalar_one()
    db.session.flush()
    return receipt


def mark_paper_voter(
    challenge: Challenge,
    voter_id: int,
    desk_id: int,
    assessor_id: int | None,
    now: datetime | None = None,
) -> bool:
    """Tick a voter who drops a paper sheet in the desk's urn (émargement).

    Their online ballot, if any, is annulled (the sheet replaces it) and they can no
    longer vote online. Returns True when an online ballot was annulled. Raises
    VoteClosed, or AlreadyMarked when they already voted in person.
    """
    _serialise(challenge.id, exclusive=False)
    now = now or utcnow()
    _open_inside_lock(challenge.id, now)
    _serialise_voter(voter_id)
    mark = voter_mark(challenge.id, voter_id)
    if mark is not None:
        raise AlreadyMarked(mark.channel)
    _pause("tick")
    _mark(challenge.id, voter_id, Channel.PAPER, desk_id, assessor_id, now)
    annulled = db.session.execute(
        delete(Ballot).where(
            Ballot.challenge_id == challenge.id,
            Ballot.voter_id == voter_id,
            Ballot.channel == Channel.ONLINE,
        )
    )
    db.session.flush()
    return (cast(CursorResult[Any], annulled).rowcount or 0) > 0


def paper_counts(desk_id: int) -> tuple[int, int]:
    """(voters ticked at the desk, paper ballots stored for it)."""
    ticked = db.session.scalar(
        select(func.count())
        .select_from(VoterMark)
        .where(VoterMark.desk_id == desk_id, VoterMark.channel == Channel.PAPER)
    )
    stored = db.session.scalar(
        select(func.count())
        .select_from(Ballot)
        .where(Ballot.desk_id == desk_id, Ballot.channel == Channel.PAPER)
    )
    return ticked or 0, stored or 0


def cast_paper_ballot(
    challenge: Challenge,
    ranking: list[list[int]],
    desk_id: int,
    receipt: str,
    now: datetime | None = None,
) -> int:
    """Store the ballot of a paper sheet whose entries agreed; returns the ballot's id.

    Accepted until the vote is counted (the urn is entered after the desk closes, which
    may be after the vote's end date; the close waits for it: CLOSE_GUARDS). The caller
    holds the desk's lock (hold_vote first, then the desk row), so that the desk's paper
    ballots never outnumber its ticked voters (TooManyPaperBallots). Raises
    BallotRefused and VoteClosed as a cast does.
    """
    _serialise(challenge.id, exclusive=False)
    now = now or utcnow()
    if get_result(challenge.id) is not None:
        raise VoteClosed()
    candidates = [idea.id for idea in shortlisted(challenge.id)]
    check_ranking(ranking, candidates, challenge.vote_max_ranks)
    ticked, stored = paper_counts(desk_id)
    if stored >= ticked:
        raise TooManyPaperBallots()
    _pause("paper")
    ballot = Ballot(
        challenge_id=challenge.id,
        voter_id=None,
        ranking=[list(group) for group in ranking],
        receipt=receipt,
        channel=Channel.PAPER,
        desk_id=desk_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(ballot)
    db.session.flush()
    return ballot.id


# --------------------------------------------------------------------------- closing


# Any select over users (a count, or figures grouped by residence).
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _in_vote_scope(query: _Query, challenge: Challenge) -> _Query:
    """`query` over users, kept to the active accounts in the vote's scope (see
    permissions.in_vote_scope): the one place the close's "pouvant voter" is defined."""
    query = query.where(User.active.is_(True))
    if challenge.organisation_id is not None:
        query = query.where(User.organisation_id == challenge.organisation_id)
        residence_ids = [r.id for r in challenge.residences]
        if residence_ids:
            query = query.where(or_(User.role != Role.TENANT, User.residence_id.in_(residence_ids)))
    return query


def eligible_count(challenge: Challenge) -> int:
    """Active accounts in the vote's scope (see permissions.in_vote_scope)."""
    return db.session.scalar(_in_vote_scope(select(func.count()).select_from(User), challenge)) or 0


def vote_turnout(challenge: Challenge) -> dict[str, Any]:
    """Who took part, per channel and per residence, for the results page.

    Counted by the close inside its lock, by four GROUP BY queries (nothing in Python per
    ballot), and stored with the result: the figures are those of the count, whatever
    happens to the accounts afterwards. The JSON::

        {"channels": {"online": {"voters": 40, "ballots": 40},
                      "desk": {"voters": 3, "ballots": 3},
                      "paper": {"voters": 12, "ballots": 11}},
         "residences": [{"residence_id": 7, "voters": 21, "eligible": 60}, …,
                        {"residence_id": null, "voters": 2, "eligible": 9}]}

    Paper voters are the people ticked on a desk's list; its ballots are the sheets whose
    entries agreed (blank and spoilt sheets are not ballots). Per residence, the people
    who voted are the voters of the online and desk ballots and the ticked paper voters,
    by their account's residence (none, or a deleted account: ``residence_id`` null);
    `eligible` is the accounts that could vote (the total is `eligible_count`). Rows are
    sorted by voters, then eligible people, most first.
    """
    cid = challenge.id
    ballots = dict(
        db.session.execute(
            select(Ballot.channel, func.count())
            .where(Ballot.challenge_id == cid)
            .group_by(Ballot.channel)
        ).all()
    )
    marks = dict(
        db.session.execute(
            select(VoterMark.channel, func.count())
            .where(VoterMark.challenge_id == cid)
            .group_by(VoterMark.channel)
        ).all()
    )
    # A desk ballot has its voter and a line on the list; a paper ballot has no voter, so
    # its people are the list's paper lines. Each person is counted once.
    people = union_all(
        select(User.residence_id.label("residence_id"))
        .select_from(Ballot)
        .outerjoin(User, User.id == Ballot.voter_id)
        .where(Ballot.challenge_id == cid, Ballot.channel != Channel.PAPER),
        select(User.residence_id.label("residence_id"))
        .select_from(VoterMark)
        .outerjoin(User, User.id == VoterMark.voter_id)
        .where(VoterMark.challenge_id == cid, VoterMark.channel == Channel.PAPER),
    ).subquery()
    voters: dict[int | None, int] = dict(
        db.session.execute(
            select(people.c.residence_id, func.count()).group_by(people.c.residence_id)
        ).all()
    )
    eligible: dict[int | None, int] = dict(
        db.session.execute(
            _in_vote_scope(
                select(User.residence_id, func.count()).select_from(User), challenge
            ).group_by(User.residence_id)
        ).all()
    )
    figures = sorted(
        ((rid, voters.get(rid, 0), eligible.get(rid, 0)) for rid in set(voters) | set(eligible)),
        key=lambda f: (-f[1], -f[2], f[0] is None, f[0] or 0),
    )
    residences = [{"residence_id": rid, "voters": v, "eligible": e} for rid, v, e in figures]
    return {
        "channels": {
            Channel.ONLINE.value: {
                "voters": ballots.get(Channel.ONLINE, 0),
                "ballots": ballots.get(Channel.ONLINE, 0),
            },
            Channel.DESK.value: {
                "voters": marks.get(Channel.DESK, 0),
                "ballots": ballots.get(Channel.DESK, 0),
            },
            Channel.PAPER.value: {
                "voters": marks.get(Channel.PAPER, 0),
                "ballots": ballots.get(Channel.PAPER, 0),
            },
        },
        "residences": residences,
    }


RESIDENCE_MIN_VOTERS = 3  # fewer voters: the residence is not named (turnout_tables)
RESIDENCES_SHOWN = 12  # the results page's residence rows; the rest are added up


def turnout_tables(result: VoteResult, shown: int = RESIDENCES_SHOWN) -> dict[str, Any] | None:
    """The results page's two participation tables, from the figures kept at the close.

    Channels in a fixed order with their total, `in_person` False when nobody voted at a
    desk or on paper (the page then shows no channel table: everything was online); the residences with most voters (at
    most `shown`), the others added up in one row, the people without a residence last.
    The residences' names are read now, in one query (a renamed residence shows its new
    name). None for a result closed before the figures were kept.
    """
    turnout = result.turnout
    if not turnout:
        return None
    channels = [
        {
            "channel": channel,
            "label": CHANNEL_LABELS[channel],
            "voters": turnout["channels"][channel.value]["voters"],
            "ballots": turnout["channels"][channel.value]["ballots"],
        }
        for channel in Channel
    ]
    total = {
        "voters": sum(row["voters"] for row in channels),
        "ballots": sum(row["ballots"] for row in channels),
    }
    rows = turnout["residences"]
    housed = [row for row in rows if row["residence_id"] is not None]
    # A residence where only a few people voted is never named: in a small building that
    # would tell the neighbours who voted (never how). Such rows join the others' sum.
    named = [row for row in housed if row["voters"] >= RESIDENCE_MIN_VOTERS]
    small = [row for row in housed if row["voters"] < RESIDENCE_MIN_VOTERS]
    # One residence more is shown rather than added up alone.
    cut = shown if len(named) > shown + 1 or small else len(named)
    top, rest = named[:cut], named[cut:] + small
    names = {
        rid: label
        for rid, label in db.session.execute(
            select(Residence.id, Residence.name).where(
                Residence.id.in_([row["residence_id"] for row in top])
            )
        ).all()
    }
    residences = [
        _turnout_row(row["voters"], row["eligible"], name=names.get(row["residence_id"]))
        for row in top
    ]
    others = _turnout_row(
        sum(row["voters"] for row in rest),
        None
        if any(row["eligible"] is None for row in rest)
        else sum(row["eligible"] for row in rest),
        count=len(rest),
    )
    homeless = next((row for row in rows if row["residence_id"] is None), None)
    return {
        "channels": channels,
        "in_person": any(row["voters"] or row["ballots"] for row in channels[1:]),
        "total": total,
        "residences": residences,
        "others": others if rest else None,
        "no_residence": _turnout_row(homeless["voters"], homeless["eligible"])
        if homeless
        else None,
    }


def _turnout_row(
    voters: int, eligible: int | None, name: str | None = None, count: int = 1
) -> dict[str, Any]:
    return {
        "name": name,
        "count": count,
        "voters": voters,
        "eligible": eligible,
        "rate": voters / eligible if eligible else None,
    }


def profile_from_ballots(
    candidate_ids: list[int], names: list[str], rows: Iterable[tuple[str, list[list[int]]]]
) -> tuple[engine.Ballots, list[tuple[str, tuple[tuple[str, ...], ...]]]]:
    """Stored ballots → the engine's profile and (receipt, named ranking) pairs."""
    name_of = dict(zip(candidate_ids, names, strict=True))
    named = []
    for receipt, ranking in rows:
        groups = tuple(tuple(name_of[i] for i in group if i in name_of) for group in ranking or [])
        named.append((receipt, tuple(g for g in groups if g)))
    profile = engine.from_rankings(names, [ranking for _, ranking in named])
    return profile, named


def _stored_rows(challenge_id: int) -> list[tuple[str, list[list[int]]]]:
    return [(receipt, ranking) for receipt, _channel, ranking in _published_rows(challenge_id)]


def _published_rows(challenge_id: int) -> list[tuple[str, Channel, list[list[int]]]]:
    """Every stored ballot as (receipt, channel, ranking), whatever its channel: desk and
    paper ballots are counted and published like the online ones."""
    return [
        (receipt, channel, ranking)
        for receipt, channel, ranking in db.session.execute(
            select(Ballot.receipt, Ballot.channel, Ballot.ranking)
            .where(Ballot.challenge_id == challenge_id)
            .order_by(Ballot.receipt)
        )
    ]


def counted_profile(
    challenge_id: int, candidate_ids: list[int], names: list[str]
) -> engine.Ballots:
    """The profile the close counts, read in one query and parsed by numpy.

    The rankings come back as one text, a JSON array per line (row order does not
    matter: a profile is a multiset of rankings), which `fastread.json_ranks` turns
    into the rank matrix at once; decoding 100,000 JSON values one by one took most
    of the close. Any shape it does not recognise falls back to the row-by-row read,
    which gives the same profile (same digest, same count) or the same error.
    """
    text = db.session.scalar(
        select(func.aggregate_strings(sql_cast(Ballot.ranking, Text), "\n")).where(
            Ballot.challenge_id == challenge_id
        )
    )
    if text:
        ranks = fastread.json_ranks(text.encode("utf-8"), candidate_ids)
        if ranks is not None:
            return engine.Ballots(names, ranks)
    profile, _named = profile_from_ballots(candidate_ids, names, _stored_rows(challenge_id))
    return profile


def close_vote(challenge: Challenge, now: datetime | None = None) -> VoteResult | None:
    """Close the vote: count the stored ballots once, keep the result, publish it.

    The top K shortlisted ideas become "selected", the others "not selected"; voters
    are told; the challenge moves to the results phase. Idempotent: a vote already
    closed is not counted again (the stored result is returned). Returns None when
    no idea was shortlisted (nothing to count).
    """
    _serialise(challenge.id, exclusive=True)
    # The close happens when the lock is held: every ballot committed before now counts.
    now = now or utcnow()
    existing = get_result(challenge.id)
    if existing is not None:
        _move_to_results(challenge, now)
        return existing
    blockers = [reason for guard in CLOSE_GUARDS for reason in guard(challenge.id)]
    if blockers:
        raise CloseBlocked(blockers)
    _pause("close")
    method, winners_wanted = db.session.execute(
        select(Challenge.vote_method, Challenge.vote_winners).where(Challenge.id == challenge.id)
    ).one()
    ideas = shortlisted(challenge.id)
    _move_to_results(challenge, now)
    if not ideas:
        db.session.flush()
        return None
    ids = [idea.id for idea in ideas]
    names = candidate_names(ideas)
    profile = counted_profile(challenge.id, ids, names)
    winners_count = max(1, min(winners_wanted or 1, len(ids)))
    # `method` is a VoteMethod (the column is an enum of the registry's shipped methods).
    tallied = engine.tally(profile, method, winners_count)
    id_of = dict(zip(names, ids, strict=True))
    result = VoteResult(
        challenge_id=challenge.id,
        method=tallied.method,
        winners_count=winners_count,
        candidate_ids=ids,
        candidate_names=names,
        ranking=[[id_of[name] for name in group] for group in tallied.ranking],
        winners=[id_of[name] for name in tallied.winners],
        explanation=tallied.to_json_dict(),
        tie_break=list(tallied.tie_break),
        tie_break_used=tallied.tie_break_used,
        digest=tallied.digest,
        ballots_count=profile.voters,
        eligible_count=eligible_count(challenge),
        turnout=vote_turnout(challenge),
        computed_at=now,
    )
    db.session.add(result)
    lifecycle.settle_vote(ideas, set(result.winners))
    db.session.flush()
    # Nothing proportional to the voters inside the lock: telling them and writing the
    # ballot files are queued, and run only once this transaction has committed.
    enqueue_after_commit(write_vote_files, challenge.id)
    enqueue_after_commit(announce_vote_result, challenge.id)
    return result


def _move_to_results(challenge: Challenge, now: datetime) -> None:
    if ORDER.index(challenge.phase) < ORDER.index(Phase.RESULTS):
        challenge.phase = Phase.RESULTS
        challenge.updated_at = now
    if challenge.voting_ends_at is None or challenge.voting_ends_at > now:
        challenge.voting_ends_at = now


def needs_closing(challenge: Challenge, now: datetime | None = None) -> bool:
    """Has the calendar (or a phase move) ended the vote without its result being stored?

    Cheap when nothing is due: a single query only once the vote phase is over.
    """
    phase = challenge.current_phase(now)
    if ORDER.index(phase) <= ORDER.index(Phase.VOTING):
        return False
    return (
        db.session.scalar(
            select(Idea.id)
            .where(Idea.challenge_id == challenge.id, Idea.status == IdeaStatus.SHORTLISTED)
            .limit(1)
        )
        is not None
        and get_result(challenge.id) is None
    )


def close_if_due(challenge: Challenge, now: datetime | None = None) -> bool:
    """The lazy close (on reading a page): close a vote whose end date has passed.

    Safe on GET: idempotent, and it only writes what the calendar already decided.
    The caller commits. Returns True when the vote was closed now.
    """
    if not needs_closing(challenge, now):
        return False
    try:
        close_vote(challenge, now)
    except CloseBlocked:
        return False  # counted once the desks are done (the results page says so)
    return True


def voter_ids(challenge_id: int) -> list[int]:
    """Who cast a ballot in this vote (active accounts), in one query."""
    return list(
        db.session.scalars(
            select(Ballot.voter_id)
            .join(User, User.id == Ballot.voter_id)
            .where(Ballot.challenge_id == challenge_id, User.active.is_(True))
            .order_by(Ballot.voter_id)
        )
    )


def on_phase_changed(challenge: Challenge, previous: Phase, now: datetime | None = None) -> None:
    """A challenge's phase moved on (by a facilitator or by the calendar): leaving the
    vote closes it; entering it tells everyone who took part."""
    if ORDER.index(previous) <= ORDER.index(Phase.VOTING) < ORDER.index(challenge.phase):
        try:
            close_vote(challenge, now)
        except CloseBlocked:
            pass  # the vote is over; it is counted when the desks are done (close_if_due)
    if challenge.phase == Phase.VOTING and previous != Phase.VOTING:
        notify_vote_opened(challenge)


def notify_vote_opened(challenge: Challenge) -> None:
    """Tell everyone who took part (ideas, supports, comments) that the vote is open."""
    with site_links():
        notify_many(
            challenge_participants(challenge.id),
            NotificationKind.VOTE_OPENED,
            gettext("Le vote est ouvert : « %(title)s »", title=challenge.title),
            url_for("voting.vote", slug=challenge.slug),
            body=gettext("Classez les idées retenues, de votre préférée à la moins aimée."),
        )


def _phase_changed(challenge: Challenge, previous: Phase, now: datetime | None = None) -> None:
    on_phase_changed(challenge, previous, now)


def connect_signals() -> None:
    """Subscribe the vote to what challenges announce (called by the app factory; one
    module-level receiver, so building several apps never connects it twice)."""
    challenge_phase_changed.connect(_phase_changed)


# --------------------------------------------------------------------------- publish


def published_receipt(code: str) -> str:
    """How a receipt appears in the public ballots file: a short hash of the voter's code.

    The file alone then links no code a voter was given to a ranking; a voter finds their
    line by checking their own code on the receipt page (or by hashing it). The
    trade-off, stated on the results page: a voter who shows their code to someone can
    still prove how they voted. 10 base32 characters (50 bits): no two ballots of a
    vote share one in practice, and the code cannot be read back from it.
    """
    digest = hashlib.sha256(normalise_receipt(code).encode("ascii")).digest()
    text = base64.b32encode(digest).decode("ascii")[:10]
    return f"{text[:5]}-{text[5:]}"


@dataclass
class Publication:
    """The anonymised ballots of a closed vote, rebuilt from the stored rows.

    `channels` is each ballot's channel, beside `named`: the CSV says it (en ligne,
    bureau, papier); PrefLib and BLT have no place for it. The digest is the profile's,
    so it does not depend on the channels.
    """

    profile: engine.Ballots
    named: list[tuple[str, tuple[tuple[str, ...], ...]]]
    channels: list[Channel]

    def csv(self) -> str:
        published = [(published_receipt(code), ranking) for code, ranking in self.named]
        return formats.dumps_csv(self.profile, receipts=published, channels=self.channels)

    def preflib(self, title: str, file_name: str) -> str:
        return formats.dumps_preflib(self.profile, title=title, file_name=file_name)

    def blt(self, title: str, seats: int) -> str:
        return formats.dumps_blt(self.profile, title=title, seats=seats)

    @property
    def preflib_extension(self) -> str:
        return formats.preflib_data_type(self.profile)

    def find(self, receipt: str) -> tuple[tuple[str, ...], ...] | None:
        for code, ranking in self.named:
            if code == receipt:
                return ranking
        return None


def publication(result: VoteResult) -> Publication:
    rows = _published_rows(result.challenge_id)
    profile, named = profile_from_ballots(
        list(result.candidate_ids),
        list(result.candidate_names),
        [(receipt, ranking) for receipt, _channel, ranking in rows],
    )
    return Publication(profile=profile, named=named, channels=[channel for _r, channel, _k in rows])


def find_published(result: VoteResult, receipt: str) -> tuple[tuple[str, ...], ...] | None:
    """The named ranking of the ballot with this receipt code, by one indexed lookup."""
    ranking = db.session.scalar(
        select(Ballot.ranking).where(
            Ballot.challenge_id == result.challenge_id,
            Ballot.receipt_hash == published_receipt(receipt),
            Ballot.receipt == receipt,
        )
    )
    if ranking is None:
        return None
    _profile, named = profile_from_ballots(
        list(result.candidate_ids), list(result.candidate_names), [(receipt, ranking)]
    )
    return named[0][1]


# --------------------------------------------------------------------------- after the close

FILE_KINDS = ("csv", "preflib", "blt")


def _file_body(
    kind: str, published: Publication, challenge: Challenge, result: VoteResult
) -> tuple[str, str]:
    """(text, extension) of one ballot file, exactly as the download served it before."""
    if kind == "csv":
        return published.csv(), "csv"
    extension = published.preflib_extension
    if kind == "preflib":
        name = f"{challenge.slug}-bulletins.{extension}"
        return published.preflib(challenge.title, name), extension
    return published.blt(challenge.title, result.winners_count), "blt"


def write_files(challenge_id: int) -> list[VoteFile]:
    """Write the ballot files of a closed vote once (insert-or-ignore: a second run, or
    a download that raced the job, keeps the first bytes). Returns the stored files."""
    result = get_result(challenge_id)
    if result is None:
        return []
    stored = {
        f.kind: f
        for f in db.session.scalars(select(VoteFile).where(VoteFile.challenge_id == challenge_id))
    }
    missing = [kind for kind in FILE_KINDS if kind not in stored]
    if missing:
        challenge = result.challenge
        published = publication(result)
        table = VoteFile.__table__
        now = utcnow()
        for kind in missing:
            text, extension = _file_body(kind, published, challenge, result)
            body = text.encode("utf-8")
            etag = f"{result.digest[:32]}-{hashlib.sha256(body).hexdigest()[:16]}"
            statement = dialect_insert(table).values(
                challenge_id=challenge_id,
                kind=kind,
                extension=extension,
                digest=result.digest,
                etag=etag,
                body=body,
                created_at=now,
            )
            db.session.execute(
                statement.on_conflict_do_nothing(
                    index_elements=[table.c.challenge_id, table.c.kind]
                )
            )
        db.session.flush()
        stored = {
            f.kind: f
            for f in db.session.scalars(
                select(VoteFile).where(VoteFile.challenge_id == challenge_id)
            )
        }
    return [stored[kind] for kind in FILE_KINDS]


def vote_file(challenge_id: int, kind: str) -> VoteFile | None:
    """A stored ballot file (written by the job after the close, or now if it has not run)."""
    found = db.session.scalar(
        select(VoteFile).where(VoteFile.challenge_id == challenge_id, VoteFile.kind == kind)
    )
    if found is not None:
        return found
    files = {f.kind: f for f in write_files(challenge_id)}
    return files.get(kind)


def announce_result(challenge_id: int) -> bool:
    """Tell the voters of a closed vote, once: the job claims `notified_at` first, so a
    second run (a retry, a doubled enqueue) tells nobody. Returns True when it told them."""
    claim = db.session.execute(
        update(VoteResult)
        .where(VoteResult.challenge_id == challenge_id, VoteResult.notified_at.is_(None))
        .values(notified_at=utcnow())
    )
    if (cast(CursorResult[Any], claim).rowcount or 0) != 1:
        return False
    result = get_result(challenge_id)
    challenge = db.session.get(Challenge, challenge_id)
    vote_closed.send(challenge, result=result, voter_ids=voter_ids(challenge_id))
    db.session.flush()
    _pause("announce")  # claimed and written, not yet committed: a worker killed here
    return True


def unfinished_closes() -> list[int]:
    """Closed votes whose voters were not told or whose ballot files are missing: a
    worker died in the job, or the queue was unreachable when the close committed."""
    untold = select(VoteResult.challenge_id).where(VoteResult.notified_at.is_(None))
    with_files = (
        select(VoteFile.challenge_id)
        .group_by(VoteFile.challenge_id)
        .having(func.count() >= len(FILE_KINDS))
    )
    fileless = select(VoteResult.challenge_id).where(VoteResult.challenge_id.not_in(with_files))
    return sorted(set(db.session.scalars(untold)) | set(db.session.scalars(fileless)))


# --------------------------------------------------------------------------- jobs
# Queued by the close after its commit (the worker registers them by importing this
# module through ideation/tasks.py); each commits its own work and is idempotent.


@task(retries=3, retry_delay=60)
def announce_vote_result(challenge_id: int) -> bool:
    """Tell a closed vote's voters (queued by the close, after its commit; idempotent)."""
    told = announce_result(challenge_id)
    db.session.commit()
    return told


def finish_interrupted_closes() -> int:
    """Complete every close whose jobs did not run (both jobs are idempotent: a close
    that finished is untouched). Each vote commits on its own. Returns how many."""
    done = 0
    for challenge_id in unfinished_closes():
        announce_result(challenge_id)
        write_files(challenge_id)
        db.session.commit()
        done += 1
    return done


@task(retries=3, retry_delay=60)
def write_vote_files(challenge_id: int) -> int:
    """Write a closed vote's ballot files once (queued by the close, after its commit)."""
    written = len(write_files(challenge_id))
    db.session.commit()
    return written
