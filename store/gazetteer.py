"""The ``provinces`` / ``districts`` / ``zones`` tables, filled from the bundled gazetteer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from areaplan.store.rows import rows_as_dicts
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def ensure_gazetteer_loaded(
    db: sqlite_utils.Database, zone_overrides: Mapping[str, int] | None = None
) -> bool:
    """Fill ``provinces``/``districts``/``zones`` from the bundled gazetteer if they are empty,
    and keep each province's zone equal to the gazetteer's with the config's overrides
    (``[gazetteer].zone_overrides``), so removing an override also takes effect.

    Uses the same loader as the parsers (``parsers.gazetteer``). Returns True when the tables
    were filled by this call.
    """
    from areaplan.core.gazetteer import Gazetteer

    try:
        gaz = Gazetteer.load(dict(zone_overrides) if zone_overrides else None)
    except ValueError as err:
        from areaplan.core.config import ConfigError

        raise ConfigError(
            f"gazetteer.zone_overrides: {err}; use province codes from areaplan/core/gazetteer_data/provinces.csv"
        ) from None
    loaded = False
    with transaction(db):
        if db.execute("SELECT COUNT(*) FROM provinces").fetchone()[0] == 0:
            db.conn.executemany(
                "INSERT INTO provinces (code, name_th, name_en, zone, abbr_th) VALUES (?, ?, ?, ?, ?)",
                [(p.code, p.name_th, p.name_en or None, p.zone, p.abbr_th or None) for p in gaz.provinces],
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO zones (zone, name_th, province_group_th) VALUES (?, ?, ?)",
                [(z.number, z.name_th, z.province_group_th or None) for z in gaz.zones.values()],
            )
            db.conn.executemany(
                "INSERT OR REPLACE INTO districts (code, province_code, name_th, name_en, kind) VALUES (?, ?, ?, ?, ?)",
                [(d.code, d.province_code, d.name_th, d.name_en or None, d.kind or None) for d in gaz.districts],
            )
            loaded = True
            log.info("loaded the gazetteer: %d provinces, %d districts, %d zones",
                     len(gaz.provinces), len(gaz.districts), len(gaz.zones))
        else:
            db.conn.executemany(
                "UPDATE provinces SET zone = ? WHERE code = ? AND zone IS NOT ?",
                [(p.zone, p.code, p.zone) for p in gaz.provinces],
            )
    return loaded


def zones(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every inspection zone with its name, group name and number of provinces, by number."""
    return rows_as_dicts(db, """
        SELECT z.zone, z.name_th, z.province_group_th,
               (SELECT COUNT(*) FROM provinces p WHERE p.zone = z.zone) AS provinces
        FROM zones z ORDER BY z.zone""", {})

