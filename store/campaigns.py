"""The config's campaigns and their periods, copied into ``campaigns`` / ``campaign_periods``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from areaplan.core.campaigns import CampaignPeriod, CampaignRow
from areaplan.core.clock import utcnow
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def sync_campaigns(db: sqlite_utils.Database, campaigns: Iterable[CampaignRow]) -> None:
    """Replace the ``campaigns`` and ``campaign_periods`` rows with ``campaigns``, atomically."""
    now = utcnow()
    with transaction(db):
        db.execute("DELETE FROM campaign_periods")
        db.execute("DELETE FROM campaigns")
        for c in campaigns:
            db.execute(
                "INSERT INTO campaigns (id, kind, title_th, deadline, due_day, start_month, end_month, synced_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [c.id, c.kind, c.title_th, c.deadline.isoformat() if c.deadline else None, c.due_day,
                 c.start_month, c.end_month, now],
            )
            db.conn.executemany(
                "INSERT INTO campaign_periods (campaign_id, kind, period, opens_on, due_on, visible_until)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(p.campaign_id, p.kind, p.period, p.opens_on.isoformat(), p.due_on.isoformat(),
                  p.visible_until.isoformat()) for p in c.periods],
            )


def campaign_titles(db: sqlite_utils.Database) -> dict[str, str]:
    """``{campaign id: title_th}``."""
    return {r[0]: r[1] for r in db.execute("SELECT id, title_th FROM campaigns")}


def visible_periods(db: sqlite_utils.Database, on: date) -> list[CampaignPeriod]:
    """The periods a digest for ``on`` reports on (open on that day, or recently due), by due date."""
    return _periods(db, "WHERE opens_on <= :on AND visible_until >= :on", {"on": on.isoformat()})


def all_periods(db: sqlite_utils.Database) -> list[CampaignPeriod]:
    """Every stored period, oldest due date first."""
    return _periods(db, "", {})


def _periods(db: sqlite_utils.Database, where: str, params: Mapping[str, Any]) -> list[CampaignPeriod]:
    rows = db.execute(
        "SELECT campaign_id, kind, period, opens_on, due_on, visible_until FROM campaign_periods"
        f" {where} ORDER BY due_on, campaign_id",
        dict(params),
    ).fetchall()
    return [CampaignPeriod(r[0], r[1], r[2], date.fromisoformat(r[3]), date.fromisoformat(r[4]),
                           date.fromisoformat(r[5])) for r in rows]
