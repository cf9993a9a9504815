"""Time as areaplan reads and writes it: UTC in the store, Thai time for people.

Every ``*_at`` column holds ISO-8601 with an offset (``utcnow``). A timestamp without an
offset (an old row, a hand-written SQL value) is read as UTC, everywhere, by ``to_bangkok``.
Thailand has been UTC+7 without daylight saving since 1920.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def utcnow() -> str:
    """An ISO-8601 UTC timestamp with seconds, as stored in every *_at column."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def to_bangkok(when: datetime | str) -> datetime:
    """An ISO-8601 string or datetime in Thai time (naive values are taken as UTC)."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(BANGKOK)


def today_bangkok() -> date:
    """Today's date in Thailand."""
    return datetime.now(BANGKOK).date()


def end_of_day_utc(on: date) -> str:
    """The instant the Thai day ``on`` ends, as an ISO-8601 string (the digest's cutoff)."""
    end = datetime.combine(on + timedelta(days=1), datetime.min.time(), BANGKOK)
    return end.isoformat()
