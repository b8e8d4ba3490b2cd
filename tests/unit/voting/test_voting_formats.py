"""Ballot files: round trips, same digest from every format, precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ideation.domain.desks import Channel
from ideation.domain.voting import digest, from_counts, tally, tie_break_order
from ideation.domain.voting.formats import (
    BallotFileError,
    dumps,
    dumps_csv,
    loads,
    preflib_data_type,
    read_ballots,
    write_ballots,
)

from .voting_helpers import FIXTURES, TENNESSEE, TENNESSEE_BALLOTS

TRICKY = ["Jardin, partagé", 'Le "café" du hall', "Vélos", "Jamais classée"]


@pytest.fixture
def tricky():
    return from_counts(
        TRICKY,
        [
            ((TRICKY[0], (TRICKY[1], TRICKY[2])), 4),
            ((TRICKY[2],), 3),
            ((), 1),
            ((TRICKY[1], TRICKY[0]), 2),
        ],
    )


@pytest.mark.parametrize("fmt", ["preflib", "blt", "csv"])
def test_every_format_round_trips_with_the_same_digest_and_order(tricky, fmt: str) -> None:
    again = loads(dumps(tricky, fmt), fmt).ballots
    assert again.candidates == tricky.candidates
    assert again.rankings() == tricky.rankings()
    assert digest(again) == digest(tricky)
    assert tie_break_order(again) == tie_break_order(tricky)
    for method in ("schulze", "irv", "borda"):
        assert tally(again, method).to_json_dict() == tally(tricky, method).to_json_dict()


@pytest.mark.parametrize("suffix", [".toi", ".blt", ".csv"])
def test_format_comes_from_the_extension_or_the_header(tmp_path: Path, tricky, suffix: str) -> None:
    path = tmp_path / f"bulletins{suffix}"
    write_ballots(tricky, path)
    assert digest(read_ballots(path).ballots) == digest(tricky)
    anonymous = tmp_path / "bulletins.txt"
    anonymous.write_bytes(path.read_bytes())
    assert digest(read_ballots(anonymous).ballots) == digest(tricky)


def test_csv_keeps_never_ranked_candidates_and_sorts_rows_by_receipt(tricky) -> None:
    text = dumps_csv(
        tricky,
        receipts=[("Z9", ((TRICKY[2],),)), ("A1", ((TRICKY[0],), (TRICKY[1], TRICKY[2])))],
    )
    lines = text.splitlines()
    assert lines[0] == "receipt,ranking"
    assert lines[1] == 'A1,"Jardin, partagé > Le ""café"" du hall = Vélos"'
    assert lines[2] == "Z9,Vélos"
    loaded = loads(text, "csv")
    assert loaded.ballots.candidates == tuple(TRICKY)
    assert loaded.receipts == ("A1", "Z9")


def test_csv_with_channels_writes_the_channel_column_and_reads_it_back(tricky) -> None:
    pairs = [
        ("Z9", ((TRICKY[2],),)),
        ("A1", ((TRICKY[0],), (TRICKY[1], TRICKY[2]))),
        ("M5", ()),
    ]
    text = dumps_csv(tricky, receipts=pairs, channels=[Channel.PAPER, Channel.ONLINE, "desk"])
    lines = text.splitlines()
    assert lines[0] == "receipt,channel,ranking"
    assert lines[1] == 'A1,en ligne,"Jardin, partagé > Le ""café"" du hall = Vélos"'
    assert lines[2] == "M5,bureau,"
    assert lines[3] == "Z9,papier,Vélos"
    loaded = loads(text, "csv")
    assert loaded.receipts == ("A1", "M5", "Z9")
    assert loaded.channels == (Channel.ONLINE, Channel.DESK, Channel.PAPER)
    assert loaded.channel_counts() == {Channel.ONLINE: 1, Channel.DESK: 1, Channel.PAPER: 1}
    assert loaded.ballots.candidates == tuple(TRICKY)
    # The channel is not part of the ballot: same profile, same digest, with or without.
    without = loads(dumps_csv(tricky, receipts=pairs), "csv")
    assert without.channels is None and without.channel_counts() is None
    assert digest(loaded.ballots) == digest(without.ballots)


def test_both_csv_shapes_give_the_same_count() -> None:
    """A file published before the channel column stays readable, with the same result."""
    old = "receipt,ranking\nR1,A > B\nR2,B\nR3,A\n\ncandidate\nA\nB\nC\n"
    new = (
        "receipt,channel,ranking\nR1,en ligne,A > B\nR2,papier,B\nR3,Bureau ,A\n"
        "\ncandidate\nA\nB\nC\n"
    )
    before, after = loads(old), loads(new)  # the shape is recognised by its header
    assert before.format == after.format == "csv"
    assert before.receipts == after.receipts == ("R1", "R2", "R3")
    assert after.channel_counts() == {Channel.ONLINE: 1, Channel.DESK: 1, Channel.PAPER: 1}
    assert tally(before.ballots, "schulze").to_json_dict() == (
        tally(after.ballots, "schulze").to_json_dict()
    )


def test_channels_need_receipts() -> None:
    with pytest.raises(ValueError):
        dumps_csv(from_counts("AB", [(("A",), 1)]), channels=[Channel.ONLINE])


def test_preflib_data_type_is_the_narrowest() -> None:
    assert preflib_data_type(from_counts(TENNESSEE, TENNESSEE_BALLOTS)) == "soc"
    assert preflib_data_type(from_counts("ABC", [(("A",), 1)])) == "soi"
    assert preflib_data_type(from_counts("ABC", [(("A", ("B", "C")), 1)])) == "toc"
    assert preflib_data_type(from_counts("ABC", [((("A", "B"),), 1)])) == "toi"


def test_reads_the_preflib_fixture() -> None:
    loaded = read_ballots(FIXTURES / "tennessee.soc")
    assert loaded.title == "Capitale du Tennessee"
    assert digest(loaded.ballots) == digest(from_counts(TENNESSEE, TENNESSEE_BALLOTS))


def test_blt_withdrawn_candidates_and_ties_are_understood() -> None:
    text = '3 1\n-3\n2 1=2 3 0\n1 3 2 0\n0\n"A"\n"B"\n"C"\n"Titre"\n'
    loaded = loads(text, "blt")
    assert loaded.ballots.candidates == ("A", "B")
    assert loaded.title == "Titre" and loaded.seats == 1
    assert loaded.ballots.rankings() == [((("B",),), 1), (((("A", "B")),), 2)]


PREFLIB_HEAD = "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n"


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("preflib", PREFLIB_HEAD + "2: 1,2\n1: 1,9\n", "ligne 6 : candidat inconnu « 9 »"),
        ("preflib", PREFLIB_HEAD + "2: 1,{2,3\n", "ligne 5 : accolade"),
        ("preflib", PREFLIB_HEAD + "2: 1,2,1\n", "ligne 5 : candidat « A » classé deux fois"),
        ("preflib", PREFLIB_HEAD + "x: 1\n", "ligne 5 : nombre de bulletins invalide « x »"),
        ("preflib", "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n1: 1\n", "nom manquant"),
        ("preflib", PREFLIB_HEAD + "# NUMBER VOTERS: 5\n2: 1\n", "ligne 5 : nombre de votants"),
        ("blt", '2 1\n1 1 2 0\n1 1 7 0\n0\n"A"\n"B"\n', "ligne 3 : candidat inconnu « 7 »"),
        ("blt", '2 1\n1 1 2\n0\n"A"\n"B"\n', "ligne 2 : un bulletin doit finir par 0"),
        ("blt", '2 1\n1 1 2 0\n0\n"A"\n', "2 noms de candidats attendus"),
        (
            "csv",
            "receipt,ranking\nR1,A > B\nR2,A > Z\n\ncandidate\nA\nB\n",
            "ligne 3 : candidat inconnu « Z »",
        ),
        (
            "csv",
            "receipt,ranking\nR1,A > A\n\ncandidate\nA\n",
            "ligne 2 : candidat « A » classé deux fois",
        ),
        ("csv", "bulletin,classement\n", "ligne 1 : la première ligne"),
    ],
)
def test_malformed_files_name_the_line_and_the_reason(fmt: str, text: str, message: str) -> None:
    with pytest.raises(BallotFileError) as caught:
        loads(text, fmt)
    assert message in str(caught.value)
