"""Paper ballots of a desk: print the sheets, enter each twice, freeze the closure record.

The rules are in ideation/domain/paper.py; this module loads rows, applies them and
flushes (the view commits). Every write that can make a ballot, or that freezes the
record, runs under the vote's lock (`hold_vote`: shared with casts, excluded by the
close) and then the desk's row lock (``FOR NO KEY UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already has one writer). So two agreeing entries of two sheets at
once are one after the other, the second sees the first's ballot and never goes beyond
the voters ticked; an entry and the freezing of the record are one after the other; and
nothing is written once the vote is counted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import abort, current_app, has_request_context
from flask_babel import gettext
from flask_babel import ngettext as babel_ngettext
from sqlalchemy import func, select

from ideation.auth.models import User
from ideation.db_types import utcnow
from ideation.desks.models import PaperSheet, SheetEntry, VoteDesk
from ideation.domain import paper as rules
from ideation.domain.codes import read_short_code, short_code
from ideation.domain.desks import Channel, SheetStatus
from ideation.domain.voting.order import ballot_order, sheet_seed
from ideation.extensions import db
from ideation.ideas.models import Idea
from ideation.voting import services as voting
from ideation.voting.models import Ballot

MAX_SHEETS_PER_BATCH = 200


def _(message: str, **params: object) -> str:
    """Translate when a request says which language; the CLI, the seed and the close's
    guard run without one (French then)."""
    if has_request_context():
        return gettext(message, **params)  # type: ignore[no-any-return]
    return message % params if params else message


def ngettext(singular: str, plural: str, num: int, **params: object) -> str:
    """The plural twin of `_` (French's rule outside a request: 0 and 1 singular)."""
    if has_request_context():
        return babel_ngettext(singular, plural, num, **params)  # type: ignore[no-any-return]
    return (singular if num <= 1 else plural) % {"num": num, **params}


class PaperRefused(Exception):
    """The action is not possible now; `message` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- loading -------------------------------------------------------------------------------


def load_desk(desk_id: int) -> VoteDesk:
    desk = db.session.get(VoteDesk, desk_id)
    if desk is None:
        abort(404)
    return desk


def sheet_code(sheet: PaperSheet) -> str:
    """The code printed on the sheet (and in its QR code), derived from its id."""
    return short_code(sheet.id)


def sheet_by_code(desk: VoteDesk, code: str) -> PaperSheet | None:
    """The desk's sheet with this code; None for a typo or another desk's sheet."""
    sheet_id = read_short_code(code)
    sheet = db.session.get(PaperSheet, sheet_id) if sheet_id else None
    if sheet is None or sheet.desk_id != desk.id:
        return None
    return sheet


def _order_key() -> bytes:
    """The key of the candidates' order, derived from the site's secret (never stored)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"fabrique ballot order", hashlib.sha256).digest()


def sheet_candidates(
    challenge_id: int, code: str, shortlist: list[Idea] | None = None
) -> list[Idea]:
    """The shortlist in this sheet's own order (the order printed on it); pass the
    shortlist when ordering many sheets (one query for all)."""
    if shortlist is None:
        shortlist = voting.shortlisted(challenge_id)
    ideas = {idea.id: idea for idea in shortlist}
    order = ballot_order(list(ideas), _order_key(), sheet_seed(challenge_id, code))
    return [ideas[i] for i in order]


def vote_counted(challenge_id: int) -> bool:
    return voting.get_result(challenge_id) is not None


# --- printing ------------------------------------------------------------------------------


def print_sheets(desk: VoteDesk, count: int, now: datetime | None = None) -> list[PaperSheet]:
    """Create `count` sheets for the desk, each with its receipt (printed on the stub)."""
    if desk.closed_at is not None:
        raise PaperRefused(_("L'urne de ce bureau est close : on n'imprime plus de bulletins."))
    if vote_counted(desk.challenge_id):
        raise PaperRefused(_("Le vote est dépouillé : on n'imprime plus de bulletins."))
    now = now or utcnow()
    sheets = [
        PaperSheet(
            desk_id=desk.id,
            challenge_id=desk.challenge_id,
            receipt=voting.new_receipt(),
            status=SheetStatus.PRINTED,
            printed_at=now,
        )
        for _n in range(count)
    ]
    db.session.add_all(sheets)
    db.session.flush()
    return sheets


