"""Dates for Thai readers (Buddhist era), in the style ``[digest].date_style`` chooses.

The formatting itself is ``parsers.thai_text.format_thai_date``; this module only
adds the digest's choices (style, Thai digits) and times of day.
"""

from __future__ import annotations

from datetime import date, datetime

from areaplan.core.clock import to_bangkok
from areaplan.core.thai_text import arabic_digits_to_thai, format_thai_date

__all__ = ["arabic_digits_to_thai", "thai_date", "thai_datetime", "thai_month", "to_thai_time"]


def thai_date(d: date, style: str = "long", thai_digits: bool = False) -> str:
    """``28 มีนาคม 2564`` / ``28 มี.ค. 2564`` / ``๒๘ มีนาคม ๒๕๖๔``."""
    return format_thai_date(d, style=style, thai_digits=thai_digits)


to_thai_time = to_bangkok


def thai_datetime(when: datetime | str, style: str = "short", thai_digits: bool = False) -> str:
    """An instant in Thai time: ``28 มี.ค. 2564 14:05 น.``."""
    local = to_thai_time(when)
    clock = f"{local.hour:02d}:{local.minute:02d} น."
    if thai_digits:
        clock = arabic_digits_to_thai(clock)
    return f"{thai_date(local.date(), style, thai_digits)} {clock}"


def thai_month(period: str, thai_digits: bool = False) -> str:
    """``"2021-03"`` -> ``มีนาคม 2564``."""
    year, month = (int(x) for x in period.split("-"))
    text = format_thai_date(date(year, month, 1), style="long", thai_digits=thai_digits)
    return text.split(" ", 1)[1]
