"""Password rules (ASVS 6.2, CNIL): length, no composition rules, no common or personal ones.

Pure: the list of common passwords is handed in by the caller.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

MIN_LENGTH = 12
MAX_LENGTH = 256  # long passphrases welcome; never truncated
MIN_ENTROPY_BITS = 50  # CNIL floor for a throttled login


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    PERSONAL = "personal"
    WEAK = "weak"


def normalise(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def estimated_entropy(password: str) -> float:
    """Length × log2(alphabet size), the alphabet guessed from the character classes used."""
    alphabet = 0
    if re.search(r"[a-z]", password):
        alphabet += 26
    if re.search(r"[A-Z]", password):
        alphabet += 26
    if re.search(r"[0-9]", password):
        alphabet += 10
    if re.search(r"[^a-zA-Z0-9]", password):
        alphabet += 33
    distinct = len(set(password))
    if alphabet == 0:
        return 0.0
    # A password of one repeated letter is not 12 letters of entropy.
    effective_length = min(len(password), distinct * 3)
    return effective_length * math.log2(alphabet)


def _words(values: Iterable[str | None]) -> set[str]:
    words: set[str] = set()
    for value in values:
        if not value:
            continue
        for part in re.split(r"[^\w]+", value.lower()):
            if len(part) >= 4:
                words.add(part)
    return words


def check_password(
    password: str,
    *,
    common: set[str] | frozenset[str],
    personal: Iterable[str | None] = (),
) -> list[PasswordProblem]:
    """Return the problems of a password (empty list: acceptable)."""
    password = normalise(password)
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(PasswordProblem.TOO_LONG)
    lowered = password.lower()
    if lowered in common or re.sub(r"\d+$", "", lowered) in common and len(lowered) < 16:
        problems.append(PasswordProblem.COMMON)
    # Built from the user's name or e-mail: once those words are removed, little is left.
    words = sorted(_words(personal), key=len, reverse=True)
    if any(word in lowered for word in words):
        rest = lowered
        for word in words:
            rest = rest.replace(word, "")
        if len(re.sub(r"[\W\d_]", "", rest)) < 8:
            problems.append(PasswordProblem.PERSONAL)
    if not problems and estimated_entropy(password) < MIN_ENTROPY_BITS:
        problems.append(PasswordProblem.WEAK)
    return problems
