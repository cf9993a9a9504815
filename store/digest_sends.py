"""The ``digest_sends`` table: each (digest date, audience, recipient) is sent once.

An audience is ``zone-01`` ... ``zone-18`` or ``national``; a person who gets two
audiences' digests gets both. Sending is claimed first (``status = 'sending'``) so
that two runs at once (cron and the daemon) do not both send; a claim older than
``STALE_CLAIM_MINUTES`` belongs to a run that died and may be taken over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from areaplan.core.clock import utcnow
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

STALE_CLAIM_MINUTES = 15


def digest_sends_table(db: sqlite_utils.Database) -> None:
    """0005: which digest was sent to whom, so each is sent once."""
    run_script(
        db,
        """
        -- One row per digest date, audience and recipient; a failed send is retried by the next run.
        CREATE TABLE digest_sends (
            digest_date      TEXT NOT NULL,
            audience         TEXT NOT NULL,
            recipient        TEXT NOT NULL,
            status           TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
            attempts         INTEGER NOT NULL DEFAULT 0,
            subject          TEXT,
            message_id       TEXT,
            first_attempt_at TEXT NOT NULL,
            last_attempt_at  TEXT NOT NULL,
            sent_at          TEXT,
            error            TEXT,
            PRIMARY KEY (digest_date, audience, recipient)
        );
        CREATE INDEX digest_sends_status ON digest_sends(status);
        """,
    )


@dataclass(frozen=True)
class SendKey:
    digest_date: str  # YYYY-MM-DD
    audience: str  # zone-01 .. zone-18, national
    recipient: str  # the bare address, lower-case


def claim(db: sqlite_utils.Database, key: SendKey, *, resend: bool = False) -> bool:
    """Mark ``key`` as being sent by this run; False if it was sent already or is being sent.

    ``resend`` claims it even when it was sent (``--resend``).
    """
    now = utcnow()
    stale = (datetime.now(UTC) - timedelta(minutes=STALE_CLAIM_MINUTES)).replace(microsecond=0).isoformat()
    with transaction(db):
        row = db.execute(
            "SELECT status, last_attempt_at FROM digest_sends WHERE digest_date = ? AND audience = ? AND recipient = ?",
            [key.digest_date, key.audience, key.recipient],
        ).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO digest_sends (digest_date, audience, recipient, status, attempts, first_attempt_at,"
                " last_attempt_at) VALUES (?, ?, ?, 'sending', 1, ?, ?)",
                [key.digest_date, key.audience, key.recipient, now, now],
            )
            return True
        status, last = row
        if status == "sent" and not resend:
            return False
        if status == "sending" and last > stale:
            return False
        db.execute(
            "UPDATE digest_sends SET status = 'sending', attempts = attempts + 1, last_attempt_at = ?, error = NULL"
            " WHERE digest_date = ? AND audience = ? AND recipient = ?",
            [now, key.digest_date, key.audience, key.recipient],
        )
        return True


def record_sent(db: sqlite_utils.Database, key: SendKey, subject: str, message_id: str) -> None:
    now = utcnow()
    db.execute(
        "UPDATE digest_sends SET status = 'sent', subject = ?, message_id = ?, sent_at = ?, last_attempt_at = ?,"
        " error = NULL WHERE digest_date = ? AND audience = ? AND recipient = ?",
        [subject, message_id, now, now, key.digest_date, key.audience, key.recipient],
    )


def record_failed(db: sqlite_utils.Database, key: SendKey, subject: str, error: str) -> None:
    db.execute(
        "UPDATE digest_sends SET status = 'failed', subject = ?, error = ?, last_attempt_at = ?"
        " WHERE digest_date = ? AND audience = ? AND recipient = ?",
        [subject, error[:2000], utcnow(), key.digest_date, key.audience, key.recipient],
    )


def to_retry(db: sqlite_utils.Database, first: str, before: str) -> list[SendKey]:
    """Sends of digest dates ``first`` <= date < ``before`` that failed, or whose run died while
    sending (a claim older than ``STALE_CLAIM_MINUTES``): what the next run retries, marked late."""
    stale = (datetime.now(UTC) - timedelta(minutes=STALE_CLAIM_MINUTES)).replace(microsecond=0).isoformat()
    cur = db.execute(
        "SELECT digest_date, audience, recipient FROM digest_sends WHERE digest_date >= ? AND digest_date < ?"
        " AND (status = 'failed' OR (status = 'sending' AND last_attempt_at <= ?))"
        " ORDER BY digest_date, audience, recipient",
        [first, before, stale],
    )
    return [SendKey(*row) for row in cur.fetchall()]


def sends_for(db: sqlite_utils.Database, digest_date: str) -> list[dict[str, object]]:
    """Every send row of one digest date (for reports and tests)."""
    cur = db.execute(
        "SELECT digest_date, audience, recipient, status, attempts, subject, message_id, sent_at, error"
        " FROM digest_sends WHERE digest_date = ? ORDER BY audience, recipient",
        [digest_date],
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
