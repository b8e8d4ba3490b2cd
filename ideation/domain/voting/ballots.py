"""Collapsed ballot profiles, their canonical form, digest and tie-break order.

A *ranking* is a sequence of tie groups, best first: ``(("A",), ("B", "C"))`` means
A > B = C. A candidate that a ranking does not mention is tied below every ranked
candidate. A group may be written as a bare name (``("A", ("B", "C"))``) and a
candidate may be named by its 0-based index in the candidate tuple.

`Ballots` stores the profile as a numpy *rank matrix*: one row per stored ranking,
one column per candidate, the cell holding the 0-based position of the candidate's tie
group, or ``m`` (the number of candidates) when the candidate is unranked; a parallel
``counts`` vector says how many voters cast that ranking. Identical rankings are
collapsed when the profile is built from Python rankings, so a million ballots over a
few distinct rankings cost a few rows. Every tally method works on this matrix.

Canonical form (what the digest and the tie-break order are computed from)
----------------------------------------------------------------------------
The canonical form of a profile is a UTF-8 text made of ``\\n``-terminated lines::

    # NUMBER ALTERNATIVES: <m>
    # ALTERNATIVE NAME 1: <name of candidate 1>
    ...
    # ALTERNATIVE NAME <m>: <name of candidate m>
    <count>: <ranking>
    ...

Candidates are numbered from 1 in the profile's candidate order (the order of the
ballot file). There is one ``<count>: <ranking>`` line per distinct ranking, its count
being the total number of voters who cast it (identical rankings are summed). The
ranking is written as in PrefLib: tie groups best first separated by ``,``, a
one-candidate group as its number, a larger group as its numbers in increasing order,
separated by ``,`` and enclosed in ``{}``; unranked candidates are omitted and a blank
ballot (nothing ranked) is written ``{}``. Example: ``42: 1,{2,4}``. These ranking
lines are sorted in increasing order of their text (Unicode code points, as Python's
``sorted`` does; ``"10: 1"`` sorts before ``"2: 1"``). There are no spaces other than
the one after ``:`` and none at line ends.

``digest(profile)`` is the lowercase hexadecimal SHA-256 of the UTF-8 bytes of the
canonical form. ``tie_break_order(profile)`` sorts the candidates by the lowercase
hexadecimal SHA-256 of the UTF-8 bytes of ``digest + name`` (the 64 hex digits directly
followed by the candidate's name), ascending. The first candidate of that order is
the most favoured one: it wins a tie that must be broken, and in instant-runoff the
candidate that comes *last* is eliminated first. Because the form only depends on the
candidate order and on the multiset of rankings, the same ballots exported as PrefLib,
BLT or the project's CSV give the same digest and the same order.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from typing import TypeAlias

import numpy as np

__all__ = [
    "BallotError",
    "Ballots",
    "Candidate",
    "Ranking",
    "canonical_form",
    "digest",
    "tie_break_order",
]

Candidate: TypeAlias = str | int
"""A candidate, by name or by 0-based index in the candidate tuple."""

Ranking: TypeAlias = Sequence[Candidate | Iterable[Candidate]]
"""Tie groups best first; a bare name or index stands for a one-candidate group."""

NamedRanking: TypeAlias = tuple[tuple[str, ...], ...]


class BallotError(ValueError):
    """A ballot or a candidate list that cannot be counted (the message is in French)."""


def _check_candidates(candidates: Iterable[str]) -> tuple[str, ...]:
    names = tuple(candidates)
    if not names:
        raise BallotError("aucun candidat")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            raise BallotError(f"nom de candidat invalide : {name!r}")
        # Names travel in line-based files (PrefLib, BLT) and in the canonical form:
        # surrounding blanks or line breaks would not survive a round trip.
        if not name or name != name.strip() or "\n" in name or "\r" in name:
            raise BallotError(f"nom de candidat invalide : « {name} »")
        if name in seen:
            raise BallotError(f"candidat « {name} » déclaré deux fois")
        seen.add(name)
    return names


def _rank_dtype(m: int) -> type[np.unsignedinteger]:
    # The smallest type keeps the million-ballot matrix small enough to stay in cache.
    if m < 255:
        return np.uint8
    if m < 65535:
        return np.uint16
    raise BallotError("trop de candidats")


class Ballots:
    """A collapsed profile: candidate names, a rank matrix and a count per row.

    Build one with `Ballots.from_rankings`, `Ballots.from_counts` or, for large
    generated profiles, directly from a rank matrix. Instances are immutable; the
    canonical form and digest are computed once and cached.
    """

    __slots__ = ("_candidates", "_ranks", "_counts", "_voters", "_canonical", "_digest")

    def __init__(
        self,
        candidates: Iterable[str],
        ranks: np.ndarray,
        counts: np.ndarray | Sequence[int] | None = None,
    ) -> None:
        """Wrap a rank matrix (rows: rankings, cells: group position or m if unranked).

        Rows need not be distinct nor their positions consecutive: only the order of
        the values within a row matters. `counts` defaults to one voter per row.
        """
        names = _check_candidates(candidates)
        m = len(names)
        matrix = np.asarray(ranks)
        if matrix.ndim != 2 or matrix.shape[1] != m:
            raise BallotError(f"la matrice des rangs doit avoir {m} colonnes")
        if matrix.size and not np.issubdtype(matrix.dtype, np.integer):
            raise BallotError("la matrice des rangs doit contenir des entiers")
        if matrix.size and (matrix.min() < 0 or matrix.max() > m):
            raise BallotError(f"un rang doit être compris entre 0 et {m}")
        dtype = _rank_dtype(m)
        matrix = np.ascontiguousarray(matrix, dtype=dtype)
        if counts is None:
            weights = np.ones(matrix.shape[0], dtype=np.int64)
        else:
            weights = np.asarray(counts)
            if weights.shape != (matrix.shape[0],):
                raise BallotError("il faut un nombre de bulletins par classement")
            if weights.size and (not np.issubdtype(weights.dtype, np.integer) or weights.min() < 1):
                raise BallotError("le nombre de bulletins doit être un entier positif")
            weights = np.ascontiguousarray(weights, dtype=np.int64)
        matrix.setflags(write=False)
        weights.setflags(write=False)
        self._candidates = names
        self._ranks = matrix
        self._counts = weights
        self._voters = int(weights.sum())
        self._canonical: bytes | None = None
        self._digest: str | None = None

    @classmethod
    def from_rankings(cls, candidates: Iterable[str], rankings: Iterable[Ranking]) -> Ballots:
        """Build a profile from one ranking per voter, collapsing identical rankings."""
        return cls.from_counts(candidates, ((ranking, 1) for ranking in rankings))

    @classmethod
    def from_counts(
        cls, candidates: Iterable[str], items: Iterable[tuple[Ranking, int]]
    ) -> Ballots:
        """Build a profile from (ranking, number of voters) pairs, collapsing duplicates."""
        names = _check_candidates(candidates)
        index = {name: i for i, name in enumerate(names)}
        collapsed: dict[tuple[int, ...], int] = {}
        for ranking, count in items:
            if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
                raise BallotError(f"nombre de bulletins invalide : {count!r}")
            row = _rank_row(ranking, names, index)
            collapsed[row] = collapsed.get(row, 0) + int(count)
        m = len(names)
        matrix = np.array(list(collapsed), dtype=_rank_dtype(m)).reshape(len(collapsed), m)
        return cls(names, matrix, np.fromiter(collapsed.values(), np.int64, len(collapsed)))

    @property
    def candidates(self) -> tuple[str, ...]:
        """Candidate names in file order."""
        return self._candidates

    @property
    def ranks(self) -> np.ndarray:
        """Read-only rank matrix (rows × candidates), ``m`` meaning unranked."""
        return self._ranks

    @property
    def counts(self) -> np.ndarray:
        """Read-only number of voters per row of `ranks`."""
        return self._counts

    @property
    def voters(self) -> int:
        """Total number of voters (ballots)."""
        return self._voters

    def rankings(self) -> list[tuple[NamedRanking, int]]:
        """The distinct rankings (names) with their total counts, in canonical order."""
        result = []
        for line in canonical_form(self).splitlines()[len(self._candidates) + 1 :]:
            count, body = line.split(": ", 1)
            groups = tuple(
                tuple(self._candidates[int(i) - 1] for i in token)
                for token in (_split_body(body) if body != "{}" else [])
            )
            result.append((groups, int(count)))
        return result

    def __repr__(self) -> str:
        return (
            f"Ballots({len(self._candidates)} candidats, {self._voters} bulletins, "
            f"{self._ranks.shape[0]} classements)"
        )


def _rank_row(ranking: Ranking, names: tuple[str, ...], index: dict[str, int]) -> tuple[int, ...]:
    m = len(names)
    row = [m] * m
    if isinstance(ranking, str | bytes):
        # A bare string would otherwise be read as one group per character.
        raise BallotError(f"classement invalide : {ranking!r}")
    for position, group in enumerate(ranking):
        members = [group] if isinstance(group, str | int | np.integer) else list(group)
        if not members:
            raise BallotError("groupe d'ex aequo vide dans un classement")
        for member in members:
            if isinstance(member, str):
                i = index.get(member)
                if i is None:
                    raise BallotError(f"candidat inconnu « {member} »")
            elif isinstance(member, int | np.integer) and not isinstance(member, bool):
                i = int(member)
                if not 0 <= i < m:
                    raise BallotError(f"candidat inconnu « {member} »")
            else:
                raise BallotError(f"candidat inconnu « {member!r} »")
            if row[i] != m:
                raise BallotError(f"candidat « {names[i]} » classé deux fois")
            row[i] = position
    return tuple(row)


@functools.lru_cache(maxsize=8)
def _cell_codes(m: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The codes and texts of every cell a canonical ranking line can be made of.

    A line lists its ranked candidates best first, ties by increasing number; each
    candidate's *cell* is its number, with "{" if it opens a tie group, "}" if it
    closes one and "," unless it is the line's last. Cells are coded 1, 2, … in the
    order of their texts (the blank ballot ``{}`` is one more cell, 0 means "no
    cell"), so comparing two lines cell by cell by code orders them exactly as
    comparing their texts: the cells before the first difference are equal, and there
    either the two texts differ at some byte, or one is a prefix of the other, which
    only happens for a line's last cell, where the shorter line ends.

    Returns the code of each *variant* ``16c + 8·ranked + 4·same as previous + 2·same
    as next + next ranked`` of candidate c (0 when unranked), the text each code
    writes (NUL padded, ``\\n`` after a line's last cell; one uint32 or uint64 per code
    when the texts fit in 4 or 8 bytes) and the blank ballot's code.
    """
    texts: dict[int, bytes] = {}
    for c in range(m):
        for flags in range(8):
            previous, following, next_ranked = flags & 4, flags & 2, flags & 1
            if following and not next_ranked:
                continue  # a tie with an unranked candidate cannot happen
            opens = b"{" if following and not previous else b""
            closes = b"}" if previous and not following else b""
            texts[16 * c + 8 + flags] = opens + b"%d" % (c + 1) + closes + b"," * bool(next_ranked)
    blank = 16 * m
    texts[blank] = b"{}"
    distinct = sorted(set(texts.values()))
    dtype = np.uint8 if len(distinct) < 256 else np.dtype(">u2")  # bytes compare like codes
    code_of = {text: code for code, text in enumerate(distinct, 1)}
    codes = np.zeros(16 * m + 1, dtype=dtype)
    for variant, text in texts.items():
        codes[variant] = code_of[text]
    written = {
        code: text + b"\n" * (text == b"{}" or not text.endswith(b","))
        for text, code in code_of.items()
    }
    width = max(len(text) for text in written.values())
    # Padded to 4 or 8 bytes, a cell's text is one machine word: a plain gather.
    padded = 4 if width <= 4 else 8 if width <= 8 else width
    table: np.ndarray = np.zeros((len(distinct) + 1, padded), dtype=np.uint8)
    for code, text in written.items():
        table[code, : len(text)] = np.frombuffer(text, dtype=np.uint8)
    if padded in (4, 8):
        table = table.view(np.uint32 if padded == 4 else np.uint64).ravel()
    return codes, table, code_of[b"{}"]


