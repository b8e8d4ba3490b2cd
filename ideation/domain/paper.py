"""Anonymous paper ballots: reading a sheet, double entry, the closure record (pure rules).

A paper sheet lists the shortlist in its own order with a box per idea; the voter writes
1 in the box of the idea they prefer, 2 in the next, the same number for ideas they
rank together (ex aequo), and leaves empty the ideas they do not rank. After the desk's
urn is closed, two assessors type what they read on each sheet, independently:

- `read_boxes` turns what was typed into a `Reading`: a ranking in tie groups, a blank
  sheet (no box filled), or a spoilt one (nul). A sheet is spoilt when the assessor says
  so (identifying mark, torn, illegible) or when a mark is not a rank: anything but a
  whole number from 1 to the number of ideas, or more ideas ranked than the vote allows.
  Gaps are harmless (1, 3 reads as 1, 2: only the order of the numbers counts).
- Two readings agree when they say the same thing (same kind, same ranking).
- `next_status`: one reading → first_entry; two that agree → the sheet is what they say
  (agreed when ranked, blank, spoilt); two that differ → disputed, and a third reading,
  by a third person, settles it: it must agree with one of the first two, and that is
  what the sheet says. A third reading that agrees with neither means the sheet cannot
  be read the same way twice: it is recorded as spoilt.
- An agreed ranked sheet becomes a ballot only within the voters ticked at the desk;
  one beyond them is `excess` (reported, not counted).

`closure_record` does the arithmetic of the procès-verbal from plain counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ideation.domain.desks import EntryKind, SheetStatus

MAX_READINGS = 3
MAX_MARK_LENGTH = 3  # what fits in a box: "12"; longer is not a rank


@dataclass(frozen=True)
class Reading:
    """What one assessor read on a sheet; `ranking` is empty unless ranked."""

    kind: EntryKind
    ranking: tuple[tuple[int, ...], ...] = ()

    def as_lists(self) -> list[list[int]]:
        return [list(group) for group in self.ranking]


BLANK = Reading(EntryKind.BLANK)
SPOILT = Reading(EntryKind.SPOILT)


def parse_mark(text: str) -> int | None | bool:
    """A box's content: None when empty, the rank as an int, False when it is no rank."""
    mark = (text or "").strip()
    if not mark:
        return None
    if len(mark) > MAX_MARK_LENGTH or not (mark.isascii() and mark.isdigit()):
        return False
    return int(mark)


def read_boxes(
    boxes: Mapping[int, str],
    candidate_ids: Sequence[int],
    max_ranks: int | None = None,
    *,
    spoilt: bool = False,
) -> Reading:
    """The reading of a sheet from the boxes typed (idea id → what is written in its box)."""
    if spoilt:
        return SPOILT
    marks: dict[int, int] = {}
    for idea_id in candidate_ids:
        mark = parse_mark(boxes.get(idea_id, ""))
        if mark is None:
            continue
        if mark is False or not 1 <= int(mark) <= len(candidate_ids):
            return SPOILT
        marks[idea_id] = int(mark)
    if not marks:
        return BLANK
    if max_ranks is not None and len(marks) > max_ranks:
        return SPOILT
    groups: dict[int, list[int]] = {}
    for idea_id, mark in marks.items():
        groups.setdefault(mark, []).append(idea_id)
    ranking = tuple(tuple(sorted(groups[mark])) for mark in sorted(groups))
    return Reading(EntryKind.RANKED, ranking)


def reading_of(kind: EntryKind | str, ranking: Sequence[Sequence[int]]) -> Reading:
    """A stored entry as a Reading (groups sorted, so equal rankings compare equal)."""
    kind = EntryKind(kind)
    if kind != EntryKind.RANKED:
        return Reading(kind)
    return Reading(kind, tuple(tuple(sorted(group)) for group in ranking if group))


def mark_problems(
    boxes: Mapping[int, str], candidate_ids: Sequence[int], max_ranks: int | None = None
) -> tuple[list[int], int]:
    """For the entry form: the ideas whose box holds something that is not a rank, and how
    many ideas are ranked (the form asks the assessor to choose « nul » rather than let a
    typing slip make a sheet spoilt unnoticed)."""
    wrong = []
    ranked = 0
    for idea_id in candidate_ids:
        mark = parse_mark(boxes.get(idea_id, ""))
        if mark is None:
            continue
        if mark is False or not 1 <= int(mark) <= len(candidate_ids):
            wrong.append(idea_id)
        else:
            ranked += 1
    return wrong, ranked


def agree(first: Reading, second: Reading) -> bool:
    """Two readings agree when they say the same thing about the sheet."""
    return first == second


def _status_of(reading: Reading) -> SheetStatus:
    return {
        EntryKind.RANKED: SheetStatus.AGREED,
        EntryKind.BLANK: SheetStatus.BLANK,
        EntryKind.SPOILT: SheetStatus.SPOILT,
    }[reading.kind]


