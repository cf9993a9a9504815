"""Backfills from files: .eml files, mbox files (a Google Takeout export is one) and maildirs.

Everything goes through ``store.messages.save_message``, the same path as the poller,
so a message imported after it was polled (or imported twice) is stored once.

A file that is plainly not mail (a PDF, a photo) is refused and reported, and the other
files are imported all the same; so is a message the store cannot take (each message is
saved under its own savepoint). Paths are kept as the bytes the file system gave.
"""

from __future__ import annotations

import logging
import mailbox
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.ingest.errors import ImportSourceError
from areaplan.store.messages import Location, save_message
from areaplan.store.runs import RunCounts
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

BATCH = 200  # messages per transaction, at most ...
BATCH_BYTES = 64 * 1024 * 1024  # ... and at most this many raw bytes held at once


@dataclass(frozen=True)
class RawItem:
    raw: bytes
    location: Location
    internal_date: str | None


@dataclass(frozen=True)
class Refused:
    """A file or message that was not imported, and why (in words for the operator)."""

    where: str
    reason: str


def looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


_OTHER_FORMATS = {
    b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP/DOCX file", b"\xd0\xcf\x11\xe0": "an Office file",
    b"\xff\xd8\xff": "a JPEG photo", b"\x89PNG": "a PNG image",
}


def other_format(raw: bytes) -> str | None:
    """What a file plainly is when it is not mail (a PDF, a photo, ...), else None.

    Anything else given as mail is kept, even without headers: the parser flags it for review.
    """
    for magic, what in _OTHER_FORMATS.items():
        if raw.startswith(magic):
            return what
    return None


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new"))


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0).isoformat()


def iter_source(path: Path) -> Iterator[RawItem | Refused]:
    """Every message in ``path`` (an .eml file, an mbox file, a maildir, or a folder of those).

    A file that is not mail comes back as a :class:`Refused` value instead of a message.
    """
    try:
        yield from _iter_source(path)
    except ImportSourceError as err:
        yield Refused(os.fsencode(path).decode("utf-8", "backslashreplace"), str(err))


def _iter_source(path: Path) -> Iterator[RawItem]:
    if not path.exists():
        raise ImportSourceError(f"{path}: no such file or folder")
    if is_maildir(path):
        md = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(md.keys()):
            yield RawItem(md.get_bytes(key), Location("maildir", path=f"{path.resolve()}#{key}"), None)
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if child.is_dir() or child.suffix.lower() in (".eml", ".mbox", ".mbx", "") or looks_like_mbox(child):
                yield from iter_source(child)  # one stray file in a folder does not stop the rest
    elif looks_like_mbox(path):
        mb = mailbox.mbox(path, factory=None, create=False)
        for i, key in enumerate(mb.keys()):
            yield RawItem(mb.get_bytes(key), Location("mbox", path=f"{path.resolve()}#{i}"), None)
    else:
        raw = path.read_bytes()
        what = other_format(raw)
        if what:
            raise ImportSourceError(
                f"{path} is {what}, not an email message (.eml), an mbox or a maildir; "
                "attach it to a message or import the message it came with"
            )
        yield RawItem(raw, Location("eml", path=str(path.resolve())), _mtime(path))


def count_messages(paths: list[Path]) -> int | None:
    """How many messages the paths hold (for a progress bar); None if that is costly to know."""
    total = 0
    for p in paths:
        if p.is_file() and not looks_like_mbox(p):
            total += 1
        elif is_maildir(p):
            total += sum(1 for sub in ("cur", "new") for _ in os.scandir(p / sub))
        else:
            return None
    return total


def import_paths(
    db: sqlite_utils.Database,
    paths: list[Path],
    counts: RunCounts,
    *,
    on_stored: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Store every message in ``paths``; commits every BATCH messages or BATCH_BYTES bytes.

    What is refused goes to ``counts.refused`` (and the log); everything else is stored.
    """
    pending: list[RawItem] = []
    held = 0

    def flush() -> None:
        nonlocal held
        stored: list[int] = []
        with transaction(db):
            for item in pending:
                counts.seen += 1
                saved = _save_one(db, item, counts)
                if saved is None:
                    continue
                if saved.new:
                    counts.stored += 1
                    stored.append(saved.message)
                else:
                    counts.duplicates += 1
        if progress:
            progress(len(pending))
        pending.clear()
        held = 0
        if on_stored:
            for m in stored:
                on_stored(m)

    for path in paths:
        for item in iter_source(Path(path)):
            if isinstance(item, Refused):
                log.info("refused: %s", item.reason)
                counts.refused.append(item.reason)
                continue
            pending.append(item)
            held += len(item.raw)
            if len(pending) >= BATCH or held >= BATCH_BYTES:
                flush()
    if pending:
        flush()


def _save_one(db: sqlite_utils.Database, item: RawItem, counts: RunCounts):  # -> Saved | None
    """Save one message under a savepoint: if the store refuses it, the batch goes on."""
    db.execute("SAVEPOINT import_one")
    try:
        saved = save_message(db, item.raw, item.location, item.internal_date)
    except Exception as err:  # noqa: BLE001 - recorded as refused; the other messages are kept
        db.execute("ROLLBACK TO import_one")
        db.execute("RELEASE import_one")
        where = os.fsencode(item.location.path or "?").decode("utf-8", "backslashreplace")
        log.error("refused: %s could not be stored (%s: %s)", where, type(err).__name__, err)
        counts.refused.append(f"{where} could not be stored ({type(err).__name__}: {err})")
        return None
    db.execute("RELEASE import_one")
    return saved
