"""The order in which a ballot lists the candidates: random, different per voter or sheet.

Everyone seeing the shortlist in the same order favours the ideas listed first (the
ballot-order effect). Each voter online, and each printed paper sheet, gets its own
order, drawn from a keyed hash of who (or which sheet) it is for: stable for that voter
across visits and servers (no column to store), unpredictable without the site's key,
and independent between voters. The order only changes what is shown; a ranking is
stored by idea ids, so it never changes what is counted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence


def ballot_order(candidate_ids: Sequence[int], key: bytes, seed: str) -> list[int]:
    """`candidate_ids` sorted by HMAC-SHA256(key, seed + id): a shuffle fixed by `seed`.

    `seed` names the ballot ("challenge 12, voter 345", "sheet 7KQ2"); the same seed
    always gives the same order, and adding or removing a candidate leaves the others
    in the same relative order. Ties between hashes (never seen in practice) fall
    back to the id, so the result is a total order whatever happens.
    """

    def rank(candidate_id: int) -> tuple[bytes, int]:
        message = f"{seed}\x1f{candidate_id}".encode()
        return hmac.new(key, message, hashlib.sha256).digest(), candidate_id

    return sorted(candidate_ids, key=rank)


def voter_seed(challenge_id: int, voter_id: int) -> str:
    """The seed of a voter's own order in a vote."""
    return f"vote:{challenge_id}:voter:{voter_id}"


def sheet_seed(challenge_id: int, sheet_code: str) -> str:
    """The seed of a printed paper sheet's order (its code is printed on it)."""
    return f"vote:{challenge_id}:sheet:{sheet_code}"