def settled_reading(readings: Sequence[Reading]) -> Reading | None:
    """What the sheet says once settled (two agreeing readings, or the third decides);
    None while it waits for another reading."""
    if len(readings) < 2:
        return None
    first, second = readings[0], readings[1]
    if agree(first, second):
        return first
    if len(readings) < MAX_READINGS:
        return None
    third = readings[2]
    if agree(third, first) or agree(third, second):
        return third
    return SPOILT  # read three different ways: nobody can say what it means


def next_status(readings: Sequence[Reading]) -> SheetStatus:
    """The sheet's status after these readings (in order: first, second, third).

    AGREED here means "the readings agree on a ranking": whether it is counted or is
    `excess` depends on the voters ticked (see `status_within_ticked`)."""
    if not readings:
        return SheetStatus.PRINTED
    if len(readings) == 1:
        return SheetStatus.FIRST_ENTRY
    settled = settled_reading(readings)
    if settled is None:
        return SheetStatus.DISPUTED
    return _status_of(settled)


def status_within_ticked(status: SheetStatus, ticked: int, stored: int) -> SheetStatus:
    """An agreed sheet beyond the desk's ticked voters is excess, never a ballot."""
    if status == SheetStatus.AGREED and stored >= ticked:
        return SheetStatus.EXCESS
    return status


def next_reading(readings_so_far: int) -> int | None:
    """The number of the next reading (1, 2, 3), or None when the sheet is settled."""
    if readings_so_far >= MAX_READINGS:
        return None
    return readings_so_far + 1


def may_read(assessor_id: int, earlier_assessors: Sequence[int | None]) -> bool:
    """Independent readings: each reading of a sheet is by a different person."""
    return assessor_id not in earlier_assessors


# --- the closure record ----------------------------------------------------------------

SETTLED = frozenset({SheetStatus.AGREED, SheetStatus.BLANK, SheetStatus.SPOILT, SheetStatus.EXCESS})
WAITING = frozenset({SheetStatus.FIRST_ENTRY, SheetStatus.DISPUTED})


@dataclass(frozen=True)
class RecordCounts:
    """The plain counts a desk's record is made of."""

    sheets_received: int | None  # the hand count of the urn (None: not given)
    statuses: Mapping[str, int]  # sheets per status (SheetStatus values)
    third_readings: int  # sheets that needed a third reading
    voters_ticked: int
    paper_ballots: int  # ballots stored from this desk's sheets
    desk_ballots: int  # ballots recorded at the desk with the voter's name
    assessors: Sequence[str] = field(default_factory=tuple)


def awaiting(counts: RecordCounts) -> int:
    """Sheets still to be entered: begun and not settled, plus those the hand count
    found in the urn and nobody has entered yet."""
    started = sum(counts.statuses.get(s.value, 0) for s in SETTLED | WAITING)
    waiting = sum(counts.statuses.get(s.value, 0) for s in WAITING)
    untouched = max((counts.sheets_received or 0) - started, 0)
    return waiting + untouched


def closure_record(counts: RecordCounts, *, set_aside: int = 0) -> dict[str, Any]:
    """The figures of the procès-verbal and the gaps it reports (plain JSON values)."""
    by = {s: counts.statuses.get(s.value, 0) for s in SheetStatus}
    entered = sum(by[s] for s in SETTLED | WAITING)
    settled = sum(by[s] for s in SETTLED)
    record: dict[str, Any] = {
        "sheets_received": counts.sheets_received,
        "sheets_printed": sum(by.values()),
        "sheets_entered": entered,
        "sheets_settled": settled,
        "agreed": by[SheetStatus.AGREED],
        "blank": by[SheetStatus.BLANK],
        "spoilt": by[SheetStatus.SPOILT],
        "excess": by[SheetStatus.EXCESS],
        "third_readings": counts.third_readings,
        "set_aside": set_aside,
        "voters_ticked": counts.voters_ticked,
        "paper_ballots": counts.paper_ballots,
        "desk_ballots": counts.desk_ballots,
        "assessors": list(counts.assessors),
    }
    record["gaps"] = record_gaps(record)
    return record


def record_gaps(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What does not add up, as (code, figures) for the page to word: more sheets than
    voters ticked (the gap), a hand count that differs from the sheets entered, paper
    ballots that differ from the agreed sheets."""
    gaps: list[dict[str, Any]] = []
    received = record["sheets_received"]
    counted_sheets = record["sheets_settled"] + record["set_aside"]
    if received is not None and received > record["voters_ticked"]:
        gaps.append(
            {
                "code": "more_sheets_than_voters",
                "sheets": received,
                "voters": record["voters_ticked"],
            }
        )
    if received is not None and counted_sheets != received:
        gaps.append({"code": "hand_count_differs", "sheets": received, "entered": counted_sheets})
    if record["excess"]:
        gaps.append({"code": "excess", "sheets": record["excess"]})
    if record["paper_ballots"] != record["agreed"]:
        gaps.append(
            {
                "code": "ballots_differ",
                "ballots": record["paper_ballots"],
                "agreed": record["agreed"],
            }
        )
    return gaps
