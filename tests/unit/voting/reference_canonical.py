"""The canonical form as main computed it before the vectorised one: the reference.

Kept only for the tests, which check on random profiles (ties, gaps, blanks, uneven
counts) that `ballots._canonical_bytes` writes the very same bytes.
"""

from __future__ import annotations

import numpy as np

from ideation.domain.voting.ballots import Ballots


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


def reference_canonical_bytes(ballots: Ballots) -> bytes:
    """The canonical form's bytes, computed the old way (no cache)."""
    header = [f"# NUMBER ALTERNATIVES: {len(ballots.candidates)}"]
    header += [f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(ballots.candidates, 1)]
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
    return b"".join(parts)
