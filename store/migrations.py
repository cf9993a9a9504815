"""Every schema change, in one ordered list, applied in order inside one transaction.

Each migration runs once; ``schema_migrations`` records which ran, and ``PRAGMA
user_version`` holds their number. A database from a newer areaplan is refused rather
than damaged. To change the schema, append a ``(name, function)`` entry to
``MIGRATIONS`` (never edit or reorder one that shipped); names must be unique.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from areaplan.core.clock import utcnow
from areaplan.store import (
    decisions,
    derived,
    digest_sends,
    followups,
    messages,
    province_mail,
    schema,
    selection,
    status,
)
from areaplan.store.errors import StoreError
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

Migration = Callable[["sqlite_utils.Database"], None]

MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("0001_raw_messages", schema.raw_messages),
    ("0002_parsed", derived.parsed_tables),
    ("0003_gazetteer", derived.gazetteer_tables),
    ("0004_status", status.status_tables_and_views),
    ("0005_digest_sends", digest_sends.digest_sends_table),
    ("0006_reasons_provenance_keys", derived.reasons_provenance_and_keys),
    ("0007_decisions", decisions.decisions_tables),
    ("0008_zone_selection", selection.selection_tables),
    ("0009_province_mail", province_mail.province_mail_table),
    ("0010_copies_and_key_v4", messages.migrate_copies_and_key_v4),
    ("0011_followups_and_links", followups.followup_tables),
    ("0012_forwarded_origins_and_submission_images", derived.forwarded_origins_and_submission_images),
)


def check_unique(migrations: tuple[tuple[str, Migration], ...]) -> None:
    """Refuse a list with a repeated name or function (a merge that duplicated an entry)."""
    names = [n for n, _ in migrations]
    fns = [f for _, f in migrations]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes or len(set(fns)) != len(fns):
        raise StoreError(f"duplicate migrations: {dupes or 'the same function twice'}")


check_unique(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def schema_version() -> int:
    """The number of migrations this areaplan knows (the newest schema version)."""
    return len(MIGRATIONS)


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
