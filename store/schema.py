"""The first tables (raw mail, locations, watermarks, runs) and ``run_script``.

The ordered list of every migration is ``store.migrations.MIGRATIONS``.
The README's "Schema" section documents every table and view.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


log = logging.getLogger(__name__)

def raw_messages(db: sqlite_utils.Database) -> None:
    """0001: raw messages, where they were seen, folder watermarks, runs."""
    run_script(
        db,
        """
        -- Raw RFC 822 bytes, content-addressed. Never modified, never deleted by areaplan.
        CREATE TABLE raw_messages (
            sha256 TEXT PRIMARY KEY,
            size   INTEGER NOT NULL,
            raw    BLOB NOT NULL
        );
        -- One row per distinct message (however many places it was seen in).
        CREATE TABLE messages (
            id            INTEGER PRIMARY KEY,
            sha256        TEXT NOT NULL REFERENCES raw_messages(sha256),
            content_key   TEXT NOT NULL UNIQUE,
            message_id    TEXT,
            gm_msgid      TEXT,
            size          INTEGER NOT NULL,
            internal_date TEXT,
            first_seen    TEXT NOT NULL,
            source        TEXT NOT NULL
        );
        CREATE INDEX messages_message_id ON messages(message_id);
        CREATE INDEX messages_gm_msgid ON messages(gm_msgid);
        -- Every place a message was seen: an IMAP folder (account, folder, uidvalidity, uid)
        -- or an imported file.
        CREATE TABLE message_locations (
            id          INTEGER PRIMARY KEY,
            message     INTEGER NOT NULL REFERENCES messages(id),
            source      TEXT NOT NULL,
            account     TEXT,
            folder      TEXT,
            uidvalidity INTEGER,
            uid         INTEGER,
            gm_msgid    TEXT,
            path        TEXT,
            sha256      TEXT NOT NULL,
            seen_at     TEXT NOT NULL
        );
        CREATE UNIQUE INDEX message_locations_imap
            ON message_locations(account, folder, uidvalidity, uid) WHERE uid IS NOT NULL;
        CREATE UNIQUE INDEX message_locations_file
            ON message_locations(message, source, path) WHERE path IS NOT NULL;
        CREATE INDEX message_locations_message ON message_locations(message);
        -- The poller's watermark per folder: the highest UID committed under a UIDVALIDITY.
        CREATE TABLE folder_state (
            account     TEXT NOT NULL,
            folder      TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            last_uid    INTEGER NOT NULL,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (account, folder)
        );
        -- One row per poll / import / reparse / digest run.
        CREATE TABLE runs (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            status      TEXT NOT NULL,
            seen        INTEGER NOT NULL DEFAULT 0,
            stored      INTEGER NOT NULL DEFAULT 0,
            duplicates  INTEGER NOT NULL DEFAULT 0,
            parsed      INTEGER NOT NULL DEFAULT 0,
            review      INTEGER NOT NULL DEFAULT 0,
            error       TEXT,
            summary     TEXT,
            pid         INTEGER
        );
        CREATE INDEX runs_kind_started ON runs(kind, started_at);
        """
    )


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run several statements inside the current transaction.

    (``executescript`` would COMMIT first, breaking the migration's atomicity.)
    """
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf[:80]!r}")
