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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from areaplan.store.db import utcnow

if TYPE_CHECKING:
    import sqlite_utils

# Headers that say what the message is. Every occurrence counts, in order. Headers a
# transport or an export adds (Received, X-Gmail-Labels, Status, ...) are left out, so the
# IMAP copy and the Takeout copy of one message have one key.
KEY_HEADERS = (b"message-id", b"date", b"from", b"sender", b"reply-to", b"subject", b"to", b"cc",
               b"in-reply-to", b"references", b"mime-version", b"content-type",
               b"content-transfer-encoding", b"content-disposition")
CONTENT_KEY_VERSION = 4
_LINE_END = re.compile(rb"\r?\n")
_FIELD = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")  # an RFC 5322 field name and its colon
_WS = re.compile(rb"\s+")
# Trailing blanks of a line; the look-behind makes the scan linear in a long run of blanks.
_TRAILING_BLANKS = re.compile(rb"(?<![ \t])[ \t]++(?=\n|\Z)")
_MBOX_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)


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


def split_header(raw: bytes) -> tuple[bytes, bytes]:
    """(header block, body) of an RFC 822 message, tolerant of LF or CRLF."""
    m = re.search(rb"\r?\n\r?\n", raw)
    if not m:
        return raw, b""
    return raw[: m.start()], raw[m.end() :]


def header_fields(header: bytes) -> tuple[list[tuple[bytes, bytes]], bool]:
    """Every field of a header block in order, as (lower-case name, unfolded value).

    The second value is False when a line is neither a field nor a continuation (the block
    is not a mail header). Linear in the size of the block, however many lines are folded.
    """
    fields: list[tuple[bytes, list[bytes]]] = []
    well_formed = True
    for n, line in enumerate(_LINE_END.split(header)):
        if line[:1] in (b" ", b"\t"):
            if fields:
                fields[-1][1].append(line.strip())
            elif line.strip():
                well_formed = False
            continue
        m = _FIELD.match(line)
        if m is None:
            if line and not (n == 0 and line.startswith(b"From ")):  # an mbox envelope line
                well_formed = False
            continue
        fields.append((m.group(1).lower(), [line[m.end() :].strip()]))
    return [(name, _WS.sub(b" ", b" ".join(parts)).strip()) for name, parts in fields], well_formed


def header_values(header: bytes) -> dict[bytes, bytes]:
    """The first value of each header field, unfolded and whitespace-collapsed, lower-case names."""
    values: dict[bytes, bytes] = {}
    for name, value in header_fields(header)[0]:
        values.setdefault(name, value)
    return values


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header without angle brackets, or None."""
    value = header_values(split_header(raw)[0]).get(b"message-id")
    if not value:
        return None
    text = value.decode("ascii", "replace").strip()
    m = re.search(r"<([^<>]+)>", text)
    return (m.group(1) if m else text).strip() or None


def _normalized_body(body: bytes) -> bytes:
    """Line ends as LF, trailing blanks of lines and of the whole dropped, mbox quoting undone."""
    body = body.replace(b"\r\n", b"\n")
    body = _TRAILING_BLANKS.sub(b"", body).rstrip(b"\n")
    if b">" in body:
        body = _MBOX_QUOTED.sub(rb"\1", body)
    return body


def content_key(raw: bytes) -> str:
    """A key that is equal for the same message however it was transported or exported.

    Two inputs get one key only when what a reader decodes from them is the same: every
    occurrence of each of :data:`KEY_HEADERS` and the body with only line ends, trailing
    blanks and mbox ``>From`` quoting normalised. An input that is not recognisably mail
    (no blank line after the headers, or a line in the header block that is not a field:
    a photo, a file of NULs, UTF-16 text) is keyed on all of its bytes, so such files are
    never merged with each other.
    """
    header, body = split_header(raw)
    fields, well_formed = header_fields(header)
    if not fields or not well_formed or len(header) == len(raw):
        h = hashlib.sha256(b"areaplan-content-key-v4-bytes\0")
        h.update(_normalized_body(raw))
        return h.hexdigest()
    h = hashlib.sha256(b"areaplan-content-key-v4\0")
    for name in KEY_HEADERS:
        for field_name, value in fields:
            if field_name == name:
                h.update(name + b"\0" + value + b"\0")
        h.update(b"\1")
    h.update(_normalized_body(body))
    return h.hexdigest()


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
