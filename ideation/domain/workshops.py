"""Workshops (ateliers, rencontres): registration statuses and the calendar file.

Pure Python: plain values in, plain values out. The rules of who may do what are in
permissions.py (`can_register_workshop`, `can_run_workshop`, …).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from ideation.domain.challenge_phases import N_


class RegistrationStatus(StrEnum):
    """registered → attended | cancelled | no_show; waiting → registered (promoted) | cancelled."""

    REGISTERED = "registered"
    WAITING = "waiting"  # the workshop was full: in line, by time of registration
    ATTENDED = "attended"  # checked in at the door
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


STATUS_LABELS = {
    RegistrationStatus.REGISTERED: N_("Inscrit·e"),
    RegistrationStatus.WAITING: N_("En liste d'attente"),
    RegistrationStatus.ATTENDED: N_("Présent·e"),
    RegistrationStatus.CANCELLED: N_("Désinscrit·e"),
    RegistrationStatus.NO_SHOW: N_("Absent·e"),
}

# The statuses that take one of the workshop's places (its counter counts them).
HOLDS_PLACE = frozenset({RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED})
# Someone with one of these is "in" (registered or in line) and may cancel before the start.
ACTIVE = frozenset({RegistrationStatus.REGISTERED, RegistrationStatus.WAITING})

CAPACITY_MAX = 500
# The reminder goes to people registered for a workshop that starts within this window.
REMINDER_HOURS = 24


def places_left(capacity: int, taken: int) -> int:
    return max(capacity - taken, 0)


# --- the .ics file (RFC 5545) ---------------------------------------------------------


def ics_escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line
    breaks written as \\n; other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c == "\n" or c == "\t" or ord(c) >= 32)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued on lines starting with a space (§3.1);
    never cuts a UTF-8 character in two."""
    out: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
            limit = 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    location: str,
    url: str,
    now: datetime,
) -> str:
    """One VEVENT in a VCALENDAR, times in UTC, CRLF line endings, folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fabrique de la proximite//Ateliers//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{ics_escape(uid)}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(ends_at)}",
        f"SUMMARY:{ics_escape(summary)}",
        f"DESCRIPTION:{ics_escape(description)}",
        f"LOCATION:{ics_escape(location)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
