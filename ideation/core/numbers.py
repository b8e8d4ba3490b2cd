"""Integers from URLs, query strings and forms: ASCII digits only, bounded, or nothing.

Python's own parsing is too generous for input: `int("٣")` is 3, `int("1_000")` is 1000,
`int(" 7 ")` is 7, `"²".isdigit()` is True (and `int("²")` then fails), and an integer
of any size parses, then overflows the database (a 500). Every integer a visitor can
send goes through `parse_int`; URL segments through `BoundedIntegerConverter`, registered in
place of Werkzeug's "int" so `<int:idea_id>` routes need no change.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter, ValidationError

# The database's INTEGER (PostgreSQL int4): every id and count column.
INT32_MAX = 2**31 - 1
# Far beyond any list's last page, small enough for any OFFSET.
PAGE_MAX = 100_000

_ASCII_DIGITS = frozenset("0123456789")


def parse_int(text: Any, max_value: int = INT32_MAX, min_value: int = 0) -> int | None:
    """The integer written in `text` with ASCII digits only, within bounds; else None."""
    if not isinstance(text, str) or not text or len(text) > len(str(max_value)):
        return None
    if not _ASCII_DIGITS.issuperset(text):
        return None
    value = int(text)
    return value if min_value <= value <= max_value else None


def parse_page(text: Any) -> int:
    """A page number from the query string: 1 when missing or not a sensible number."""
    return parse_int(text, PAGE_MAX, 1) or 1


def parse_id(text: Any) -> int | None:
    """A row id (1..2**31-1) from a query string or a form; None otherwise."""
    return parse_int(text, INT32_MAX, 1)


class BoundedIntegerConverter(BaseConverter):
    """`<int:name>`: ASCII digits, 1..2**31-1 (`max=` may raise it to 2**63-1); else 404."""

    regex = r"[0-9]+"
    weight = 50
    part_isolating = True

    def __init__(self, map: Any, *args: Any, min: int = 1, max: int = INT32_MAX, **kwargs: Any):  # noqa: A002
        super().__init__(map, *args, **kwargs)
        self.min_value = min
        self.max_value = max

    def to_python(self, value: str) -> int:
        number = parse_int(value, self.max_value, self.min_value)
        if number is None:
            raise ValidationError
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


def coerce_int(value: Any) -> int:
    """`coerce=` for select fields: an id or 0 ("none"), ASCII digits, within INTEGER.

    WTForms turns the ValueError into a form error, where `int` would let a huge number
    through to a query (validate_choice=False fields) and the database.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = parse_int(value, INT32_MAX, 0)
    if number is None:
        raise ValueError("not a number")
    return number