def _line_codes(ranks: np.ndarray, m: int) -> np.ndarray:
    """Each row's canonical ranking line, as a row of cell codes (see `_cell_codes`)."""
    n = ranks.shape[0]
    codes, _, blank = _cell_codes(m)
    # Candidates by (position, number), ties by increasing number: sorting one small
    # integer per cell, position in the high bits, is several times faster than an
    # argsort along the rows.
    shift = max(1, (m - 1).bit_length())
    key: np.ndarray = np.left_shift(ranks.astype(np.uint16 if m < 256 else np.uint32), shift)
    key |= np.arange(m, dtype=key.dtype)
    key.sort(axis=1)
    positions = key >> shift
    ranked = positions < m
    same = np.zeros((n, m + 1), dtype=bool)  # same position as the previous cell
    np.equal(positions[:, 1:], positions[:, :-1], out=same[:, 1:m])
    following = np.zeros((n, m + 1), dtype=bool)
    following[:, :m] = ranked
    key &= (1 << shift) - 1  # the candidates, best first
    variant = key if m < 4096 else key.astype(np.uint32)
    variant <<= 4
    variant |= ranked.view(np.uint8) << 3
    variant |= same[:, :m].view(np.uint8) << 2
    variant |= same[:, 1:].view(np.uint8) << 1
    variant |= following[:, 1:]
    line = codes[variant]
    line[~ranked[:, 0], 0] = blank
    return line


