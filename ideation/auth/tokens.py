"""Signed, expiring tokens for e-mail verification and password reset."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# The assisted accounts' claim codes (ideation/assisted) are random, not signed: printed on
# a card, typed by hand, single-use; only their SHA-256 is stored, like session keys.
from ideation.domain.assisted import claim_code_hash as claim_code_hash
from ideation.domain.assisted import new_claim_code as new_claim_code


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(password_hash: str) -> str:
    # The reset token is bound to the current password hash: once the password
    # changes, the token no longer matches, so it works exactly once.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def make_verify_token(user_id: int, email: str) -> str:
    return _serializer("verify-email").dumps({"u": user_id, "e": email})


def read_verify_token(token: str) -> dict | None:
    try:
        return _serializer("verify-email").loads(
            token, max_age=current_app.config["VERIFY_TOKEN_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None


def make_reset_token(user_id: int, password_hash: str) -> str:
    return _serializer("reset-password").dumps({"u": user_id, "p": _fingerprint(password_hash)})


def read_reset_token(token: str) -> dict | None:
    try:
        return _serializer("reset-password").loads(
            token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None


def reset_token_matches(data: dict, password_hash: str) -> bool:
    return data.get("p") == _fingerprint(password_hash)
