"""The country at a glance on the desk: the digest's tile map of the nominating period."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    import sqlite_utils


def country_map(db: sqlite_utils.Database, on: date) -> Markup | None:
    """The 76 provinces coloured by status for the latest role-model period, as of the Thai day ``on``."""
    from areaplan.core.clock import end_of_day_utc
    from areaplan.digest import tile_map
    from areaplan.store.campaigns import all_periods
    from areaplan.store.gazetteer import province_names
    from areaplan.store.status import province_status_rows

    periods = [p for p in all_periods(db) if p.kind == "role_model"]
    if not periods:
        return None
    rows = province_status_rows(db, end_of_day_utc(on), periods[-1:])
    grid = tile_map.tiles({r["province_code"]: r["status"] for r in rows}, province_names(db))
    return Markup(tile_map.html_grid(grid))