def batch(desk: VoteDesk, first_id: int, count: int) -> list[PaperSheet]:
    """The sheets of one printing: `count` sheets of the desk from `first_id` on."""
    count = max(0, min(count, MAX_SHEETS_PER_BATCH))
    return list(
        db.session.scalars(
            select(PaperSheet)
            .where(PaperSheet.desk_id == desk.id, PaperSheet.id >= first_id)
            .order_by(PaperSheet.id)
            .limit(count)
        )
    )


# --- entering ------------------------------------------------------------------------------


def _lock_desk(desk_id: int) -> Any:
    """The desk's fresh columns, its row locked (after the vote's lock: always this order)."""
    return db.session.execute(
        select(VoteDesk.challenge_id, VoteDesk.closed_at, VoteDesk.record_frozen_at)
        .where(VoteDesk.id == desk_id)
        .with_for_update(key_share=True)
    ).one()


def entry_refusal(desk: VoteDesk) -> str | None:
    """Why no sheet of this desk can be entered now, if so."""
    if desk.closed_at is None:
        return _("L'urne est encore ouverte : on saisit les bulletins après sa clôture.")
    if desk.record_frozen_at is not None:
        return _("Le procès-verbal de ce bureau est clos : plus aucune saisie.")
    if vote_counted(desk.challenge_id):
        return _("Le vote est dépouillé : plus aucune saisie.")
    return None


def readings(sheet: PaperSheet) -> list[rules.Reading]:
    return [rules.reading_of(entry.kind, entry.ranking) for entry in sheet.entries]


def reader_refusal(sheet: PaperSheet, assessor_id: int) -> str | None:
    """Why this person cannot give the sheet's next reading, if so."""
    if sheet.status not in (SheetStatus.PRINTED, SheetStatus.FIRST_ENTRY, SheetStatus.DISPUTED):
        return _("Ce bulletin est déjà réglé : il n'y a plus rien à saisir.")
    if not rules.may_read(assessor_id, [e.assessor_id for e in sheet.entries]):
        return _(
            "Vous avez déjà saisi ce bulletin. La saisie suivante doit être faite par une "
            "autre personne, sans voir la vôtre."
        )
    return None


def enter_sheet(
    desk_id: int,
    sheet_id: int,
    assessor_id: int,
    reading: rules.Reading,
    now: datetime | None = None,
) -> SheetStatus:
    """Record one assessor's reading of a sheet and move the sheet on.

    Two agreeing readings (or a third that agrees with one of them) settle it: an agreed
    ranking becomes a paper ballot while ballots stay within the voters ticked, beyond
    them the sheet is excess; blank and spoilt sheets are recorded as such. Raises
    PaperRefused (urn still open, record closed, vote counted, same assessor twice,
    sheet already settled).
    """
    now = now or utcnow()
    desk = db.session.get(VoteDesk, desk_id)
    if desk is None:
        raise PaperRefused(_("Ce bureau n'existe pas."))
    voting.hold_vote(desk.challenge_id)
    fresh = _lock_desk(desk_id)
    if fresh.closed_at is None:
        raise PaperRefused(
            _("L'urne est encore ouverte : on saisit les bulletins après sa clôture.")
        )
    if fresh.record_frozen_at is not None:
        raise PaperRefused(_("Le procès-verbal de ce bureau est clos : plus aucune saisie."))
    if vote_counted(desk.challenge_id):
        raise PaperRefused(_("Le vote est dépouillé : plus aucune saisie."))
    sheet = db.session.get(PaperSheet, sheet_id, populate_existing=True)
    if sheet is None or sheet.desk_id != desk_id:
        raise PaperRefused(_("Ce bulletin n'appartient pas à ce bureau."))
    db.session.refresh(sheet, ["entries"])
    refusal = reader_refusal(sheet, assessor_id)
    if refusal:
        raise PaperRefused(refusal)
    earlier = readings(sheet)
    number = rules.next_reading(len(earlier))
    if number is None:  # reader_refusal already says the sheet is settled
        raise PaperRefused(_("Ce bulletin est déjà réglé : il n'y a plus rien à saisir."))
    if voting.PAUSE_HOOK is not None:
        voting.PAUSE_HOOK("paper_entry")
    db.session.add(
        SheetEntry(
            sheet_id=sheet.id,
            reading=number,
            assessor_id=assessor_id,
            kind=reading.kind,
            ranking=reading.as_lists(),
            entered_at=now,
        )
    )
    db.session.flush()
    all_readings = [*earlier, reading]
    status = rules.next_status(all_readings)
    if status == SheetStatus.AGREED:
        ticked, stored = voting.paper_counts(desk_id)
        status = rules.status_within_ticked(status, ticked, stored)
    if status == SheetStatus.AGREED:
        settled = rules.settled_reading(all_readings)
        assert settled is not None
        try:
            sheet.ballot_id = voting.cast_paper_ballot(
                desk.challenge,
                settled.as_lists(),
                desk_id,
                sheet.receipt,
                now,
            )
        except voting.TooManyPaperBallots:
            status = SheetStatus.EXCESS
    sheet.status = status
    if status in rules.SETTLED:
        sheet.settled_at = now
    db.session.flush()
    return status


