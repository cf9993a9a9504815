"""Saving raw messages: content-addressed bytes, one row per distinct message, every location.

A message is the same message when any of these agree, checked in this order:
its IMAP location (account, folder, UIDVALIDITY, UID), its content key (see
:func:`content_key`: the headers that say what the message is, every occurrence, and the
body with line ends, trailing blanks and mbox ``>From`` quoting normalised, so the copy
fetched over IMAP and the copy in a Takeout mbox match), or its Gmail X-GM-MSGID within the
same account. Raw bytes are keyed by sha256, and the bytes of every distinct copy are kept:
each ``message_locations`` row names the sha256 of the copy seen there.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from areaplan.core.clock import utcnow
from areaplan.core.rfc822 import content_key, message_id_of

if TYPE_CHECKING:
    import sqlite_utils



@dataclass(frozen=True)
class Location:
    """Where a message was seen: an IMAP folder slot, or an imported file.

    ``path`` is what the operating system gave (``str`` with surrogate escapes, or
    ``bytes``); it is stored losslessly as bytes (``os.fsencode``) beside an escaped text form.
    """

    source: str  # "imap", "eml", "mbox", "maildir"
    account: str | None = None
    folder: str | None = None
    uidvalidity: int | None = None
    uid: int | None = None
    gm_msgid: str | None = None
    path: str | bytes | None = None


def path_forms(path: str | bytes | os.PathLike | None) -> tuple[str | None, bytes | None]:
    """(escaped text, exact bytes) of a file path: bytes that are not UTF-8 become ``\\xNN``."""
    if path is None:
        return None, None
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace"), raw


@dataclass(frozen=True)
class Keyed:
    """Raw bytes with their sha256 and content key, computed once (e.g. on a fetch thread)."""

    raw: bytes
    sha256: str
    content_key: str

    @classmethod
    def of(cls, raw: bytes) -> Keyed:
        return cls(raw, hashlib.sha256(raw).hexdigest(), content_key(raw))


@dataclass(frozen=True)
class Saved:
    message: int  # messages.id
    new: bool  # False: it was already stored (a duplicate)


def find_at_location(db: sqlite_utils.Database, loc: Location) -> int | None:
    if loc.uid is None:
        return None
    row = db.execute(
        "SELECT message FROM message_locations WHERE account = ? AND folder = ? AND uidvalidity = ? AND uid = ?",
        [loc.account, loc.folder, loc.uidvalidity, loc.uid],
    ).fetchone()
    return row[0] if row else None


def find_known(
    db: sqlite_utils.Database, account: str, message_id: str | None, size: int | None, gm_msgid: str | None
) -> int | None:
    """A message already stored from ``account`` with this X-GM-MSGID, or this Message-ID and size.

    Used after a UIDVALIDITY change to avoid fetching bodies we already hold.
    """
    if gm_msgid:
        row = db.execute(
            "SELECT message FROM message_locations WHERE account = ? AND gm_msgid = ? LIMIT 1",
            [account, gm_msgid],
        ).fetchone()
        if row:
            return row[0]
    if message_id and size is not None:
        row = db.execute(
            """SELECT m.id FROM messages m JOIN message_locations l ON l.message = m.id
               WHERE m.message_id = ? AND m.size = ? AND l.account = ? LIMIT 1""",
            [message_id, size, account],
        ).fetchone()
        if row:
            return row[0]
    return None


def add_location(db: sqlite_utils.Database, message: int, loc: Location, sha256: str) -> None:
    path, path_bytes = path_forms(loc.path)
    db.execute(
        """INSERT OR IGNORE INTO message_locations
           (message, source, account, folder, uidvalidity, uid, gm_msgid, path, path_bytes, sha256, seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [message, loc.source, loc.account, loc.folder, loc.uidvalidity, loc.uid, loc.gm_msgid, path, path_bytes,
         sha256, utcnow()],
    )


def _keep_raw(db: sqlite_utils.Database, sha: str, raw: bytes) -> None:
    db.execute("INSERT OR IGNORE INTO raw_messages (sha256, size, raw) VALUES (?, ?, ?)", [sha, len(raw), raw])


