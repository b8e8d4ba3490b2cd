"""Assisted accounts: the claim code printed on the participation card, and the consent.

Pure Python. The code is read aloud and typed by people not at ease with keyboards: no
letter or digit that looks like another (0/O, 1/I/L, 2/Z, 5/S, 8/B), grouped by five.
"""

from __future__ import annotations

import hashlib
import secrets

# 25 symbols, 10 of them: about 46 bits, single-use and rate-limited at the claim page.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 10

# The wording read to the person and ticked by the host; stored verbatim with the account.
CONSENT_WORDING = (
    "La personne est présente. Elle accepte que nous créions son compte sur la Fabrique "
    "avec son nom et sa résidence (et son téléphone si elle le donne), pour participer aux "
    "ateliers et aux votes. Elle sait qu'elle peut reprendre son compte avec le code de sa "
    "carte, le faire corriger ou le supprimer à tout moment."
)
# Read before an entry made for someone (idea, support, comment).
ON_BEHALF_WORDING = (
    "La personne est présente et elle est d'accord pour que je saisisse ceci en son nom."
)


def new_claim_code() -> str:
    """A fresh code, as printed: "ACDEF-GHJKM"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_claim_code(typed: str) -> str:
    """What the person typed, as stored before hashing: upper case, no spaces or dashes."""
    return "".join(c for c in typed.upper() if c.isalnum())[: LENGTH * 2]


def claim_code_hash(code: str) -> str:
    """SHA-256 of the normalised code: a copy of the table gives no code."""
    return hashlib.sha256(normalise_claim_code(code).encode()).hexdigest()


def french_at(place: str) -> str:
    """« aux Tilleuls », « au Parc », « à la Source », « à l'Orée », « à Vaulx » (the
    preposition French puts before a place name)."""
    for article, preposition in (
        ("Les ", "aux "),
        ("Le ", "au "),
        ("La ", "à la "),
        ("L'", "à l'"),
    ):
        if place.startswith(article) and len(place) > len(article):
            return preposition + place[len(article) :]
    return "à " + place
