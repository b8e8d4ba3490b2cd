"""The per-voter and per-sheet candidate order (ideation/domain/voting/order.py)."""

from __future__ import annotations

from collections import Counter

from ideation.domain.voting.order import ballot_order, sheet_seed, voter_seed

KEY = b"test-key"
IDS = [3, 8, 12, 21, 34]


def test_the_same_seed_gives_the_same_order_and_keeps_every_candidate():
    first = ballot_order(IDS, KEY, voter_seed(1, 42))
    assert first == ballot_order(list(reversed(IDS)), KEY, voter_seed(1, 42))
    assert sorted(first) == IDS


def test_voters_sheets_and_keys_get_different_orders():
    orders = {tuple(ballot_order(IDS, KEY, voter_seed(1, voter))) for voter in range(40)}
    assert len(orders) > 20  # 120 possible orders: forty voters see many of them
    sheets = {tuple(ballot_order(IDS, KEY, sheet_seed(1, f"S{n}"))) for n in range(40)}
    assert len(sheets) > 20
    seeds = [voter_seed(2, v) for v in range(30)]
    assert [ballot_order(IDS, KEY, s) for s in seeds] != [
        ballot_order(IDS, b"other-key", s) for s in seeds
    ]


def test_no_candidate_is_favoured_by_its_place_in_the_shortlist():
    # Over 2,000 voters each candidate comes first about a fifth of the time.
    firsts = Counter(ballot_order(IDS, KEY, voter_seed(7, v))[0] for v in range(2000))
    assert set(firsts) == set(IDS)
    assert all(300 < n < 500 for n in firsts.values()), firsts


def test_a_candidate_added_or_removed_leaves_the_others_in_their_order():
    order = ballot_order(IDS, KEY, voter_seed(1, 5))
    fewer = ballot_order([i for i in IDS if i != 12], KEY, voter_seed(1, 5))
    assert fewer == [i for i in order if i != 12]


def test_seeds_name_the_vote_and_the_voter_or_sheet():
    assert voter_seed(1, 23) != voter_seed(12, 3)
    assert sheet_seed(1, "AB") != voter_seed(1, 0)
