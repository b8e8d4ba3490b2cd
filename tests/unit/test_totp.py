"""RFC 6238 test vectors (SHA-1, 8 digits) and the one-time rule."""

import hashlib

import pytest

from ideation.domain import totp

RFC_SECRET = b"12345678901234567890"


@pytest.mark.parametrize(
    "unix_time, expected",
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc6238_sha1_vectors(unix_time, expected):
    assert (
        totp.hotp(RFC_SECRET, totp.time_step(unix_time), digits=8, digest=hashlib.sha1) == expected
    )


def test_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314"]
    assert [totp.hotp(RFC_SECRET, i) for i in range(5)] == expected


def test_a_code_verifies_within_one_step_of_drift():
    secret = totp.new_secret()
    now = 1_800_000_000
    code = totp.code_at(secret, now - 30)
    assert totp.verify(secret, code, now) == totp.time_step(now - 30)
    assert totp.verify(secret, totp.code_at(secret, now - 90), now) is None


def test_a_code_works_only_once():
    secret = totp.new_secret()
    now = 1_800_000_000
    step = totp.verify(secret, totp.code_at(secret, now), now)
    assert step is not None
    assert totp.verify(secret, totp.code_at(secret, now), now, last_step=step) is None


def test_codes_with_spaces_are_accepted_and_garbage_refused():
    secret = totp.new_secret()
    now = 1_800_000_000
    code = totp.code_at(secret, now)
    assert totp.verify(secret, f"{code[:3]} {code[3:]}", now) is not None
    assert totp.verify(secret, "abc", now) is None
    assert totp.verify(secret, "", now) is None


def test_secret_has_160_bits_and_a_provisioning_uri():
    secret = totp.new_secret()
    assert len(secret) == 32
    uri = totp.provisioning_uri(secret, "anne@example.test")
    assert uri.startswith("otpauth://totp/Fabrique%3Aanne%40example.test?secret=")


def test_the_secret_is_shown_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == (
        "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567"
    )
    assert totp.grouped("ABCDEF") == "ABCD EF"
    assert totp.grouped("") == ""
