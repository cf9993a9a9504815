"""Mail to the provinces (acknowledgements and reminders): each is sent at most once.

``province_mail`` is the ledger: one row per (kind, key), the key saying what the mail is
about, so a rerun sends nothing twice:

* ``ack``: ``message:<messages.id>``, one acknowledgement per stored message (all the
  submissions it carried are in the one reply);
* ``reminder``: ``<campaign>/<period>/<province>/<before|after>``;
* ``decided``: ``submission:<submissions.key>``, one notice per submission, once a person
  settled it after its acknowledgement went out (``acknowledge_decisions``).

``status``: ``sending`` (claimed by a run), ``sent``, ``failed`` (the next run retries),
``written`` (dry run: in the outbox; a dry run never blocks the real send), or
``suppressed`` with ``reason`` (never to be sent: an automatic reply, a bounce, an unknown
sender, no address for the province). Only ``sent`` and ``suppressed`` are final.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from areaplan.core.clock import utcnow
from areaplan.core.rfc822 import split_header
from areaplan.store.rows import rows_as_dicts
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

STALE_CLAIM_MINUTES = 15
FINAL = ("sent", "suppressed")


def province_mail_table(db: sqlite_utils.Database) -> None:
    """0009: the ledger of acknowledgements and reminders sent to provinces."""
    run_script(
        db,
        """
        CREATE TABLE province_mail (
            kind          TEXT NOT NULL,   -- ack | reminder
            key           TEXT NOT NULL,
            province_code TEXT,
            recipient     TEXT,
            cc            TEXT,
            status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'written', 'suppressed')),
            reason        TEXT,
            subject       TEXT,
            message_id    TEXT,
            in_reply_to   TEXT,
            attempts      INTEGER NOT NULL DEFAULT 0,
            first_at      TEXT NOT NULL,
            last_at       TEXT NOT NULL,
            sent_at       TEXT,
            error         TEXT,
            PRIMARY KEY (kind, key)
        );
        CREATE INDEX province_mail_province ON province_mail(province_code, kind);
        """,
    )


@dataclass(frozen=True)
class AckSubmission:
    """One submission a stored message carried, as the acknowledgement reports it."""

    key: str | None
    campaign: str
    period: str
    province_code: str | None
    province_th: str | None
    district_th: str | None
    image_count: int
    needs_review: bool
    review_reasons: str | None


@dataclass(frozen=True)
class AckCandidate:
    """A stored message not yet acknowledged: its sender, headers and submissions."""

    message: int
    message_id: str | None  # the sender's Message-ID (for In-Reply-To)
    references: str | None  # the sender's References header, kept for the thread
    sender: str | None
    subject: str | None
    received_at: str
    raw_header: bytes
    submissions: tuple[AckSubmission, ...]
    review_reasons: str | None = None  # a message sent to review that made no submission: why

    @property
    def key(self) -> str:
        return f"message:{self.message}"


_ACK_SQL = """
SELECT s.message, s.key, s.campaign, s.period, s.province_code, p.name_th AS province_th,
       d.name_th AS district_th, s.image_count, s.needs_review, s.review_reasons, s.sender, s.subject,
       s.received_at, m.message_id, r.raw
FROM submissions s
JOIN messages m ON m.id = s.message
JOIN raw_messages r ON r.sha256 = m.sha256
LEFT JOIN provinces p ON p.code = s.province_code
LEFT JOIN districts d ON d.code = s.district_code
WHERE s.campaign IN ({kinds})
  AND NOT EXISTS (SELECT 1 FROM province_mail pm WHERE pm.kind = 'ack' AND pm.key = 'message:' || s.message
                  AND pm.status IN ('sent', 'suppressed'))
  AND julianday(s.received_at) >= julianday(:since)
ORDER BY s.message, s.id
"""


_UNREAD_SQL = """
SELECT pm.message, pm.from_addr AS sender, pm.subject, COALESCE(pm.received_at, m.first_seen) AS received_at,
       pm.review_reasons, m.message_id, r.raw
FROM parsed_messages pm
JOIN messages m ON m.id = pm.message
JOIN raw_messages r ON r.sha256 = m.sha256
WHERE pm.status = 'review' AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.message = pm.message)
  AND NOT EXISTS (SELECT 1 FROM province_mail x WHERE x.kind = 'ack' AND x.key = 'message:' || pm.message
                  AND x.status IN ('sent', 'suppressed'))
  AND julianday(COALESCE(pm.received_at, m.first_seen)) >= julianday(:since)
