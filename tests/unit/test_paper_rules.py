"""Double entry of paper sheets and the closure record's arithmetic (ideation/domain/paper.py)."""

from __future__ import annotations

import pytest

from ideation.domain import paper
from ideation.domain.desks import EntryKind, SheetStatus
from ideation.domain.paper import BLANK, SPOILT, Reading, RecordCounts

IDEAS = [11, 12, 13, 14]


def ranked(*groups: tuple[int, ...]) -> Reading:
    return Reading(EntryKind.RANKED, tuple(tuple(sorted(g)) for g in groups))


@pytest.mark.parametrize(
    ("boxes", "expected"),
    [
        ({11: "1", 12: "2", 13: "3"}, ranked((11,), (12,), (13,))),
        ({11: "2", 12: "1"}, ranked((12,), (11,))),
        ({11: "1", 12: "1", 13: "2"}, ranked((11, 12), (13,))),  # same number: ex aequo
        ({11: " 1 ", 14: "3"}, ranked((11,), (14,))),  # a gap only keeps the order
        ({}, BLANK),
        ({11: "", 12: "  "}, BLANK),
        ({11: "x"}, SPOILT),
        ({11: "0"}, SPOILT),
        ({11: "5"}, SPOILT),  # more than the number of ideas
        ({11: "-1"}, SPOILT),
        ({11: "1.5"}, SPOILT),
        ({11: "١"}, SPOILT),  # an Arabic-Indic digit is no rank here
        ({11: "1", 99: "2"}, ranked((11,))),  # a box of no idea of the sheet is ignored
    ],
)
def test_boxes_read_as_a_ranking_blank_or_spoilt(boxes, expected):
    assert paper.read_boxes(boxes, IDEAS) == expected


def test_the_assessor_may_read_a_sheet_as_spoilt_whatever_its_boxes():
    assert paper.read_boxes({11: "1"}, IDEAS, spoilt=True) == SPOILT


def test_more_ideas_ranked_than_the_vote_allows_is_spoilt():
    assert paper.read_boxes({11: "1", 12: "2", 13: "3"}, IDEAS, max_ranks=2) == SPOILT
    assert paper.read_boxes({11: "1", 12: "2"}, IDEAS, max_ranks=2) == ranked((11,), (12,))


def test_mark_problems_names_the_boxes_that_hold_no_rank():
    wrong, ranked_count = paper.mark_problems({11: "1", 12: "a", 13: "9"}, IDEAS)
    assert wrong == [12, 13]
    assert ranked_count == 1


def test_a_stored_entry_reads_back_equal_whatever_the_order_inside_a_tie():
    assert paper.reading_of("ranked", [[12, 11], [13]]) == ranked((11, 12), (13,))
    assert paper.reading_of("blank", [[11]]) == BLANK


@pytest.mark.parametrize(
    ("readings", "status"),
    [
        ([], SheetStatus.PRINTED),
        ([ranked((11,))], SheetStatus.FIRST_ENTRY),
        ([ranked((11,)), ranked((11,))], SheetStatus.AGREED),
        ([BLANK, BLANK], SheetStatus.BLANK),
        ([SPOILT, SPOILT], SheetStatus.SPOILT),
        ([ranked((11,)), ranked((12,))], SheetStatus.DISPUTED),
        ([ranked((11,)), BLANK], SheetStatus.DISPUTED),
        ([ranked((11, 12)), ranked((11,), (12,))], SheetStatus.DISPUTED),  # a tie is not an order
        ([ranked((11,)), ranked((12,)), ranked((12,))], SheetStatus.AGREED),
        ([ranked((11,)), BLANK, BLANK], SheetStatus.BLANK),
        ([ranked((11,)), SPOILT, SPOILT], SheetStatus.SPOILT),
        # Read three different ways: nobody can say what it means.
        ([ranked((11,)), ranked((12,)), ranked((13,))], SheetStatus.SPOILT),
    ],
)
def test_next_status_after_each_reading(readings, status):
    assert paper.next_status(readings) == status


def test_the_third_reading_decides_what_the_sheet_says():
    first, second = ranked((11,), (12,)), ranked((12,), (11,))
    assert paper.settled_reading([first, second]) is None
    assert paper.settled_reading([first, second, second]) == second
    assert paper.settled_reading([first, second, first]) == first
    assert paper.settled_reading([first]) is None


def test_an_agreed_sheet_beyond_the_voters_ticked_is_excess():
    assert paper.status_within_ticked(SheetStatus.AGREED, ticked=3, stored=2) == SheetStatus.AGREED
    assert paper.status_within_ticked(SheetStatus.AGREED, ticked=3, stored=3) == SheetStatus.EXCESS
    assert paper.status_within_ticked(SheetStatus.BLANK, ticked=0, stored=0) == SheetStatus.BLANK


def test_each_reading_is_by_another_person_and_there_are_three_at_most():
    assert paper.may_read(5, [])
    assert not paper.may_read(5, [5])
    assert not paper.may_read(5, [4, 5])
    assert paper.may_read(6, [4, 5])
    assert [paper.next_reading(n) for n in range(4)] == [1, 2, 3, None]


def _counts(**statuses: int) -> dict[str, int]:
    return {k: v for k, v in statuses.items()}


def test_the_record_adds_up():
    counts = RecordCounts(
        sheets_received=6,
        statuses=_counts(agreed=3, blank=1, spoilt=1, first_entry=1, printed=4),
        third_readings=1,
        voters_ticked=6,
        paper_ballots=3,
        desk_ballots=2,
    )
    assert paper.awaiting(counts) == 1
    record = paper.closure_record(counts, set_aside=1)
    assert record["sheets_printed"] == 10
    assert record["sheets_entered"] == 6
    assert record["sheets_settled"] == 5
    assert (record["agreed"], record["blank"], record["spoilt"]) == (3, 1, 1)
    assert record["third_readings"] == 1
    assert record["desk_ballots"] == 2
    assert record["gaps"] == []  # 5 settled + 1 set aside = 6 counted by hand


def test_sheets_in_the_urn_nobody_entered_yet_are_awaiting():
    counts = RecordCounts(6, _counts(agreed=2, printed=10), 0, 6, 2, 0)
    assert paper.awaiting(counts) == 4


def test_the_record_reports_the_gap_and_the_excess():
    counts = RecordCounts(5, _counts(agreed=3, excess=1, blank=1), 0, 3, 3, 0)
    record = paper.closure_record(counts)
    codes = {gap["code"]: gap for gap in record["gaps"]}
    assert codes["more_sheets_than_voters"] == {
        "code": "more_sheets_than_voters",
        "sheets": 5,
        "voters": 3,
    }
    assert codes["excess"]["sheets"] == 1
    assert "hand_count_differs" not in codes


def test_the_record_reports_a_hand_count_that_differs():
    counts = RecordCounts(4, _counts(agreed=2), 0, 4, 2, 0)
    record = paper.closure_record(counts)
    assert [g["code"] for g in record["gaps"]] == ["hand_count_differs"]
    counts = RecordCounts(2, _counts(agreed=2), 0, 2, 1, 0)
    assert [g["code"] for g in paper.closure_record(counts)["gaps"]] == ["ballots_differ"]


def test_a_reading_gives_its_ranking_as_lists_for_the_stored_ballot():
    assert Reading(EntryKind.RANKED, ((3,), (1, 2))).as_lists() == [[3], [1, 2]]
    assert BLANK.as_lists() == []
