"""Vectorised readers for the bulk of large ballot files (numpy, no per-line Python).

`formats.py` keeps the line-by-line readers, which know every rule and every error
message. The functions here only recognise the regular shape those readers accept and
the project's own writers produce, and answer ``None`` for anything else: a stray
space, a tab, a header after the ballots, an unknown candidate, a name ranked twice, a
quoted CSV cell… The caller then runs the line-by-line reader over the whole file, so
a malformed file gets exactly the same message and line number as before, and a
well-formed file gets exactly the same profile (same rows, same order, same counts).

Both readers work on the file's bytes as one numpy array: a class per byte, a table of
allowed byte pairs for the grammar, digit runs turned into numbers with a few passes
over all tokens at once, and one scatter into the rank matrix.
"""

from __future__ import annotations

import numpy as np

__all__ = ["preflib_rows"]

# Byte classes of a PrefLib order section (0: a byte the regular shape never holds).
_BAD, _DIGIT, _COMMA, _COLON, _SPACE, _OPEN, _CLOSE, _NEWLINE = range(8)
_CLASS = bytearray(256)
for _char in b"0123456789":
    _CLASS[_char] = _DIGIT
for _char, _kind in zip(b",: {}\n", (_COMMA, _COLON, _SPACE, _OPEN, _CLOSE, _NEWLINE), strict=True):
    _CLASS[_char] = _kind
_CLASS_TABLE = bytes(_CLASS)


def _pair(before: int, after: int) -> int:
    return before << 3 | after


# Which class may follow which, for lines ``count: item,item,…`` where an item is a
# number or ``{n,n,…}`` and the whole body may be ``{}``; one optional space after ":".
_VALID_PAIRS = bytes(
    _pair(before, after)
    for before, afters in {
        _NEWLINE: (_NEWLINE, _DIGIT),
        _DIGIT: (_DIGIT, _COLON, _COMMA, _CLOSE, _NEWLINE),
        _COLON: (_SPACE, _DIGIT, _OPEN),
        _SPACE: (_DIGIT, _OPEN),
        _COMMA: (_DIGIT, _OPEN),
        _OPEN: (_DIGIT, _CLOSE),
        _CLOSE: (_COMMA, _NEWLINE),
    }.items()
    for after in afters
)
# Pair codes at which a number starts: 1 for a line's first number (its count), 2 else.
_STARTS = bytes(
    (1 if code >> 3 == _NEWLINE else 2) if code & 7 == _DIGIT and code >> 3 != _DIGIT else 0
    for code in range(256)
)
_EMPTY = _pair(_OPEN, _CLOSE)

_MAX_COUNT_DIGITS = 15  # well inside int64; longer counts go to the line reader