def _sorted_lines(ballots: Ballots) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ranking lines as code rows, in text order, with their total counts."""
    ranks, counts = ballots.ranks, ballots.counts
    m = len(ballots.candidates)
    cells = np.ascontiguousarray(_line_codes(ranks, m))
    # One fixed-width bytes key per row: numpy sorts and compares those in C.
    keys = cells.view(f"S{m * cells.itemsize}").ravel()
    if keys.size == 0:
        return cells, counts
    if counts.min() == counts.max():
        keys = np.sort(keys)
        weights = np.full(keys.size, counts[0], dtype=np.int64)
    else:
        order = np.argsort(keys, kind="stable")
        keys, weights = keys[order], counts[order]
    firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    rows = keys[firsts].view(cells.dtype).reshape(firsts.size, m)
    return rows, np.add.reduceat(weights, firsts)


def _canonical_bytes(ballots: Ballots) -> bytes:
    if ballots._canonical is None:
        m = len(ballots.candidates)
        header = [f"# NUMBER ALTERNATIVES: {m}"]
        header += [
            f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(ballots.candidates, 1)
        ]
        parts = ["".join(line + "\n" for line in header).encode("utf-8")]
        rows, counts = _sorted_lines(ballots)
        _, table, _ = _cell_codes(m)
        # Lines sort by their "count: " prefix first (no prefix is a prefix of another,
        # ":" not being a digit), then by ranking text; the rows are already in text
        # order, so a stable sort by prefix puts every line in place.
        values, which = np.unique(counts, return_inverse=True)
        prefixes = [b"%d: " % value for value in values.tolist()]
        rank = np.empty(len(prefixes), dtype=np.int64)
        rank[sorted(range(len(prefixes)), key=prefixes.__getitem__)] = np.arange(len(prefixes))
        if len(prefixes) > 1:
            order = np.argsort(rank[which], kind="stable")
            rows, which = rows[order], which[order]
        bounds: np.ndarray | list[int] = (
            np.flatnonzero(np.r_[True, which[1:] != which[:-1], True]) if rows.size else []
        )
        for start, end in zip(bounds[:-1], bounds[1:], strict=False):
            prefix = prefixes[int(which[start])]
            for low in range(int(start), int(end), 1 << 16):
                # Every cell's padded text (code 0, no cell, is all padding), the padding
                # deleted by bytes.translate in C: "line\nline\n…".
                cells = rows[low : min(low + (1 << 16), int(end))]
                text = table[cells].tobytes().translate(None, b"\x00")
                parts.append(prefix + text[:-1].replace(b"\n", b"\n" + prefix) + b"\n")
        ballots._canonical = b"".join(parts)
    return ballots._canonical


def _split_body(body: str) -> list[list[str]]:
    groups: list[list[str]] = []
    i = 0
    # Each group takes one character at least: len(body) turns at most, a bound so that
    # no slip in the steps below can loop forever.
    for _ in range(len(body)):
        if i >= len(body):
            break
        if body[i] == "{":
            end = body.index("}", i)
            groups.append(body[i + 1 : end].split(","))
            i = end + 2
        else:
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            groups.append([body[i:end]])
            i = end + 1
    return groups


def canonical_form(ballots: Ballots) -> str:
    """The canonical text of a profile (see the module docstring for its exact grammar)."""
    return _canonical_bytes(ballots).decode("utf-8")


def digest(ballots: Ballots) -> str:
    """SHA-256 (lowercase hex) of the UTF-8 canonical form."""
    if ballots._digest is None:
        ballots._digest = hashlib.sha256(_canonical_bytes(ballots)).hexdigest()
    return ballots._digest


def tie_break_order(ballots: Ballots) -> list[str]:
    """Candidates sorted by SHA-256(digest + name), most favoured first."""
    seed = digest(ballots)
    keyed = [
        (hashlib.sha256((seed + name).encode("utf-8")).hexdigest(), i, name)
        for i, name in enumerate(ballots.candidates)
    ]
    return [name for _, _, name in sorted(keyed)]
