"""Time for people: days are Paris days, stored moments are UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def today() -> date:
    """Today in Paris: what "overdue" and dashboard periods are measured against."""
    return datetime.now(PARIS).date()


def day_start(day: date | None) -> datetime | None:
    """Midnight at the start of a day in Paris, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=PARIS) if day else None


def day_end(day: date | None) -> datetime | None:
    """Midnight at the end of a day in Paris: the day itself is still open."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=PARIS) if day else None


def paris_day(moment: datetime | None, end: bool = False) -> date | None:
    """The Paris day of a moment; with `end`, the last open day of a period ending then."""
    if moment is None:
        return None
    local = moment.astimezone(PARIS)
    return (local - timedelta(days=1)).date() if end else local.date()


def paris_moment(day: date, at: time) -> datetime:
    """A Paris wall-clock time on a Paris day, as an aware datetime (summer time included)."""
    return datetime.combine(day, at, tzinfo=PARIS)


def paris_clock(moment: datetime) -> time:
    """The Paris wall-clock time of a stored (UTC) moment."""
    return moment.astimezone(PARIS).time().replace(second=0, microsecond=0)