ORDER BY pm.message
"""


def unread_candidates(db: sqlite_utils.Database, since: str) -> list[AckCandidate]:
    """Messages sent to review that made no submission (nothing could be read as a form)."""
    out = []
    for r in rows_as_dicts(db, _UNREAD_SQL, {"since": since}):
        header = split_header(bytes(r["raw"]))[0]
        out.append(AckCandidate(
            message=r["message"], message_id=r["message_id"], references=_header(header, b"references"),
            sender=r["sender"], subject=r["subject"], received_at=r["received_at"], raw_header=header,
            submissions=(), review_reasons=r["review_reasons"] or "",
        ))
    return out


def ack_candidates(db: sqlite_utils.Database, kinds: tuple[str, ...], since: str) -> list[AckCandidate]:
    """Stored messages of the ``kinds`` received since ``since`` with no final acknowledgement."""
    if not kinds:
        return []
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    params: dict[str, Any] = {f"k{i}": k for i, k in enumerate(kinds)} | {"since": since}
    by_message: dict[int, list[dict[str, Any]]] = {}
    for r in rows_as_dicts(db, _ACK_SQL.format(kinds=marks), params):
        by_message.setdefault(r["message"], []).append(r)
    out = []
    for message, rows in by_message.items():
        first = rows[0]
        header = split_header(bytes(first["raw"]))[0]
        out.append(AckCandidate(
            message=message, message_id=first["message_id"], references=_header(header, b"references"),
            sender=first["sender"], subject=first["subject"], received_at=first["received_at"], raw_header=header,
            submissions=tuple(AckSubmission(
                key=r["key"], campaign=r["campaign"], period=r["period"], province_code=r["province_code"],
                province_th=r["province_th"], district_th=r["district_th"], image_count=r["image_count"] or 0,
                needs_review=bool(r["needs_review"]), review_reasons=r["review_reasons"]) for r in rows),
        ))
    return out


@dataclass(frozen=True)
class DecidedCandidate:
    """A submission a person settled after its acknowledgement: what the notice reports."""

    submission_key: str
    message: int
    campaign: str
    period: str
    province_code: str | None
    province_th: str | None
    district_th: str | None
    image_count: int
    excluded: bool
    disposition: str | None  # the newest confirm / not_submission / same_as, if any
    same_as: str | None
    changed: tuple[str, ...]  # the fields a person set
    decided_at: str
    sender: str | None
    subject: str | None
    message_id: str | None
    references: str | None
    ack_message_id: str | None  # our acknowledgement, for the thread
    raw_header: bytes

    @property
    def key(self) -> str:
        return f"submission:{self.submission_key}"


_DECIDED_SQL = """
SELECT s.key, s.message, s.campaign, s.period, s.province_code, p.name_th AS province_th,
       d.name_th AS district_th, s.image_count, s.excluded, s.sender, s.subject, m.message_id, r.raw,
       a.message_id AS ack_message_id,
       (SELECT MAX(x.decided_at) FROM decisions x WHERE x.submission_key = s.key) AS decided_at
FROM submissions s
JOIN messages m ON m.id = s.message
JOIN raw_messages r ON r.sha256 = m.sha256
JOIN province_mail a ON a.kind = 'ack' AND a.key = 'message:' || s.message AND a.status IN ({acks})
LEFT JOIN provinces p ON p.code = s.province_code
LEFT JOIN districts d ON d.code = s.district_code
WHERE s.campaign IN ({kinds}) AND s.key IS NOT NULL
  AND (s.needs_review = 0 OR s.excluded = 1)
  AND EXISTS (SELECT 1 FROM decisions x WHERE x.submission_key = s.key
              AND x.decided_at >= COALESCE(a.sent_at, a.last_at))
  AND NOT EXISTS (SELECT 1 FROM province_mail n WHERE n.kind = 'decided' AND n.key = 'submission:' || s.key
                  AND n.status IN ('sent', 'suppressed'))