# --- the closure record ------------------------------------------------------------------


def record_counts(desk: VoteDesk, sheets_received: int | None = None) -> rules.RecordCounts:
    """The counts of the desk's record, from its rows (one query each)."""
    statuses = dict(
        db.session.execute(
            select(PaperSheet.status, func.count())
            .where(PaperSheet.desk_id == desk.id)
            .group_by(PaperSheet.status)
        ).all()
    )
    third = db.session.scalar(
        select(func.count())
        .select_from(SheetEntry)
        .join(PaperSheet, PaperSheet.id == SheetEntry.sheet_id)
        .where(PaperSheet.desk_id == desk.id, SheetEntry.reading == rules.MAX_READINGS)
    )
    ticked, stored = voting.paper_counts(desk.id)
    desk_ballots = db.session.scalar(
        select(func.count())
        .select_from(Ballot)
        .where(Ballot.desk_id == desk.id, Ballot.channel == Channel.DESK)
    )
    return rules.RecordCounts(
        sheets_received=desk.sheets_received if sheets_received is None else sheets_received,
        statuses={str(getattr(k, "value", k)): v for k, v in statuses.items()},
        third_readings=third or 0,
        voters_ticked=ticked,
        paper_ballots=stored,
        desk_ballots=desk_ballots or 0,
    )


def _people(desk: VoteDesk) -> list[int]:
    """Who worked the desk: its assessors and whoever entered a sheet (a facilitator
    standing in), by id — names are read at display time (erasure reaches the record)."""
    entered = db.session.scalars(
        select(SheetEntry.assessor_id)
        .join(PaperSheet, PaperSheet.id == SheetEntry.sheet_id)
        .where(PaperSheet.desk_id == desk.id, SheetEntry.assessor_id.is_not(None))
        .distinct()
    )
    return sorted({u.id for u in desk.assessors} | {int(i) for i in entered if i is not None})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def live_record(desk: VoteDesk, sheets_received: int | None = None, set_aside: int = 0) -> dict:
    """The record as it stands (the frozen one once frozen)."""
    if desk.record is not None:
        return desk.record
    counts = record_counts(desk, sheets_received)
    record = rules.closure_record(counts, set_aside=set_aside)
    record["awaiting"] = rules.awaiting(counts)
    record["people"] = _people(desk)
    record["opened_at"] = _iso(desk.opened_at)
    record["urn_closed_at"] = _iso(desk.closed_at)
    record["frozen_at"] = None
    return record


