"""Follow-ups and shared links: what links one message to another submission (all derived).

The parser marks a message that only adds photos or links to an earlier submission
(``ParsedMessage.followup``) and lists file-sharing links (``ParsedMessage.links``);
``save_parsed`` writes them to ``followup_hints`` and ``shared_links``. ``link_followups``
then links every hint to the submission it belongs to, across messages, and is run after
each batch of parsing (so ``areaplan reparse`` rebuilds it):

1. the same thread: a Message-ID in its ``In-Reply-To`` / ``References`` is a submission's
   (or one of our acknowledgements of it, ``province_mail``);
2. else the same sender and the same subject (without Re:/Fwd:), sent before it;
3. else the same sender's latest submission within ``SENDER_WINDOW_HOURS`` before it.

A linked follow-up is ``other`` mail, its pictures counted on that submission
(``submissions.followup_images``; the views add them to ``image_count``). One that links to
nothing goes to review (``followup.unlinked``), never becomes a submission of its own.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from areaplan.core.reasons import REASONS, REVIEW, staff_th
from areaplan.core.records import ParsedMessage
from areaplan.core.rfc822 import subject_key
from areaplan.store.schema import run_script
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

SENDER_WINDOW_HOURS = 72
UNLINKED = "followup.unlinked"


def followup_tables(db: sqlite_utils.Database) -> None:
    """0011: follow-up hints, their links to submissions, shared links, follow-up pictures."""
    from areaplan.store.status import create_views

    run_script(
        db,
        """
        -- A message that adds photos or links to an earlier submission (what the parser saw).
        CREATE TABLE followup_hints (
            message      INTEGER PRIMARY KEY REFERENCES messages(id),
            kind         TEXT NOT NULL,          -- photos | links
            from_addr    TEXT,
            subject_key  TEXT,                   -- subject without Re:/Fwd:, case folded
            in_reply_to  TEXT,
            refs         TEXT,                   -- JSON list of Message-IDs (References)
            images       INTEGER NOT NULL DEFAULT 0,
            evidence     TEXT
        );
        -- Which submission each follow-up belongs to (rebuilt by store.followups.link_followups).
        CREATE TABLE followups (
            message        INTEGER PRIMARY KEY REFERENCES messages(id),
            submission_key TEXT NOT NULL,
            target_message INTEGER NOT NULL,
            method         TEXT NOT NULL,        -- thread | subject | sender
            images         INTEGER NOT NULL DEFAULT 0,
            evidence       TEXT
        );
        CREATE INDEX followups_submission ON followups(submission_key);
        -- Links to files shared elsewhere (Google Drive, OneDrive, Dropbox, LINE, ...).
        CREATE TABLE shared_links (
            message  INTEGER NOT NULL REFERENCES messages(id),
            url      TEXT NOT NULL,
            service  TEXT NOT NULL,
            PRIMARY KEY (message, url)
        );
        ALTER TABLE submissions ADD COLUMN followup_images INTEGER NOT NULL DEFAULT 0;
        -- What linking looks up: a thread's Message-IDs, a sender's earlier submissions.
        CREATE INDEX submissions_message_id ON submissions(message_id);
        CREATE INDEX parsed_messages_sender ON parsed_messages(lower(from_addr));
        """,
    )
    create_views(db)


def save_hints(db: sqlite_utils.Database, message: int, pm: ParsedMessage) -> None:
    """Write ``pm``'s follow-up hint and shared links (inside ``save_parsed``'s transaction)."""
    h = pm.followup
    if h is not None:
        db.execute(
            "INSERT INTO followup_hints (message, kind, from_addr, subject_key, in_reply_to, refs, images, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [message, h.kind, h.from_addr, h.subject_key, h.in_reply_to,
             json.dumps(list(h.references)) if h.references else None, h.images, h.evidence],
        )
    db.conn.executemany("INSERT OR IGNORE INTO shared_links (message, url, service) VALUES (?, ?, ?)",
                        [(message, link.url, link.service) for link in pm.links])


def _thread_ids(db: sqlite_utils.Database, in_reply_to: str | None, refs: str | None) -> list[str]:
    """The Message-IDs a follow-up continues, newest first, through our own acknowledgements."""
    ids = ([in_reply_to] if in_reply_to else []) + list(reversed(json.loads(refs) if refs else []))
    out: list[str] = []
    for mid in ids:
        mid = mid.strip().strip("<>")
        if mid and mid not in out:
            out.append(mid)
        ack = db.execute("SELECT in_reply_to FROM province_mail WHERE message_id = ? OR message_id = ?",
                         [mid, f"<{mid}>"]).fetchone()
        if ack and ack[0]:
            orig = ack[0].strip().strip("<>")
            if orig not in out:
                out.append(orig)
    return out


_TARGET = """SELECT s.key, s.message FROM submissions s JOIN parsed_messages p ON p.message = s.message
             WHERE {where} AND s.message != ? AND julianday(s.received_at) <= julianday(?) + 0.0007
             ORDER BY (s.key = CAST(s.message AS TEXT)) DESC, julianday(s.received_at) DESC, s.id DESC LIMIT 1"""


def _target(db: sqlite_utils.Database, hint: dict) -> tuple[str, int, str] | None:
    """(submission key, its message, method) of the submission ``hint`` belongs to, or None."""
    message, received = hint["message"], hint["received_at"] or "9999-12-31"
    for mid in _thread_ids(db, hint["in_reply_to"], hint["refs"]):
        row = db.execute(_TARGET.format(where="s.message_id = ?"), [mid, message, received]).fetchone()
        if row:
            return row[0], row[1], "thread"
    addr = (hint["from_addr"] or "").lower()
    if not addr:
        return None
    rows = db.execute(
        """SELECT s.key, s.message, s.subject FROM submissions s JOIN parsed_messages p ON p.message = s.message
           WHERE lower(p.from_addr) = ? AND s.message != ? AND julianday(s.received_at) <= julianday(?) + 0.0007
           ORDER BY (s.key = CAST(s.message AS TEXT)) DESC, julianday(s.received_at) DESC, s.id DESC""",
        [addr, message, received]).fetchall()
    for key, target, subject in rows:
        if hint["subject_key"] and subject_key(subject) == hint["subject_key"]:
            return key, target, "subject"
    row = db.execute(
        _TARGET.format(where="lower(p.from_addr) = ? AND julianday(?) - julianday(s.received_at) <= ?"),
        [addr, received, SENDER_WINDOW_HOURS / 24, message, received]).fetchone()
    return (row[0], row[1], "sender") if row else None


def link_followups(db: sqlite_utils.Database) -> tuple[int, int]:
    """Link every hint to its submission and recount ``submissions.followup_images``. (linked, unlinked).

    Every hint is looked at again (a submission stored after its follow-up links it now), but
    only a follow-up whose link changed is written and restated: an unlinked one gets the
    review reason ``followup.unlinked`` and people's decisions on it (``store.decisions``)
    are applied again.
    """
    from areaplan.store.decisions import apply_decisions

    linked = unlinked = 0
    with transaction(db):
        before = {r[0]: (r[1], r[2]) for r in db.execute("SELECT message, submission_key, method FROM followups")}
        flagged = {r[0] for r in db.execute("SELECT DISTINCT message FROM reasons WHERE source = 'followup'")}
        cur = db.execute("""SELECT h.*, p.received_at FROM followup_hints h
                            JOIN parsed_messages p ON p.message = h.message ORDER BY h.message""")
        names = [c[0] for c in cur.description]
        hinted: set[int] = set()
        for row in cur.fetchall():
            hint = dict(zip(names, row, strict=True))
            message = hint["message"]
            hinted.add(message)
            found = _target(db, hint)
            linked, unlinked = linked + bool(found), unlinked + (not found)
            if found and before.get(message) == (found[0], found[2]) and message not in flagged:
                continue  # unchanged
            if not found and message in flagged and message not in before:
                continue  # still unlinked
            _relink(db, hint, found)
            apply_decisions(db, message)
        for message in set(before) - hinted:  # no longer a follow-up
            db.execute("DELETE FROM followups WHERE message = ?", [message])
        db.execute("UPDATE submissions SET followup_images = 0 WHERE followup_images != 0")
        db.execute("""UPDATE submissions SET followup_images = (
                          SELECT SUM(f.images) FROM followups f WHERE f.submission_key = submissions.key)
                      WHERE key IN (SELECT submission_key FROM followups)""")
    return linked, unlinked


def _relink(db: sqlite_utils.Database, hint: dict, found: tuple[str, int, str] | None) -> None:
    message = hint["message"]
    db.execute("DELETE FROM followups WHERE message = ?", [message])
    db.execute("DELETE FROM reasons WHERE message = ? AND source = 'followup'", [message])
    if found:
        key, target, method = found
        db.execute("INSERT INTO followups VALUES (?, ?, ?, ?, ?, ?)",
                   [message, key, target, method, hint["images"], hint["evidence"]])
    else:
        kind = REASONS[UNLINKED]
        db.execute(
            "INSERT INTO reasons (message, submission_key, code, field, evidence, severity, text_th, detail,"
            " source) VALUES (?, NULL, ?, 'message', ?, ?, ?, ?, 'followup')",
            [message, UNLINKED, hint["evidence"], kind.severity,
             staff_th(UNLINKED, hint["evidence"] or ""), kind.en])
    _restate(db, message)


def _restate(db: sqlite_utils.Database, message: int) -> None:
    """The follow-up's status from its message-level reasons (review if any needs a person)."""
    lines = [r[0] for r in db.execute(
        "SELECT text_th FROM reasons WHERE message = ? AND submission_key IS NULL AND severity = ? ORDER BY id",
        [message, REVIEW])]
    status = "review" if lines else "other"
    db.execute("UPDATE parsed_messages SET status = ?, machine_status = ?, review_reasons = ? WHERE message = ?",
               [status, status, "\n".join(lines) or None, message])