ORDER BY s.message, s.id
"""


def decided_candidates(db: sqlite_utils.Database, kinds: tuple[str, ...], *,
                       dry_run: bool = False) -> list[DecidedCandidate]:
    """Settled submissions of ``kinds`` whose acknowledgement went out before a person decided.

    A real send follows only an acknowledgement that was sent; a dry run also one written to
    the outbox.
    """
    if not kinds:
        return []
    marks = ", ".join(f":k{i}" for i in range(len(kinds)))
    acks = "'sent', 'written'" if dry_run else "'sent'"
    out = []
    for r in rows_as_dicts(db, _DECIDED_SQL.format(kinds=marks, acks=acks), {f"k{i}": k for i, k in enumerate(kinds)}):
        decisions = rows_as_dicts(
            db, "SELECT action, field, value FROM decisions WHERE submission_key = ? ORDER BY id", [r["key"]])
        disposition = next((d for d in reversed(decisions)
                            if d["action"] in ("confirm", "not_submission", "same_as")), None)
        header = split_header(bytes(r["raw"]))[0]
        out.append(DecidedCandidate(
            submission_key=r["key"], message=r["message"], campaign=r["campaign"], period=r["period"],
            province_code=r["province_code"], province_th=r["province_th"], district_th=r["district_th"],
            image_count=r["image_count"] or 0, excluded=bool(r["excluded"]),
            disposition=disposition["action"] if disposition else None,
            same_as=disposition["value"] if disposition and disposition["action"] == "same_as" else None,
            changed=tuple(dict.fromkeys(d["field"] for d in decisions if d["action"] == "set" and d["field"])),
            decided_at=r["decided_at"], sender=r["sender"], subject=r["subject"], message_id=r["message_id"],
            references=_header(header, b"references"), ack_message_id=r["ack_message_id"], raw_header=header,
        ))
    return out


def _header(header: bytes, name: bytes) -> str | None:
    from areaplan.core.rfc822 import header_values

    value = header_values(header).get(name)
    return value.decode("ascii", "replace") if value else None


def past_senders(db: sqlite_utils.Database, province_code: str) -> list[str]:
    """Addresses that sent this province's clean submissions before, most recent first (never guessed)."""
    rows = db.execute(
        "SELECT sender, MAX(received_at) AS last FROM submissions WHERE province_code = ? AND sender IS NOT NULL"
        " AND needs_review = 0 GROUP BY lower(sender) ORDER BY last DESC",
        [province_code],
    ).fetchall()
    return [r[0] for r in rows]


def missing_provinces(db: sqlite_utils.Database, campaign_id: str, period: str) -> list[dict[str, Any]]:
    """Provinces in a zone with nothing received for the period (the ``province_status`` view)."""
    return rows_as_dicts(
        db,
        "SELECT province_code, province_name_th, zone, due_on FROM province_status"
        " WHERE campaign_id = ? AND period = ? AND status = 'missing' ORDER BY province_code",
        [campaign_id, period],
    )


# --------------------------------------------------------------------------- the ledger

def claim(db: sqlite_utils.Database, kind: str, key: str, province_code: str | None) -> bool:
    """Take (kind, key) for this run; False when it is final or another run is sending it."""
    now = utcnow()
    stale = (datetime.now(UTC) - timedelta(minutes=STALE_CLAIM_MINUTES)).replace(microsecond=0).isoformat()
    with transaction(db):
        row = db.execute("SELECT status, last_at FROM province_mail WHERE kind = ? AND key = ?", [kind, key]).fetchone()
        if row is None:
            db.execute(
                "INSERT INTO province_mail (kind, key, province_code, status, attempts, first_at, last_at)"
                " VALUES (?, ?, ?, 'sending', 1, ?, ?)", [kind, key, province_code, now, now])
            return True
        status, last = row
        if status in FINAL or (status == "sending" and last > stale):
            return False
        db.execute("UPDATE province_mail SET status = 'sending', attempts = attempts + 1, last_at = ?, error = NULL"
                   " WHERE kind = ? AND key = ?", [now, kind, key])
        return True


def finish(
    db: sqlite_utils.Database, kind: str, key: str, status: str, *, recipient: str | None = None,
    cc: tuple[str, ...] = (), subject: str | None = None, message_id: str | None = None,
    in_reply_to: str | None = None, reason: str | None = None, error: str | None = None,
) -> None:
    """Record how a claimed mail ended: sent, written (dry run), failed or suppressed (with a reason)."""
    now = utcnow()
    db.execute(
        "UPDATE province_mail SET status = ?, recipient = ?, cc = ?, subject = ?, message_id = ?, in_reply_to = ?,"
        " reason = ?, error = ?, last_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
        " WHERE kind = ? AND key = ?",
        [status, recipient, json.dumps(list(cc)) if cc else None, subject, message_id, in_reply_to, reason,
         (error or "")[:2000] or None, now, status, now, kind, key],
    )


def ledger(db: sqlite_utils.Database, kind: str | None = None) -> list[dict[str, Any]]:
    """Every row of the ledger (for reports and tests), oldest first."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    return rows_as_dicts(db, f"SELECT * FROM province_mail {where} ORDER BY first_at, kind, key", params)
