"""The run wrapper every job goes through: the lock, a ``runs`` row, and a one-line summary.

``run_job`` takes the ingest lock (so a poll, an import and a reparse never write at the same
time and two crons never overlap), marks runs of the same kind left 'running' by a killed
process as interrupted, records the run, and returns its summary. A failure is recorded on the
run row and re-raised; a busy lock is recorded as a skipped run and raised as ``LockBusy``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.ingest.errors import LockBusy
from areaplan.ingest.lock import run_lock
from areaplan.store.runs import RunCounts, finish_run, mark_interrupted, record_skipped, start_run

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def run_job(db: sqlite_utils.Database, db_path: Path, kind: str, work: Callable[[RunCounts], None],
            summarize: Callable[[RunCounts], str] | None = None) -> str:
    """Run ``work`` as a recorded run of ``kind`` under the ingest lock; its summary line."""
    summarize = summarize or (lambda counts: counts.summary(kind))
    try:
        with run_lock(db_path, "ingest"):
            mark_interrupted(db, kind)
            counts = RunCounts()
            run = start_run(db, kind)
            try:
                work(counts)
            except BaseException as err:
                summary = summarize(counts) + f"; failed: {err}"
                finish_run(db, run, "failed", counts, summary, error=f"{type(err).__name__}: {err}")
                raise
            summary = summarize(counts)
            # Some inputs refused (import), the rest done: "partial", with what was refused.
            finish_run(db, run, "partial" if counts.refused else "ok", counts, summary,
                       error="; ".join(counts.refused)[:2000] or None)
            log.debug(summary)  # the CLI prints it, the daemon logs it: once
            return summary
    except LockBusy as err:
        record_skipped(db, kind, str(err))
        raise
