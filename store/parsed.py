"""Writing and reading what the parsers derived (all rebuildable from raw messages)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.core.clock import utcnow
from areaplan.core.files import umask_mode
from areaplan.core.reasons import REVIEW, Reason
from areaplan.core.records import ExtractedImage, ParsedMessage
from areaplan.store.current import refresh_current
from areaplan.store.db import files_dir
from areaplan.store.decisions import apply_decisions
from areaplan.store.derived import PER_MESSAGE_TABLES
from areaplan.store.followups import save_hints
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
              "image/heic": ".heic", "image/tiff": ".tif", "image/bmp": ".bmp"}


def received_at_of(db: sqlite_utils.Database, message: int) -> str:
    """When the message arrived: IMAP INTERNALDATE, else its Date header, else when first seen."""
    row = db.execute("SELECT internal_date, first_seen, source FROM messages WHERE id = ?", [message]).fetchone()
    if row is None:
        raise KeyError(f"no message {message}")
    internal, first_seen, source = row
    if source == "imap" and internal:
        return internal
    from email.utils import parsedate_to_datetime

    from areaplan.core.rfc822 import header_values, split_header

    head = db.execute(  # the first 64 KB only: a 70 MB message is not loaded for its Date
        "SELECT substr(r.raw, 1, 65536) FROM messages m JOIN raw_messages r ON r.sha256 = m.sha256 WHERE m.id = ?",
        [message],
    ).fetchone()
    date = header_values(split_header(bytes(head[0]) if head else b"")[0]).get(b"date")
    if date:
        try:
            dt = parsedate_to_datetime(date.decode("ascii", "replace"))
            if dt.tzinfo is not None:
                return dt.isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):  # e.g. the year 99999999999999999999
            pass
    return internal or first_seen


def pending_messages(db: sqlite_utils.Database, parser_version: int) -> list[int]:
    return [r[0] for r in db.execute(
        """SELECT m.id FROM messages m LEFT JOIN parsed_messages p ON p.message = m.id
           WHERE p.message IS NULL OR p.parser_version < ? ORDER BY m.id""",
        [parser_version],
    )]


def all_messages(db: sqlite_utils.Database) -> list[int]:
    """Every stored message id, oldest first."""
    return [r[0] for r in db.execute("SELECT id FROM messages ORDER BY id")]


def save_image(folder: Path, img: ExtractedImage) -> tuple[str, str]:
    """Write ``img`` to ``folder/images/ab/<sha256>.<ext>`` (atomically, once); (sha256, relative path)."""
    import hashlib

    sha = hashlib.sha256(img.data).hexdigest()
    rel = Path("images") / sha[:2] / (sha + EXTENSIONS.get(img.mime_type, ".bin"))
    target = folder / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        os.fchmod(fd, umask_mode())  # readable as the umask allows, like the database beside it
        with os.fdopen(fd, "wb") as f:
            f.write(img.data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    return sha, str(rel)


_FIELD_COLUMNS = {"province": "province_code", "district": "district_code"}


def _field_value(s, name: str) -> str | None:
    value = getattr(s, _FIELD_COLUMNS.get(name, name), None)
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _segment(text: str | None) -> str:
    if not text:
        return ""
    from areaplan.core.thai_text import segment_for_search

    return segment_for_search(text)


def delete_derived(db: sqlite_utils.Database, message: int) -> None:
    """Remove every derived row of ``message`` (the tables of ``derived.PER_MESSAGE_TABLES``)."""
    db.execute("DELETE FROM submissions_fts WHERE rowid IN (SELECT id FROM submissions WHERE message = ?)",
               [message])
    for table in PER_MESSAGE_TABLES:
        db.execute(f"DELETE FROM {table} WHERE message = ?", [message])


def submission_key(message: int, slot: str = "") -> str:
    """The stable key of a submission of ``message``: "12" for its main form (as for a message
    with one form), "12.<slot>" for a further form ("12.3": attachment or archive member 3,
    "12.3-1": the second form in that file, "12.b1": a second form in the body)."""
    return str(message) if not slot else f"{message}.{slot}"


def submission_id(message: int, slot: str = "", taken: set[int] | None = None) -> int:
    """The rowid: the message id for its main submission (as always), and for further ones an id
    above any message id (2**40 + message * 4096 + a number from the slot), stable across reparses."""
    if not slot:
        return message
    import zlib

    n = zlib.crc32(slot.encode()) % 4095 + 1
    taken = taken if taken is not None else set()
    while (1 << 40) + message * 4096 + n in taken:
        n = n % 4095 + 1
    sid = (1 << 40) + message * 4096 + n
    taken.add(sid)
    return sid


def _reason_rows(message: int, key: str | None, reasons: list[Reason]) -> list[tuple]:
    return [(message, key, r.code, r.field, r.evidence or None, r.severity, r.text_th, r.detail or None, r.source)
            for r in reasons]


def save_parsed(db: sqlite_utils.Database, message: int, pm: ParsedMessage, received_at: str,
                parser_version: int) -> None:
    """Replace every derived row of ``message`` with ``pm``, in one transaction."""
    folder = files_dir(db)
    images: list[tuple[str, str, ExtractedImage, int | None]] = []  # sha, path, img, attachment part
    for rec in pm.attachments:
        for img in rec.images:
            sha, rel = save_image(folder, img)
            images.append((sha, rel, img, rec.part_index))
    for img in pm.body_images:
        sha, rel = save_image(folder, img)
        images.append((sha, rel, img, None))
    with transaction(db):
        before = {tuple(r) for r in db.execute(
            "SELECT DISTINCT campaign, period, province_code FROM submissions WHERE message = ?", [message])}
        delete_derived(db, message)
        db.execute(
            """INSERT INTO parsed_messages (message, parser_version, parsed_at, subject, from_name, from_addr,
               to_addrs, sent_at, received_at, text_body, campaign, campaign_reason, status, review_reasons, defects)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [message, parser_version, utcnow(), pm.subject, pm.from_name, pm.from_addr, pm.to_addrs, pm.sent_at,
             received_at, pm.text_body, pm.campaign, pm.campaign_reason, pm.status,
             "\n".join(pm.review_reasons) or None, json.dumps(pm.defects, ensure_ascii=False) if pm.defects else None],
        )
        attachment_ids: dict[int, int] = {}
        for rec in pm.attachments:
            cur = db.execute(
                """INSERT INTO attachments (message, part_index, filename, content_type, sha256, size, kind, method,
                   pages, ocr, text, problems, notes, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [message, rec.part_index, rec.filename, rec.content_type, rec.sha256, rec.size, rec.kind, rec.method,
                 rec.pages, int(rec.ocr), rec.text, "\n".join(rec.problems) or None, "\n".join(rec.notes) or None,
                 rec.origin],
            )
            attachment_ids[rec.part_index] = cur.lastrowid
        for sha, rel, img, part in images:
            db.execute(
                "INSERT OR IGNORE INTO images (sha256, mime_type, width, height, size, path) VALUES (?, ?, ?, ?, ?, ?)",
                [sha, img.mime_type, img.width, img.height, len(img.data), rel],
            )
            db.execute(
                """INSERT OR IGNORE INTO message_images (message, image, attachment, filename, source)
                   VALUES (?, ?, ?, ?, ?)""",
                [message, sha, attachment_ids.get(part) if part is not None else None, img.filename, img.source],
            )
        db.conn.executemany(
            "INSERT INTO reasons (message, submission_key, code, field, evidence, severity, text_th, detail, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _reason_rows(message, None, pm.reasons))
        save_hints(db, message, pm)
        own_review = [r.text_th for r in pm.reasons if r.severity == REVIEW]
        ids: set[int] = set()
        after: set[tuple] = set()
        for n, s in enumerate(pm.submissions):
            s.key = submission_key(message, "" if n == 0 else (s.slot or str(n)))
            lines = own_review + s.review_reasons
            cur = db.execute(
                """INSERT INTO submissions (id, key, message, message_id, campaign, period, received_at, sender,
                   subject, province_code, province_confidence, district_code, district_confidence, zone,
                   zone_written, reporter_name, reporter_position, coordinator, phones, narrative, criteria,
                   image_count, source, needs_review, review_reasons, is_current)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""",
                [submission_id(message, "" if n == 0 else (s.slot or str(n)), ids), s.key, message, pm.message_id,
                 s.campaign, s.period, received_at,
                 f"{pm.from_name} <{pm.from_addr}>" if pm.from_name else pm.from_addr, pm.subject,
                 s.province_code, s.province_confidence, s.district_code, s.district_confidence, s.zone,
                 s.zone_written, s.reporter_name, s.reporter_position, s.coordinator,
                 ", ".join(s.phones) or None, s.narrative,
                 json.dumps({str(k): v for k, v in s.criteria.items()}, ensure_ascii=False) if s.criteria else None,
                 s.image_count, s.source, int(bool(lines)), "\n".join(lines) or None],
            )
            stored = {sha for sha, _rel, _img, _part in images}
            db.conn.executemany(
                "INSERT OR IGNORE INTO submission_images (message, submission_key, image) VALUES (?, ?, ?)",
                [(message, s.key, sha) for sha in s.images if sha in stored])
            db.execute(
                "INSERT INTO submissions_fts (rowid, narrative, subject) VALUES (?, ?, ?)",
                [cur.lastrowid, _segment(s.narrative), _segment(pm.subject)],
            )
            db.conn.executemany(
                "INSERT INTO reasons (message, submission_key, code, field, evidence, severity, text_th, detail,"
                " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _reason_rows(message, s.key, s.reasons))
            db.conn.executemany(
                """INSERT INTO field_provenance (message, submission_key, field, value, source, attachment_part,
                   filename, page, method, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(message, s.key, name, _field_value(s, name), pv.source, pv.attachment_part, pv.filename,
                  pv.page, pv.method or None, pv.confidence) for name, pv in sorted(s.provenance.items())])
            after.add((s.campaign, s.period, s.province_code))
        for group in after | before:
            refresh_current(db, *group)
        apply_decisions(db, message)
