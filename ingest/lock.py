"""A lock file beside the database so overlapping cron runs are safe."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from areaplan.ingest.errors import LockBusy


@contextmanager
def run_lock(db_path: Path, name: str) -> Iterator[None]:
    """Hold ``<db>.<name>.lock`` (flock, released by the kernel if the process dies)."""
    path = Path(str(db_path) + f".{name}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise LockBusy(f"another areaplan {name} is running (pid {holder}); this run did nothing") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
