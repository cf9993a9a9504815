"""Opening the database: pragmas for concurrent readers, and migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.store.errors import StoreError

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000




def open_db(path: str | os.PathLike[str], *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the store at ``path`` in WAL mode with a busy timeout, creating and migrating it.

    WAL lets analysts query while the poller writes; ``synchronous=FULL`` makes each
    committed batch durable before the IMAP watermark moves past it.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as err:
        raise StoreError(f"cannot open database {path}: {err}; check the path and its permissions") from err
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Raw messages are blobs of hundreds of KB: large pages write them about 2x faster.
    # (Takes effect only on a new, empty database.)
    conn.execute("PRAGMA page_size = 65536")
    # Two processes opening a brand-new file at once: switching to WAL needs a moment alone
    # with the file and SQLite does not wait for it (no busy handler): retry instead.
    mode = _when_unlocked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0], path)
    if mode.lower() != "wal":
        log.warning("database %s is in %s journal mode, not WAL", path, mode)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = _sqlite_utils().Database(conn)
    if migrate:
        from areaplan.store.migrations import migrate as run_migrations

        _when_unlocked(lambda: run_migrations(db), path)
    return db


def _when_unlocked(fn, path: Path):  # -> what fn returns
    """Call ``fn``, retrying while another process holds the database locked (up to the
    busy timeout); then a StoreError saying so, never a raw traceback."""
    import random
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as err:
            text = str(err).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise StoreError(f"cannot open database {path}: {err}; is another program holding it?") from err
            time.sleep(0.02 + random.random() * 0.05)


def _sqlite_utils():  # -> module
    """Import sqlite-utils without its optional numpy support (about 100 ms that cron pays
    every few minutes; areaplan never stores numpy values). numpy stays importable."""
    import sys

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        import sqlite_utils

        return sqlite_utils
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` fail once
    try:
        import sqlite_utils
    finally:
        del sys.modules["numpy"]
    return sqlite_utils


def files_dir(db: sqlite_utils.Database) -> Path:
    """The folder beside the database that holds content-addressed files (images)."""
    main = db.execute("PRAGMA database_list").fetchone()[2]
    if not main:
        raise StoreError("an in-memory database has no files folder; use a file path")
    p = Path(main)
    return p.with_name(p.stem + "-files")

