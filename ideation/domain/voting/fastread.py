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

__all__ = ["json_ranks", "preflib_rows"]

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
    if m < 100 and b"{" not in data:
        return _strict_rows(data, kind, flags, m)
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


def _strict_rows(
    data: bytes, kind: np.ndarray, flags: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """`preflib_rows` for lines without braces and names of at most two digits.

    The common case of large files, read with as little memory as possible (one byte
    per byte or per number, int32 per number, rather than int64 indices): each name's
    value is read at its byte, the numbers are then kept in file order.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    digit = kind == _DIGIT
    heads = np.flatnonzero(flags == 1)
    n = heads.size
    if n == 0:
        empty = np.full((0, m), m, dtype=np.uint8)
        return (empty, np.zeros(0, np.int64)) if data.count(b":") == 0 else None
    count_runs = _digit_runs(raw, kind, heads, _MAX_COUNT_DIGITS)
    if count_runs is None:
        return None
    counts, count_lengths = count_runs
    if data.count(b":") != n or not (kind[heads + count_lengths] == _COLON).all():
        return None
    names = flags == 2
    # A name is one digit (m < 10) or at most two: a longer one is for the line reader.
    longest = 1 if m < 10 else 2
    follow = names[: names.size - longest] & digit[longest:]
    for k in range(1, longest):
        follow &= digit[k : digit.size - longest + k]
    if follow.any():
        return None
    # Each byte's digit, and the two-digit number starting there; a name's value is
    # whichever its next byte says, picked at the name's first byte.
    value = raw - np.uint8(ord("0"))
    if longest == 2:
        pairs = value[:-1] * np.uint8(10)
        pairs += value[1:]
        value = np.where(digit[1:], pairs, value[:-1])
    candidates = value[names[: value.size]]
    if counts.min() < 1 or (candidates.size and (candidates.min() < 1 or candidates.max() > m)):
        return None
    candidates -= np.uint8(1)
    # Numbers in file order (1 a line's count, 2 a name): names per line, then each
    # name's row and its rank on the line, by repeating per-line values.
    tokens = flags[flags != 0]
    head_tokens = np.flatnonzero(tokens == 1)
    per_line = np.diff(np.append(head_tokens, tokens.size)) - 1
    if per_line.min() < 1 or per_line.max() > m:
        return None
    # Steps summed along the names (cheaper than repeating per-line values): the row
    # goes up by one at each line's first name, the rank drops back to 0 there.
    firsts = (np.cumsum(per_line) - per_line)[1:]
    rows = np.zeros(candidates.size, dtype=np.int32)
    rows[firsts] = 1
    np.cumsum(rows, out=rows)
    positions = np.ones(candidates.size, dtype=np.int32)
    positions[0] = 0
    positions[firsts] = 1 - per_line[:-1]
    np.cumsum(positions, out=positions)
    big = n * m >= 2**31
    cells = rows.astype(np.int64) if big else rows
    cells *= m
    cells += candidates
    ranks = np.full((n, m), m, dtype=np.uint8)
    ranks.ravel()[cells] = positions
    if np.count_nonzero(ranks != m) != cells.size:
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


# Byte classes of stored rankings written as JSON, one array per line (``[[12], [7, 30]]``).
_J_BAD, _J_DIGIT, _J_OPEN, _J_CLOSE, _J_COMMA, _J_SPACE, _J_NEWLINE = range(7)
_J_CLASS = bytearray(256)
for _char in b"0123456789":
    _J_CLASS[_char] = _J_DIGIT
for _char, _kind in zip(
    b"[], \n", (_J_OPEN, _J_CLOSE, _J_COMMA, _J_SPACE, _J_NEWLINE), strict=True
):
    _J_CLASS[_char] = _kind
_J_CLASS_TABLE = bytes(_J_CLASS)
_J_VALID_PAIRS = bytes(
    _pair(before, after)
    for before, afters in {
        _J_NEWLINE: (_J_OPEN,),
        _J_OPEN: (_J_OPEN, _J_DIGIT, _J_CLOSE, _J_SPACE),
        _J_DIGIT: (_J_DIGIT, _J_COMMA, _J_CLOSE, _J_SPACE),
        _J_COMMA: (_J_SPACE, _J_OPEN, _J_DIGIT),
        _J_SPACE: (_J_SPACE, _J_OPEN, _J_DIGIT, _J_CLOSE, _J_COMMA),
        _J_CLOSE: (_J_CLOSE, _J_COMMA, _J_SPACE, _J_NEWLINE),
    }.items()
    for after in afters
)
_MAX_ID_DIGITS = 18  # idea ids well inside int64


def json_ranks(data: bytes, candidate_ids: list[int]) -> np.ndarray | None:
    """Rank matrix of stored rankings, one JSON array of tie groups of ids per line.

    Each line is a ballot's ``ranking`` column as the database returns it
    (``[[12], [7, 30]]``: tie groups of idea ids, best first). Row k is line k; ids that
    are not in `candidate_ids` are left out and the groups they leave empty close up,
    exactly as `Ballots.from_rankings` reads the named groups. None for anything else
    (another JSON shape, a candidate ranked twice…): the caller then decodes the rows
    one by one, which keeps its behaviour and its errors.
    """
    m = len(candidate_ids)
    if m == 0 or m >= 255:
        return None
    if not data.endswith(b"\n"):
        data += b"\n"
    classes = data.translate(_J_CLASS_TABLE)
    if b"\x00" in classes:
        return None
    kind = np.frombuffer(classes, dtype=np.uint8)
    pair = np.empty_like(kind)
    pair[0] = _pair(_J_NEWLINE, int(kind[0]))
    np.left_shift(kind[:-1], 3, out=pair[1:])
    pair[1:] |= kind[1:]
    if pair.tobytes().translate(None, _J_VALID_PAIRS):
        return None
    # Depth (after each bracket) from the brackets alone: far fewer than the bytes.
    opens = kind == _J_OPEN
    is_bracket = opens | (kind == _J_CLOSE)
    brackets = np.flatnonzero(is_bracket)
    # For each byte, the index of the last bracket up to it (a gather beats a search).
    last_bracket = np.cumsum(is_bracket, dtype=np.int32)
    last_bracket -= 1
    is_open = opens[brackets]
    depth = np.cumsum(np.where(is_open, 1, -1).astype(np.int8), dtype=np.int16)
    if depth.min() < 0 or depth.max() > 2:
        return None
    newline = kind == _J_NEWLINE
    breaks = np.flatnonzero(newline)
    n = breaks.size
    # Depth 0 exactly at line ends: the bracket before each "\n" closes the line's
    # array, and every bracket that closes an array is followed by "\n".
    before_break = last_bracket[breaks]
    if (before_break < 0).any() or depth[before_break].any():
        return None
    if not (kind[brackets[depth == 0] + 1] == _J_NEWLINE).all():
        return None
    digit = kind == _J_DIGIT
    starts = np.flatnonzero(digit & ~np.r_[False, digit[:-1]])
    # A number's depth is the depth after the bracket before it: 2, inside a group.
    inside = last_bracket[starts]
    if starts.size and (inside.min() < 0 or (depth[inside] != 2).any()):
        return None
    ranks = np.full((n, m), m, dtype=np.uint8)
    if starts.size == 0:
        return ranks
    runs = _digit_runs(np.frombuffer(data, dtype=np.uint8), kind, starts, _MAX_ID_DIGITS)
    if runs is None:
        return None
    values = runs[0]
    # Which candidate each number is (ids not on the ballot are dropped).
    ids = np.asarray(candidate_ids, dtype=np.int64)
    order = np.argsort(ids, kind="stable")
    known = ids[order]
    where = np.minimum(np.searchsorted(known, values), m - 1)
    kept = known[where] == values
    candidates = order[where[kept]]
    rows = np.cumsum(newline, dtype=np.int32)[starts[kept]]
    # The tie group of each kept number: the bracket before it opened that group.
    groups = inside[kept]
    # Positions close up over the groups left empty: a new position at each change of
    # group, counted from the line's first kept number.
    k = rows.size
    if k == 0:
        return ranks
    new_line = np.r_[True, rows[1:] != rows[:-1]]
    new_group = new_line | np.r_[True, groups[1:] != groups[:-1]]
    dense = np.cumsum(new_group) - 1
    first = np.maximum.accumulate(np.where(new_line, np.arange(k), 0))
    positions = dense - dense[first]
    if positions.max() >= m:
        return None
    return _rank_matrix(rows, candidates, positions, n, m)
