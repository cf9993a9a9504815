"""The ``runs`` table: one row per poll, import, reparse or digest run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from areaplan.store.db import utcnow

if TYPE_CHECKING:
    import sqlite_utils


@dataclass
class RunCounts:
    seen: int = 0  # messages looked at (fetched or read from files)
    stored: int = 0  # new messages stored
    duplicates: int = 0  # already stored
    parsed: int = 0
    review: int = 0  # parsed and sent to review
    refused: list[str] = field(default_factory=list)  # files or messages not imported, and why

    def summary(self, kind: str) -> str:
        text = (
            f"{kind}: {self.seen} seen, {self.stored} new, {self.duplicates} already stored, "
            f"{self.parsed} parsed, {self.review} to review"
        )
        return text + (f", {len(self.refused)} refused" if self.refused else "")


def start_run(db: sqlite_utils.Database, kind: str) -> int:
    cur = db.execute(
        "INSERT INTO runs (kind, started_at, status, pid) VALUES (?, ?, 'running', ?)", [kind, utcnow(), os.getpid()]
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def finish_run(
    db: sqlite_utils.Database, run: int, status: str, counts: RunCounts, summary: str, error: str | None = None
) -> None:
    db.execute(
        """UPDATE runs SET finished_at = ?, status = ?, seen = ?, stored = ?, duplicates = ?, parsed = ?,
           review = ?, summary = ?, error = ? WHERE id = ?""",
        [utcnow(), status, counts.seen, counts.stored, counts.duplicates, counts.parsed, counts.review, summary, error, run],
    )


def record_skipped(db: sqlite_utils.Database, kind: str, why: str) -> None:
    now = utcnow()
    db.execute(
        "INSERT INTO runs (kind, started_at, finished_at, status, summary, pid) VALUES (?, ?, ?, 'skipped', ?, ?)",
        [kind, now, now, why, os.getpid()],
    )
