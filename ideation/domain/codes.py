"""Codes people read off paper and type on a phone: short links and chosen invitation codes.

Short links (`/d/<code>` for a challenge, `/a/<code>` for a workshop) are derived from
the row's id, so no column, no backfill and no collision: the id written in base 32 over
an alphabet without 0/O/1/I, at least three characters, then one check character. The
check is a weighted sum with odd weights modulo 32 (odd weights are prime to 32), so a
single mistyped character never lands on another challenge; most swaps of two
neighbours are caught too. Ids are no secret here (workshop pages carry them already, a
draft challenge's link resolves only for those who may see it).
"""

from __future__ import annotations

import re

from ideation.domain.challenge_phases import N_

# No 0/O/1/I: the code is read off a poster and typed on a phone.
SHORT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_BASE = len(SHORT_ALPHABET)
_MIN_BODY = 3
_MAX_LENGTH = 12  # a bound on what the URL may carry: ids stay far below 32**11
_VALUES = {c: i for i, c in enumerate(SHORT_ALPHABET)}


def _check(values: list[int]) -> str:
    return SHORT_ALPHABET[sum(v * (2 * i + 1) for i, v in enumerate(values)) % _BASE]


def short_code(row_id: int) -> str:
    """The short code of a positive id: "2A5K" style, upper case."""
    if row_id < 1:
        raise ValueError("ids start at 1")
    digits: list[int] = []
    n = row_id
    while n:
        n, d = divmod(n, _BASE)
        digits.append(d)
    while len(digits) < _MIN_BODY:
        digits.append(0)
    values = digits[::-1]
    return "".join(SHORT_ALPHABET[v] for v in values) + _check(values)


def read_short_code(text: str) -> int | None:
    """The id a short code stands for; None for anything that is not one (typo, noise)."""
    code = (text or "").strip().upper()
    if not (_MIN_BODY + 1 <= len(code) <= _MAX_LENGTH) or any(c not in _VALUES for c in code):
        return None
    values = [_VALUES[c] for c in code[:-1]]
    if _check(values) != code[-1]:
        return None
    row_id = 0
    for v in values:
        row_id = row_id * _BASE + v
    if row_id < 1 or short_code(row_id) != code:  # one spelling per id (no extra leading 2s)
        return None
    return row_id


# --- invitation codes an administrator chooses ("COMPAGNONS26") ---------------------------
# A chosen code reads as a word, so its letters are unambiguous (O and I are letters in a
# word); the digits 0 and 1 are refused because on a poster they pass for O and I (or L).
READABLE_MIN = 6
READABLE_MAX = 20
_READABLE = re.compile(r"[A-Z2-9]+")


def normalise_readable_code(text: str) -> str:
    return (text or "").strip().upper()


def readable_code_problem(code: str) -> str | None:
    """Why a chosen invitation code is refused (a French message to translate), or None."""
    if not (READABLE_MIN <= len(code) <= READABLE_MAX):
        return N_("Entre 6 et 20 caractères.")
    if not _READABLE.fullmatch(code):
        return N_(
            "Seulement des lettres sans accent et les chiffres 2 à 9 "
            "(0 et 1 se confondent avec O et I)."
        )
    return None
