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
            raise BallotError(f"nom de candidat invalide : « {name} »")
        if name in seen:
            raise BallotError(f"candidat « {name} » déclaré deux fois")
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
                    raise BallotError(f"candidat inconnu « {member} »")
            elif isinstance(member, int | np.integer) and not isinstance(member, bool):
                i = int(member)
                if not 0 <= i < m:
                    raise BallotError(f"candidat inconnu « {member} »")
            else:
                raise BallotError(f"candidat inconnu « {member!r} »")
            if row[i] != m:
                raise BallotError(f"candidat « {names[i]} » classé deux fois")
            row[i] = position
    return tuple(row)


def _bodies(ranks: np.ndarray) -> list[bytes]:
    """The PrefLib ranking text (ASCII bytes, 1-based numbers) of every matrix row."""
    n, m = ranks.shape
    if n == 0:
        return []
    bodies: list[bytes | None] = [None] * n
    ranked = ranks < m
    lengths = ranked.sum(axis=1)
    # Fast path, for rows without ties whose positions are 0..k-1 (every row built by
    # `from_counts`, and the bulk of real ballots): scattering each candidate to its
    # position gives the row's order without sorting. Column m swallows the unranked.
    order = np.full((n, m + 1), m, dtype=np.int32)
    order[np.arange(n)[:, None], ranks] = np.arange(m, dtype=np.int32)[None, :]
    order = order[:, :m]
    # Rows with `length` distinct positions, the largest being length - 1, hold
    # exactly positions 0..length-1.
    highest = np.where(ranked, ranks, 0).max(axis=1)
    simple = ((order < m).sum(axis=1) == lengths) & (lengths > 0) & (highest == lengths - 1)
    fast = np.flatnonzero(simple)
    if fast.size:
        labels = [str(i + 1).encode() for i in range(m)]
        # One fixed-width cell per (row, position): the number, NUL padding, then ","
        # (or "\n" after the row's last candidate). A cell fits in one 4- or 8-byte
        # integer, so building the block is a single gather; dropping the NUL bytes
        # and splitting on "\n" then yields every row's text in C speed.
        cell = 4 if max(len(label) for label in labels) < 4 else 8
        table = np.zeros((m + 1, cell), dtype=np.uint8)
        for i, label in enumerate(labels):
            table[i, : len(label)] = np.frombuffer(label, dtype=np.uint8)
            table[i, cell - 1] = ord(",")
        packed = table.view(np.uint32 if cell == 4 else np.uint64)[:, 0]
        for start in range(0, fast.size, 1 << 17):
            chunk = fast[start : start + (1 << 17)]
            cells = np.take(packed, order[chunk]).view(np.uint8).reshape(chunk.size, m, cell)
            cells[np.arange(chunk.size), lengths[chunk] - 1, cell - 1] = ord("\n")
            flat = cells.ravel()
            texts = flat[flat != 0].tobytes().split(b"\n")
            if fast.size == n:
                bodies[start : start + chunk.size] = texts[: chunk.size]
            else:
                for row, text in zip(chunk.tolist(), texts, strict=False):
                    bodies[row] = text
    for row in np.flatnonzero(~simple).tolist():
        bodies[row] = _slow_body(ranks[row].tolist(), m).encode()
    return bodies  # type: ignore[return-value]


def _slow_body(values: list[int], m: int) -> str:
    """One row's ranking text, for rows with ties, gaps or nothing ranked."""
    ranked = sorted((value, i) for i, value in enumerate(values) if value < m)
    if not ranked:
        return "{}"
    parts: list[str] = []
    start = 0
    while start < len(ranked):
        end = start + 1
        while end < len(ranked) and ranked[end][0] == ranked[start][0]:
            end += 1
        group = [str(i + 1) for _, i in ranked[start:end]]
        parts.append(group[0] if len(group) == 1 else "{" + ",".join(group) + "}")
        start = end
    return ",".join(parts)


def _aggregate(ballots: Ballots) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ranking texts (sorted numpy bytes array) and their total counts."""
    texts = np.array(_bodies(ballots.ranks), dtype=bytes)
    counts = ballots.counts
    if texts.size == 0:
        return texts, counts
    if (counts == counts[0]).all():
        # Every row weighs the same (typically one voter each): a plain sort, about
        # three times faster than the argsort the general case needs.
        texts = np.sort(texts)
        firsts = np.flatnonzero(np.r_[True, texts[1:] != texts[:-1]])
        if firsts.size == texts.size:
            return texts, counts
        sizes = np.diff(np.r_[firsts, texts.size])
        return texts[firsts], sizes * counts[0]
    order = np.argsort(texts, kind="stable")
    texts = texts[order]
    firsts = np.flatnonzero(np.r_[True, texts[1:] != texts[:-1]])
    return texts[firsts], np.add.reduceat(counts[order], firsts)


def _split_body(body: str) -> list[list[str]]:
    groups: list[list[str]] = []
    i = 0
    while i < len(body):
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


def _canonical_bytes(ballots: Ballots) -> bytes:
    if ballots._canonical is None:
        header = [f"# NUMBER ALTERNATIVES: {len(ballots.candidates)}"]
        header += [
            f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(ballots.candidates, 1)
        ]
        parts = ["".join(line + "\n" for line in header).encode("utf-8")]
        texts, counts = _aggregate(ballots)
        # Lines sort by their "count: " prefix first (no prefix is a prefix of another,
        # ":" not being a digit), then by ranking text; the texts are already sorted,
        # so each count's lines come out in order and only the prefixes need sorting.
        if counts.size and counts.min() == counts.max():
            groups = {int(counts[0]): texts}
        else:
            groups = {int(c): texts[counts == c] for c in np.unique(counts).tolist()}
        for count in sorted(groups, key=lambda c: b"%d: " % c):
            prefix = b"%d: " % count
            parts.append(prefix + (b"\n" + prefix).join(groups[count].tolist()) + b"\n")
        ballots._canonical = b"".join(parts)
    return ballots._canonical


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
