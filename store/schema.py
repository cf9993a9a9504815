"""The schema, as named migrations applied in order inside a transaction.

Each migration runs once; ``schema_migrations`` records which ran. The latest
number is ``SCHEMA_VERSION`` (also written to ``PRAGMA user_version``), and a
database from a newer areaplan is refused rather than damaged.
The README's "Schema" section documents every table and view.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from areaplan.store.db import StoreError, utcnow
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils


log = logging.getLogger(__name__)

Migration = Callable[["sqlite_utils.Database"], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn

    return register


@migration("0001_raw_messages")
def _raw_messages(db: sqlite_utils.Database) -> None:
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


def current_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def schema_version() -> int:
    """The number of migrations this areaplan knows (the newest schema version)."""
    _load_later_migrations()
    return len(MIGRATIONS)


def _load_later_migrations() -> None:
    # Tables live with the code that owns them; importing registers their migrations,
    # in this order (each module imports the one before it).
    import areaplan.store.derived  # noqa: F401  0002, 0003
    import areaplan.store.digest_sends  # noqa: F401  0004 (store.status), 0005
    from areaplan.store.messages import migrate_copies_and_key_v4

    if all(name != "0006_copies_and_key_v4" for name, _fn in MIGRATIONS):
        MIGRATIONS.append(("0006_copies_and_key_v4", migrate_copies_and_key_v4))


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet applied; return the names applied."""
    target = schema_version()
    have = current_version(db)
    if have > target:
        raise StoreError(
            f"database schema version {have} is newer than this areaplan knows ({target}); "
            "upgrade areaplan (pip install -U areaplan) before using this database"
        )
    if have == target:
        return []
    applied: list[str] = []
    with transaction(db):
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            log.info("applying migration %s", name)
            fn(db)
            db.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, utcnow()])
            applied.append(name)
        db.execute(f"PRAGMA user_version = {target}")
    return applied
