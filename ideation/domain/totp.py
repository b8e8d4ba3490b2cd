"""Time-based one-time passwords (RFC 6238, RFC 4226), the app codes of a second factor.

Pure: the clock and the secret are handed in. Codes are 6 digits, 30-second steps,
HMAC-SHA1 — what every authenticator app expects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    """160 random bits, base32 without padding (what authenticator apps take)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:  # noqa: ANN001
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: str, unix_time: float) -> str:
    return hotp(_key(secret), time_step(unix_time))


def verify(
    secret: str, code: str, unix_time: float, last_step: int | None = None, window: int = 1
) -> int | None:
    """The time step a code matches (±window steps for clock drift), or None.

    A step at or before `last_step` is refused: a code works once (no replay).
    """
    # ASCII digits only: "²".isdigit() is True, and compare_digest refuses non-ASCII text.
    code = "".join(ch for ch in (code or "") if ch in "0123456789")
    if len(code) != DIGITS:
        return None
    key = _key(secret)
    now = time_step(unix_time)
    for step in range(now - window, now + window + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "Fabrique") -> str:
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
