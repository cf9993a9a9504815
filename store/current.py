"""Which submission of a province and period is the current one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def refresh_current(db: sqlite_utils.Database, campaign: str, period: str, province: str | None) -> None:
    """Mark the newest submission of (campaign, period, province) current, the others not."""
    if province is None:
        db.execute(
            "UPDATE submissions SET is_current = 0 WHERE campaign = ? AND period = ? AND province_code IS NULL",
            [campaign, period],
        )
        return
    db.execute(
        """UPDATE submissions SET is_current = (id = (
               SELECT id FROM submissions WHERE campaign = ? AND period = ? AND province_code = ?
               ORDER BY received_at DESC, id DESC LIMIT 1))
           WHERE campaign = ? AND period = ? AND province_code = ?""",
        [campaign, period, province] * 2,
    )
