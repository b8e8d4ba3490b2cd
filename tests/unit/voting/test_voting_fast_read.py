"""The vectorised reader and canonical form against the line reader and the old form.

The line-by-line PrefLib reader (`_read_preflib_by_line`) and the canonical form as
main computed it (`reference_canonical.py`) are the references: on random files, with
ties, blanks, gaps, uneven counts and every kind of damage, the fast path must give
the very same profile (rows, order, counts), the same digest, and for a broken file
the same message with the same line number.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from ideation.domain.voting import Ballots, digest
from ideation.domain.voting.ballots import _canonical_bytes
from ideation.domain.voting.formats import (
    CSV_CHANNELS,
    BallotFileError,
    _fast_csv,
    _fast_preflib,
    _read_csv_by_line,
    _read_preflib_by_line,
    dumps_csv,
    dumps_preflib,
    loads,
    read_ballots,
)

from .reference_canonical import reference_canonical_bytes


def _random_ranks(rng: np.random.Generator, n: int, m: int, ties: bool) -> np.ndarray:
    """Random rows: partial orders, with tie groups, gaps and blank rows when asked."""
    if ties:
        return rng.integers(0, m + 1, (n, m))
    order = rng.permuted(np.tile(np.arange(m), (n, 1)), axis=1)
    return np.where(order < rng.integers(0, m + 1, (n, 1)), order, m)


def _random_order_line(rng: np.random.Generator, m: int) -> str:
    """One PrefLib order line as a person could write it (ties in braces, blank)."""
    chosen = rng.permutation(m)[: int(rng.integers(0, m + 1))] + 1
    if chosen.size == 0:
        return f"{rng.integers(1, 50)}: {{}}"
    parts, i = [], 0
    while i < chosen.size:
        size = int(rng.integers(1, 4))
        group = chosen[i : i + size].tolist()
        i += size
        braces = len(group) > 1 or rng.random() < 0.1
        parts.append("{" + ",".join(map(str, group)) + "}" if braces else str(group[0]))
    space = " " if rng.random() < 0.8 else ""
    return f"{rng.integers(1, 50)}:{space}{','.join(parts)}"


def _head(m: int, voters: int | None = None, orders: int | None = None) -> str:
    lines = ["# FILE NAME: essai.toi", "# TITLE: Essai", f"# NUMBER ALTERNATIVES: {m}"]
    if voters is not None:
        lines.append(f"# NUMBER VOTERS: {voters}")
    if orders is not None:
        lines.append(f"# NUMBER UNIQUE ORDERS: {orders}")
    lines += [f"# ALTERNATIVE NAME {i}: Idée {i}" for i in range(1, m + 1)]
    return "\n".join(lines) + "\n"


def _same_profile(fast: Ballots, slow: Ballots) -> None:
    assert fast.candidates == slow.candidates
    assert np.array_equal(fast.ranks, slow.ranks) and fast.ranks.dtype == slow.ranks.dtype
    assert np.array_equal(fast.counts, slow.counts)
    assert digest(fast) == digest(slow)


@pytest.mark.parametrize("seed", range(40))
def test_canonical_form_is_byte_for_byte_the_old_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 40)) if seed % 5 else int(rng.integers(250, 300))
    n = int(rng.integers(0, 300))
    ranks = _random_ranks(rng, n, m, ties=seed % 2 == 0)
    counts = rng.integers(1, 15, n) if seed % 3 else None
    names = [f"c{i}" for i in range(m)]
    fresh, old = Ballots(names, ranks, counts), Ballots(names, ranks, counts)
    assert _canonical_bytes(fresh) == reference_canonical_bytes(old)


@pytest.mark.parametrize("seed", range(40))
def test_random_preflib_files_read_the_same_by_both_readers(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    m = int(rng.integers(1, 25))
    lines = [_random_order_line(rng, m) for _ in range(int(rng.integers(0, 60)))]
    if seed % 4 == 0 and lines:
        lines.insert(int(rng.integers(0, len(lines))), "")  # blank lines are skipped
    text = _head(m) + "\n".join(lines) + ("\n" if seed % 3 else "")
    fast = _fast_preflib(text)
    assert fast is not None, "a regular file must take the vectorised path"
    slow = _read_preflib_by_line(text)
    _same_profile(fast.ballots, slow.ballots)
    assert fast.title == slow.title == "Essai"


@pytest.mark.parametrize("data_type", ["soc", "soi", "toc", "toi"])
def test_written_files_of_every_data_type_take_the_fast_path(data_type: str) -> None:
    rng = np.random.default_rng(7)
    m = 12
    ranks = _random_ranks(rng, 500, m, ties=data_type.startswith("t"))
    if data_type.endswith("c"):
        ranks = np.where(ranks == m, m - 1, ranks)  # everyone ranked
    profile = Ballots([f"Idée {i}" for i in range(m)], ranks)
    text = dumps_preflib(profile)
    fast = _fast_preflib(text)
    assert fast is not None
    _same_profile(fast.ballots, _read_preflib_by_line(text).ballots)
    assert digest(fast.ballots) == digest(profile)


def _damaged(rng: np.random.Generator, m: int, how: str) -> str:
    lines = [_random_order_line(rng, m) for _ in range(8)]
    where = int(rng.integers(0, len(lines)))
    line = lines[where]
    if how == "unknown":
        line = line.split(":")[0] + f": 1,{m + 1 + int(rng.integers(0, 5))}"
    elif how == "twice":
        line = line.split(":")[0] + ": 1,{2,1}" if m > 1 else "1: 1,1"
    elif how == "zero count":
        line = "0:" + line.split(":", 1)[1]
    elif how == "letter":
        line = line + ",x"
    elif how == "open brace":
        line = line.split(":")[0] + ": {1,2" if m > 1 else "1: {1"
    elif how == "trailing comma":
        line = line + ","
    elif how == "no colon":
        line = line.replace(":", "")
    elif how == "header after":
        line = "# NUMBER VOTERS: 3"
    elif how == "empty group":
        line = line.split(":")[0] + ": 1,{}"
    elif how == "candidate zero":
        line = line.split(":")[0] + ": 0"
    lines[where] = line
    return _head(m) + "\n".join(lines) + "\n"


DAMAGE = [
    "unknown",
    "twice",
    "zero count",
    "letter",
    "open brace",
    "trailing comma",
    "no colon",
    "header after",
    "empty group",
    "candidate zero",
]


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("seed", range(3))
def test_damaged_files_give_the_line_readers_message_and_line(how: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    text = _damaged(rng, int(rng.integers(2, 15)), how)
    assert _fast_preflib(text) is None
    with pytest.raises(BallotFileError) as reference:
        _read_preflib_by_line(text)
    with pytest.raises(BallotFileError) as public:
        loads(text, "preflib")
    assert str(public.value) == str(reference.value)
    assert public.value.line == reference.value.line is not None


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (_head(3, voters=99), "nombre de votants annoncé 99"),
        (_head(3, orders=7), "nombre de classements distincts annoncé 7"),
        (_head(3).replace("# ALTERNATIVE NAME 2: Idée 2\n", ""), "nom manquant pour le candidat 2"),
        (_head(3).replace("Idée 3", "Idée 1"), "candidat « Idée 1 » déclaré deux fois"),
    ],
)
def test_wrong_headers_keep_their_messages(head: str, what: str) -> None:
    text = head + "2: 1,2\n1: {2,3}\n"
    with pytest.raises(BallotFileError) as caught:
        loads(text, "preflib")
    assert what in str(caught.value)
    with pytest.raises(BallotFileError) as reference:
        _read_preflib_by_line(text)
    assert str(caught.value) == str(reference.value)


@pytest.mark.parametrize(
    "odd",
    [
        "2 : 1,2\n",  # a space before ":"
        "2: 1, 2\n",  # a space inside the body
        "2:  1,2\n",  # two spaces
        "  2: 1,2\n",  # an indented line
        "2: 1,2\r\n1: 3\r\n",  # Windows line ends
        "2: 01,2\n",  # a leading zero
        "2: 1,2\n   \n1: 3\n",  # a line of blanks
        "2: 1,2\n# un commentaire\n",  # a comment after the ballots
    ],
)
def test_irregular_but_readable_files_are_left_to_the_line_reader(odd: str) -> None:
    text = _head(3) + odd
    assert _fast_preflib(text) is None
    try:
        expected = _read_preflib_by_line(text)
    except BallotFileError as error:
        with pytest.raises(BallotFileError, match=re.escape(str(error))):
            loads(text, "preflib")
        return
    _same_profile(loads(text, "preflib").ballots, expected.ballots)


def _strict_line(rng: np.random.Generator, m: int) -> str:
    """A line without braces (strict ranking), the shape of large exported files."""
    chosen = rng.permutation(m)[: int(rng.integers(1, m + 1))] + 1
    return f"{rng.integers(1, 10 ** int(rng.integers(1, 8)))}: {','.join(map(str, chosen))}"


@pytest.mark.parametrize("seed", range(30))
def test_files_without_ties_read_the_same_by_the_lean_path(seed: int) -> None:
    """No braces and names of one or two digits: `fastread._strict_rows` reads them."""
    rng = np.random.default_rng(5000 + seed)
    m = int(rng.integers(1, 10)) if seed % 2 else int(rng.integers(10, 100))
    lines = [_strict_line(rng, m) for _ in range(int(rng.integers(1, 200)))]
    text = _head(m) + "\n".join(lines) + "\n"
    fast = _fast_preflib(text)
    assert fast is not None
    _same_profile(fast.ballots, _read_preflib_by_line(text).ballots)


@pytest.mark.parametrize(
    "how", ["twice", "zero", "above", "three digits", "leading zero", "too many"]
)
@pytest.mark.parametrize("m", [7, 42])
def test_damaged_files_without_ties_give_the_line_readers_message(how: str, m: int) -> None:
    rng = np.random.default_rng(m)
    lines = [_strict_line(rng, m) for _ in range(20)]
    bad = {
        "twice": "3: 2,1,2",
        "zero": "3: 1,0",
        "above": f"3: 1,{m + 1}",
        "three digits": "3: 1,100",
        "leading zero": "3: 004",
        "too many": "3: " + ",".join(map(str, list(range(1, m + 1)) + [1])),
    }[how]
    lines.insert(11, bad)
    text = _head(m) + "\n".join(lines) + "\n"
    try:
        expected = _read_preflib_by_line(text)
    except BallotFileError as error:
        assert _fast_preflib(text) is None
        with pytest.raises(BallotFileError) as public:
            loads(text, "preflib")
        assert str(public.value) == str(error)
        assert public.value.line == error.line == len(_head(m).splitlines()) + 12
        return
    _same_profile(loads(text, "preflib").ballots, expected.ballots)


# ---------------------------------------------------------------------- CSV

CSV_NAMES = ["Idée 1", "Idée 12", "Jardin", "Jardin partagé", "2 bancs", "Éclairage", "Idée 2"]


def _csv_text(rows: list[tuple[str, str]], names: list[str]) -> str:
    body = "".join(f"{receipt},{cell}\n" for receipt, cell in rows)
    return "receipt,ranking\n" + body + "\ncandidate\n" + "".join(f"{n}\n" for n in names)


def _csv_rows(rng: np.random.Generator, names: list[str], n: int) -> list[tuple[str, str]]:
    rows = []
    for k in range(n):
        chosen = [
            names[i] for i in rng.permutation(len(names))[: int(rng.integers(1, len(names) + 1))]
        ]
        receipt = f"R{k:05d}-{int(rng.integers(0, 99))}" if rng.random() < 0.7 else ""
        rows.append((receipt, " > ".join(chosen)))
    return rows


@pytest.mark.parametrize("seed", range(20))
def test_random_csv_files_read_the_same_by_both_readers(seed: int) -> None:
    """Names that hold one another ("Idée 1" in "Idée 12"), digits, accents; repeated
    rankings collapse in order of first appearance, receipts kept in file order."""
    rng = np.random.default_rng(9000 + seed)
    names = [CSV_NAMES[i] for i in rng.permutation(len(CSV_NAMES))[: int(rng.integers(1, 8))]]
    rows = _csv_rows(rng, names, int(rng.integers(1, 150)))
    if seed % 2:
        rows += rows[: len(rows) // 2]  # repeated rankings
    text = _csv_text(rows, names)
    fast = _fast_csv(text)
    assert fast is not None, "a regular file must take the vectorised path"
    slow = _read_csv_by_line(text)
    _same_profile(fast.ballots, slow.ballots)
    assert fast.receipts == slow.receipts
    assert dumps_csv(fast.ballots) == dumps_csv(slow.ballots)


CHANNEL_WORDS = ["en ligne", "bureau", "papier"]


def _csv_channels_text(rows: list[tuple[str, str]], names: list[str], words: list[str]) -> str:
    body = "".join(
        f"{receipt},{word},{cell}\n" for (receipt, cell), word in zip(rows, words, strict=True)
    )
    return "receipt,channel,ranking\n" + body + "\ncandidate\n" + "".join(f"{n}\n" for n in names)


@pytest.mark.parametrize("seed", range(10))
def test_random_csv_files_with_channels_read_the_same_by_both_readers(seed: int) -> None:
    """The shape with the channel column takes the vectorised path too, with the same
    profile, receipts and channels as the line reader."""
    rng = np.random.default_rng(9100 + seed)
    names = [CSV_NAMES[i] for i in rng.permutation(len(CSV_NAMES))[: int(rng.integers(1, 8))]]
    rows = _csv_rows(rng, names, int(rng.integers(1, 150)))
    words = [CHANNEL_WORDS[int(rng.integers(0, 3))] for _ in rows]
    text = _csv_channels_text(rows, names, words)
    fast = _fast_csv(text)
    assert fast is not None, "a regular file must take the vectorised path"
    slow = _read_csv_by_line(text)
    _same_profile(fast.ballots, slow.ballots)
    assert fast.receipts == slow.receipts
    assert fast.channels == slow.channels and fast.channels is not None
    assert [CSV_CHANNELS[c] for c in fast.channels] == words
    two_columns = _fast_csv(_csv_text(rows, names))
    assert two_columns is not None and two_columns.channels is None
    _same_profile(fast.ballots, two_columns.ballots)


@pytest.mark.parametrize(
    "word",
    ["Papier", " papier", "en  ligne", "courrier", "", "papier,x"],
)
def test_irregular_channels_give_the_line_readers_result(word: str) -> None:
    names = ["Idée 1", "Idée 12", "Jardin"]
    rows = [("A", "Jardin > Idée 1"), ("B", "Idée 12"), ("C", "Idée 1")]
    text = _csv_channels_text(rows, names, ["bureau", word, "papier"])
    assert _fast_csv(text) is None
    try:
        expected = _read_csv_by_line(text)
    except BallotFileError as error:
        with pytest.raises(BallotFileError) as public:
            loads(text, "csv")
        assert str(public.value) == str(error) and public.value.line == error.line == 3
        return
    loaded = loads(text, "csv")
    _same_profile(loaded.ballots, expected.ballots)
    assert loaded.channels == expected.channels


@pytest.mark.parametrize(
    "cell",
    [
        "Idée 1 > Inconnue",  # unknown name
        "Idée 1 > Idée 1",  # ranked twice
        "Idée 1 = Idée 12",  # a tie: the line reader
        "",  # a blank ballot
        "Idée 1 >  Idée 12",  # an extra blank, accepted by the line reader
        " Idée 1 > Idée 12",
        "Idée 1Idée 12",  # two names glued
        "Idée 1 > 5Idée 12",
        "Idée 1 > > Idée 12",
        "Idée 1 > ",
        "Idée 1 > \x01Idée 12\x02",
        '"Idée 1 > Idée 12"',
    ],
)
def test_irregular_csv_rows_give_the_line_readers_result(cell: str) -> None:
    names = ["Idée 1", "Idée 12", "Jardin"]
    rows = [("A", "Jardin > Idée 1"), ("B", cell), ("C", "Idée 12")]
    text = _csv_text(rows, names)
    assert _fast_csv(text) is None
    try:
        expected = _read_csv_by_line(text)
    except BallotFileError as error:
        with pytest.raises(BallotFileError) as public:
            loads(text, "csv")
        assert str(public.value) == str(error) and public.value.line == error.line
        return
    _same_profile(loads(text, "csv").ballots, expected.ballots)


@pytest.mark.parametrize(
    "text",
    [
        "receipt,ranking\nA,Idée 1,x\n\ncandidate\nIdée 1\n",  # three columns
        "receipt,ranking\nA,Idée 1\n\ncandidate\nIdée 1\nIdée 1\n",  # a name twice
        "receipt,ranking\nA,Idée 1\n\ncandidate\n12\n",  # a name of digits
        "Receipt,Ranking\nA,Idée 1\n\ncandidate\nIdée 1\n",
        "receipt,ranking\nA,Idée 1\n",  # no candidate list
        "receipt,ranking\ncandidate,\nIdée 1\n\ncandidate\nIdée 1\n",
    ],
)
def test_other_csv_shapes_are_left_to_the_line_reader(text: str) -> None:
    assert _fast_csv(text) is None
    try:
        expected = _read_csv_by_line(text)
    except BallotFileError as error:
        with pytest.raises(BallotFileError) as public:
            loads(text, "csv")
        assert str(public.value) == str(error)
        return
    _same_profile(loads(text, "csv").ballots, expected.ballots)


@pytest.mark.parametrize("seed", range(10))
def test_files_read_from_their_bytes_give_the_same_profile(tmp_path, seed: int) -> None:
    """`read_ballots` reads a PrefLib file's body from its bytes (only the header is
    decoded): same profile as the line reader, with or without a byte-order mark."""
    rng = np.random.default_rng(7000 + seed)
    m = int(rng.integers(1, 25))
    maker = _strict_line if seed % 2 else _random_order_line
    lines = [maker(rng, m) for _ in range(int(rng.integers(0, 80)))]
    text = _head(m) + "\n".join(lines) + "\n"
    path = tmp_path / "essai.toi"
    path.write_bytes((b"\xef\xbb\xbf" if seed % 3 == 0 else b"") + text.encode("utf-8"))
    _same_profile(read_ballots(path).ballots, _read_preflib_by_line(text).ballots)


def test_a_body_that_is_not_utf8_keeps_its_message(tmp_path) -> None:
    path = tmp_path / "essai.toi"
    path.write_bytes(_head(3).encode("utf-8") + b"2: 1,2\n1: \xe9\n")
    with pytest.raises(BallotFileError, match="le fichier n'est pas en UTF-8"):
        read_ballots(path)
