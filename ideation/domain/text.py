"""Plain-text hygiene for what users type (names, titles)."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and zero-width characters let a name pretend to be another.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(value: str | None) -> str:
    """NFC, no control characters, trimmed; newlines kept for multi-line texts."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    return _CONTROL.sub("", value).strip()


def has_invisible_characters(value: str) -> bool:
    return bool(_INVISIBLE.search(value))


def clean_line(value: str | None) -> str:
    """A one-line value: normalised, invisible characters removed, spaces collapsed."""
    value = _INVISIBLE.sub("", normalise_text(value))
    return " ".join(value.split())