def freeze_record(
    desk_id: int,
    frozen_by_id: int | None,
    sheets_received: int,
    set_aside: bool,
    now: datetime | None = None,
) -> dict:
    """Close the desk's count: freeze its record (figures, people, times), as JSON.

    Refused while the urn is open or once the vote is counted; refused while sheets await
    their entries, unless the facilitator sets them aside as not entered (the record says
    how many). Sheets set aside are never counted afterwards.
    """
    now = now or utcnow()
    desk = load_desk(desk_id)
    voting.hold_vote(desk.challenge_id)
    fresh = _lock_desk(desk_id)
    if fresh.closed_at is None:
        raise PaperRefused(_("Clôturez d'abord l'urne du bureau."))
    if fresh.record_frozen_at is not None:
        raise PaperRefused(_("Le procès-verbal de ce bureau est déjà clos."))
    if vote_counted(desk.challenge_id):
        raise PaperRefused(_("Le vote est dépouillé : le procès-verbal ne peut plus changer."))
    counts = record_counts(desk, sheets_received)
    waiting = rules.awaiting(counts)
    if waiting and not set_aside:
        raise PaperRefused(
            ngettext(
                "%(num)d bulletin attend encore sa saisie. Saisissez-le, ou cochez « Mettre "
                "de côté les bulletins non saisis ».",
                "%(num)d bulletins attendent encore leur saisie. Saisissez-les, ou cochez "
                "« Mettre de côté les bulletins non saisis ».",
                waiting,
            )
        )
    desk.sheets_received = sheets_received
    record = rules.closure_record(counts, set_aside=waiting)
    record["awaiting"] = 0
    record["people"] = _people(desk)
    record["opened_at"] = _iso(desk.opened_at)
    record["urn_closed_at"] = _iso(fresh.closed_at)
    record["frozen_at"] = _iso(now)
    record["frozen_by"] = frozen_by_id
    desk.record = record
    desk.record_frozen_at = now
    db.session.flush()
    return record


def people_names(ids: Iterable[int]) -> list[str]:
    """The names of the desk's people, read now (an erased account reads as such)."""
    ids = list(ids)
    if not ids:
        return []
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    names = []
    for user_id in ids:
        user = users.get(user_id)
        if user is None or user.is_erased:
            names.append(_("Participant·e supprimé·e"))
        else:
            names.append(user.display_name)
    return sorted(names)


# --- the vote's close waits for the desks -------------------------------------------------


def close_guard(challenge_id: int) -> list[str]:
    """What keeps the vote from being counted: a desk still open, a record not frozen
    (with the sheets awaiting their entries). Registered in voting.CLOSE_GUARDS."""
    reasons = []
    desks = db.session.execute(
        select(VoteDesk.id, VoteDesk.name, VoteDesk.closed_at, VoteDesk.record_frozen_at)
        .where(VoteDesk.challenge_id == challenge_id)
        .order_by(VoteDesk.id)
    ).all()
    for desk_id, name, closed_at, frozen_at in desks:
        if closed_at is None:
            reasons.append(_("Le bureau « %(name)s » est encore ouvert.", name=name))
            continue
        if frozen_at is None:
            waiting = db.session.scalar(
                select(func.count())
                .select_from(PaperSheet)
                .where(PaperSheet.desk_id == desk_id, PaperSheet.status.in_(rules.WAITING))
            )
            if waiting:
                reasons.append(
                    ngettext(
                        "Au bureau « %(name)s », %(num)d bulletin attend sa saisie.",
                        "Au bureau « %(name)s », %(num)d bulletins attendent leur saisie.",
                        waiting,
                        name=name,
                    )
                )
            reasons.append(_("Le procès-verbal du bureau « %(name)s » n'est pas clos.", name=name))
    return reasons


def frozen_desks(challenge_id: int) -> list[VoteDesk]:
    """The desks of a vote whose record is frozen (published with the results)."""
    return list(
        db.session.scalars(
            select(VoteDesk)
            .where(VoteDesk.challenge_id == challenge_id, VoteDesk.record_frozen_at.is_not(None))
            .order_by(VoteDesk.id)
        )
    )


def sheet_rows(desk: VoteDesk) -> list[tuple[str, PaperSheet]]:
    """The desk's entered sheets with their codes (for the entry list), without readings."""
    sheets = db.session.scalars(
        select(PaperSheet)
        .where(PaperSheet.desk_id == desk.id, PaperSheet.status != SheetStatus.PRINTED)
        .order_by(PaperSheet.id)
    )
    return [(sheet_code(s), s) for s in sheets]
