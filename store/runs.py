"""The ``runs`` table: one row per poll, import, reparse or digest run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from areaplan.core.clock import utcnow

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


def mark_interrupted(db: sqlite_utils.Database, kind: str) -> None:
    """Runs of ``kind`` still 'running' while we hold its lock were killed: say so."""
    db.execute(
        "UPDATE runs SET status = 'interrupted', error = 'the process ended without finishing (killed?)' "
        "WHERE kind = ? AND status = 'running'",
        [kind],
    )


@dataclass(frozen=True)
class PollHealth:
    """How the poller is doing, from the ``runs`` table."""

    last_ok_at: str | None  # when the last successful poll finished (UTC ISO-8601)
    failures_since: int  # failed polls after it
    last_failure_at: str | None
    last_error: str | None
    last_run_status: str | None


def poll_health(db: sqlite_utils.Database) -> PollHealth:
    """The last successful poll and the failures since (skipped and running polls are neither)."""
    ok = db.execute(
        "SELECT started_at, COALESCE(finished_at, started_at) FROM runs WHERE kind = 'poll' AND status = 'ok'"
        " ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    since = ok[0] if ok else ""
    fail = db.execute(
        "SELECT COUNT(*), MAX(started_at) FROM runs WHERE kind = 'poll'"
        " AND status NOT IN ('ok', 'running', 'skipped') AND started_at > ?",
        [since],
    ).fetchone()
    last_error = db.execute(
        "SELECT COALESCE(error, summary) FROM runs WHERE kind = 'poll' AND status NOT IN ('ok', 'running', 'skipped')"
        " AND started_at > ? ORDER BY started_at DESC, id DESC LIMIT 1",
        [since],
    ).fetchone()
    last = db.execute(
        "SELECT status FROM runs WHERE kind = 'poll' ORDER BY started_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return PollHealth(
        last_ok_at=ok[1] if ok else None,
        failures_since=fail[0] or 0,
        last_failure_at=fail[1],
        last_error=last_error[0] if last_error else None,
        last_run_status=last[0] if last else None,
    )