def save_message(
    db: sqlite_utils.Database, message: bytes | Keyed, loc: Location, internal_date: str | None = None
) -> Saved:
    """Store a raw message (if new) and record where it was seen. Call inside a transaction."""
    existing = find_at_location(db, loc)
    if existing is not None:
        return Saved(existing, False)
    keyed = message if isinstance(message, Keyed) else Keyed.of(message)
    raw, sha, key = keyed.raw, keyed.sha256, keyed.content_key
    row = db.execute("SELECT id FROM messages WHERE content_key = ?", [key]).fetchone()
    if row is None and loc.gm_msgid and loc.account:
        row = db.execute(
            "SELECT message FROM message_locations WHERE account = ? AND gm_msgid = ? LIMIT 1",
            [loc.account, loc.gm_msgid],
        ).fetchone()
    if row is not None:
        _keep_raw(db, sha, raw)  # another copy of the same message: its own bytes are kept too
        add_location(db, row[0], loc, sha)
        return Saved(row[0], False)
    _keep_raw(db, sha, raw)
    cur = db.execute(
        """INSERT INTO messages (sha256, content_key, message_id, gm_msgid, size, internal_date, first_seen, source)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [sha, key, message_id_of(raw), loc.gm_msgid, len(raw), internal_date, utcnow(), loc.source],
    )
    message = cur.lastrowid
    assert message is not None
    add_location(db, message, loc, sha)
    return Saved(message, True)


def sha256_of(db: sqlite_utils.Database, message: int) -> str:
    """The sha256 of the raw bytes first stored for ``message``."""
    return db.execute("SELECT sha256 FROM messages WHERE id = ?", [message]).fetchone()[0]


def raw_bytes(db: sqlite_utils.Database, message: int) -> bytes:
    row = db.execute(
        "SELECT r.raw FROM messages m JOIN raw_messages r ON r.sha256 = m.sha256 WHERE m.id = ?", [message]
    ).fetchone()
    if row is None:
        raise KeyError(f"no message {message}")
    return bytes(row[0])


def get_folder_state(db: sqlite_utils.Database, account: str, folder: str) -> tuple[int, int] | None:
    """(uidvalidity, last_uid) committed for this folder, or None before the first poll."""
    row = db.execute(
        "SELECT uidvalidity, last_uid FROM folder_state WHERE account = ? AND folder = ?", [account, folder]
    ).fetchone()
    return (row[0], row[1]) if row else None


def set_folder_state(db: sqlite_utils.Database, account: str, folder: str, uidvalidity: int, last_uid: int) -> None:
    db.execute(
        """INSERT INTO folder_state (account, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (account, folder) DO UPDATE SET
             uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at""",
        [account, folder, uidvalidity, last_uid, utcnow()],
    )


def migrate_copies_and_key_v4(db: sqlite_utils.Database) -> None:
    """Migration: exact path bytes for each location, and content keys recomputed (version 4).

    Version 4 is stricter than 3 (any two messages with distinct version 3 keys keep
    distinct keys), so no stored message is merged by this; a copy that version 3 merged
    stays merged, but from now on every distinct copy's bytes are kept.
    """
    db.execute("ALTER TABLE message_locations ADD COLUMN path_bytes BLOB")
    db.execute("UPDATE message_locations SET path_bytes = CAST(path AS BLOB) WHERE path IS NOT NULL")
    db.execute("DROP INDEX IF EXISTS message_locations_file")
    db.execute("""CREATE UNIQUE INDEX message_locations_file
                  ON message_locations(message, source, path_bytes) WHERE path_bytes IS NOT NULL""")
    ids = [r[0] for r in db.execute("SELECT id FROM messages ORDER BY id")]
    taken: set[str] = set()
    for message in ids:  # one raw message in memory at a time
        key = content_key(raw_bytes(db, message))
        if key in taken:  # cannot happen for v3-distinct keys; kept apart if it ever does
            key = f"{key}-{message}"
        taken.add(key)
        db.execute("UPDATE messages SET content_key = ? WHERE id = ?", [key, message])