def _digit_runs(
    raw: np.ndarray, kind: np.ndarray, starts: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Values and lengths of the numbers starting at `starts`; None past `limit` digits."""
    values = raw[starts].astype(np.int64) - ord("0")
    lengths = np.ones(starts.size, dtype=np.int64)
    longer = np.arange(starts.size)
    for k in range(1, limit + 1):
        longer = longer[kind[starts[longer] + k] == _DIGIT]
        if not longer.size:
            return values, lengths
        if k == limit:
            return None
        values[longer] = values[longer] * 10 + (raw[starts[longer] + k] - ord("0"))
        lengths[longer] += 1
    return values, lengths


def _rank_matrix(
    rows: np.ndarray, candidates: np.ndarray, positions: np.ndarray, n: int, m: int
) -> np.ndarray | None:
    """Scatter (row, candidate, position) triples; None if a row names a candidate twice."""
    ranks = np.full((n, m), m, dtype=np.uint8 if m < 255 else np.uint16)
    ranks.ravel()[rows * m + candidates] = positions
    # A candidate named twice in a row lands twice in one cell, leaving fewer ranked
    # cells than names; the line reader then reports it with its line number.
    if np.count_nonzero(ranks != m) != rows.size:
        return None
    return ranks


def preflib_rows(data: bytes, m: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Rank matrix and counts of a PrefLib order section, or None if it is not regular.

    `data` is the text after the header, lines ending in ``\\n``; empty lines are
    skipped. One row per order line, in file order, as the line reader builds them.
    """
    if not data.endswith(b"\n"):
        data += b"\n"
    classes = data.translate(_CLASS_TABLE)
    if b"\x00" in classes:
        return None
    kind = np.frombuffer(classes, dtype=np.uint8)
    raw = np.frombuffer(data, dtype=np.uint8)
    # The class of each byte and of the byte before it, as one code; bytes.translate
    # checks and flags them all in C.
    pair = np.empty_like(kind)
    pair[0] = _pair(_NEWLINE, int(kind[0]))
    np.left_shift(kind[:-1], 3, out=pair[1:])
    pair[1:] |= kind[1:]
    pairs = pair.tobytes()
    if pairs.translate(None, _VALID_PAIRS):
        return None
    flags = np.frombuffer(pairs.translate(_STARTS), dtype=np.uint8)
    starts = np.flatnonzero(flags)
    heads = flags[starts] == 1
    head_index = np.flatnonzero(heads)
    n = head_index.size
    if n == 0:
        empty = np.full((0, m), m, dtype=np.uint8 if m < 255 else np.uint16)
        return (empty, np.zeros(0, np.int64)) if data.count(b":") == 0 else None
    count_runs = _digit_runs(raw, kind, starts[head_index], _MAX_COUNT_DIGITS)
    if count_runs is None:
        return None
    counts, count_lengths = count_runs
    # Every line starts with a digit (pair table); its count must be followed by ":",
    # and no other ":" may appear.
    if data.count(b":") != n or not (kind[starts[head_index] + count_lengths] == _COLON).all():
        return None
    name_starts = starts[~heads]
    name_runs = _digit_runs(raw, kind, name_starts, len(str(m)))
    if name_runs is None:
        return None
    candidates, name_lengths = name_runs
    candidates -= 1
    if counts.min() < 1 or (candidates.size and (candidates.min() < 0 or candidates.max() >= m)):
        return None
    # Each line's names, in order: their row and their rank on the line.
    per_line = np.diff(np.append(head_index, starts.size)) - 1
    rows = np.repeat(np.arange(n), per_line)
    positions = np.arange(name_starts.size) - np.repeat(head_index - np.arange(n), per_line)
    if b"{" in data:
        # Inside braces, a name followed by "," shares its group with the next name:
        # every such name before a candidate on its line lowers its position by one.
        braced = _braced(kind, pair, name_starts)
        if braced is None:
            return None
        continues = braced & (kind[name_starts + name_lengths] == _COMMA)
        shared = np.r_[0, np.cumsum(continues)]
        first = np.repeat(head_index - np.arange(n), per_line)
        positions -= shared[np.arange(name_starts.size)] - shared[first]
    if positions.size and positions.max() >= m:
        return None
    ranks = _rank_matrix(rows, candidates, positions, n, m)
    if ranks is None:
        return None
    return ranks, counts


def _braced(kind: np.ndarray, pair: np.ndarray, starts: np.ndarray) -> np.ndarray | None:
    """Which numbers stand inside braces; None unless braces pair up on one line.

    "{}" is accepted only as a whole body (a blank ballot).
    """
    opens = np.flatnonzero(kind == _OPEN)
    closes = np.flatnonzero(kind == _CLOSE)
    if (
        opens.size != closes.size
        or not (opens < closes).all()
        or not (closes[:-1] < opens[1:]).all()
    ):
        return None
    breaks = np.flatnonzero(kind == _NEWLINE)
    if not np.array_equal(np.searchsorted(breaks, opens), np.searchsorted(breaks, closes)):
        return None
    empty = np.flatnonzero(pair == _EMPTY)  # the "}" of each "{}"
    if empty.size and (
        not np.isin(kind[empty - 2], (_COLON, _SPACE)).all()
        or not (kind[empty + 1] == _NEWLINE).all()
    ):
        return None
    return np.searchsorted(opens, starts) > np.searchsorted(closes, starts)
