"""From one raw message to a ``ParsedMessage``: MIME, attachments, form, gazetteer.

``parse_raw`` is pure: bytes and settings in, a value out. It touches no database and loads
no store module, so it runs in worker processes; the application layer
(``areaplan.app.parse_job``) reads raw bytes from the store and saves what comes back.
Nothing here raises for bad input: whatever could not be read becomes a reason a person
can act on.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from areaplan.core.reasons import Reason
from areaplan.core.records import AttachmentRecord, ParsedMessage
from areaplan.core.rfc822 import stable_message_id
from areaplan.parsers.types import ParseSettings

log = logging.getLogger(__name__)

PARSER_VERSION = 1


def read_attachments(parts: Iterable, settings: ParseSettings) -> list[AttachmentRecord]:
    """Read every attachment, and every member of archives, breadth first, within the limits.

    One budget covers the whole message: ``limits.max_message_seconds`` of reading and
    ``limits.max_message_text_chars`` of text, whatever the number of attachments and
    archive members. A file whose bytes were already read (a ZIP listing one member a
    thousand times) is not read again: it refers to the first copy.
    """
    from areaplan.parsers.readers import read_attachment

    limits = settings.limits
    deadline = time.monotonic() + limits.max_message_seconds
    text_left = limits.max_message_text_chars
    queue: deque[tuple[str | None, str | None, bytes, int, int | None, str]] = deque()
    oversized: dict[int, int] = {}  # queue position -> size of a part left undecoded (too large)
    for p in parts:
        if getattr(p, "dropped_size", None):
            oversized[len(queue)] = p.dropped_size
        queue.append((p.filename, p.content_type, p.data, 0, None, getattr(p, "forward", "")))
    records: list[AttachmentRecord] = []
    first_of: dict[str, AttachmentRecord] = {}
    while queue:
        name, ctype, data, depth, parent, origin = queue.popleft()
        if len(records) >= limits.max_members:
            detail = f"more than {limits.max_members} attachments and archive members: the rest were not read"
            records[-1].problems.append(detail)
            records[-1].reasons.append(Reason("attachment.too_many", "attachment", evidence=str(limits.max_members),
                                              detail=detail))
            break
        sha = hashlib.sha256(data).hexdigest()
        rec = AttachmentRecord(part_index=len(records), filename=name, content_type=ctype, sha256=sha,
                               size=len(data), kind="unknown", parent=parent, origin=origin)
        label = name or f"attachment {rec.part_index}"
        records.append(rec)
        if rec.part_index in oversized:
            rec.size = oversized[rec.part_index]
            detail = (f"file is {rec.size / 2**20:.0f} MB, over the {limits.max_bytes / 2**20:.0f} MB limit; "
                      "not opened")
            rec.problems.append(f"ไฟล์ {label}: {detail}")
            rec.reasons.append(Reason("attachment.unreadable", "attachment", evidence=f"{label} ({detail})",
                                      detail=detail, source=label))
            continue
        if sha in first_of:
            first = first_of[sha]
            rec.kind = first.kind
            rec.notes.append(f"same content as {first.filename or first.part_index}: read once")
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            detail = (f"not read: the message's time budget ({limits.max_message_seconds:.0f} s) "
                      "was used up by the files before it")
            rec.problems.append(f"ไฟล์ {label}: {detail}")
            rec.reasons.append(Reason("attachment.unreadable", "attachment", evidence=f"{label} ({detail})",
                                      detail=detail, source=label))
            continue
        result = read_attachment(name or "", ctype or "", data,
                                 replace(limits, max_seconds=min(limits.max_seconds, left)), depth)
        first_of[sha] = rec
        rec.kind, rec.method, rec.pages, rec.ocr = result.kind, result.method, result.pages, result.ocr
        rec.problems, rec.notes, rec.images = list(result.problems), list(result.notes), list(result.images)
        rec.sections = [t[: max(text_left, 0)] for t in result.sections]
        rec.text = result.text[: max(text_left, 0)]
        if len(rec.text) < len(result.text):
            rec.notes.append(f"text cut: the message's {limits.max_message_text_chars:,} characters were used up")
        text_left -= len(rec.text)
        coded = [r.detail for r in result.reasons if r.detail]  # the reader coded these itself
        rec.reasons = [Reason("attachment.unreadable", "attachment", evidence=f"{label} ({p})", detail=p, source=label)
                       for p in result.problems if not any(p.endswith(d) for d in coded)]
        # a reader's own reasons carry evidence for staff (a member's name, "3 แห่ง"), not
        # a reader's English, so it is not put in the parentheses staff_th leaves out
        rec.reasons += [replace(r, evidence=f"{label}: {r.evidence}" if r.evidence else label, source=label)
                        for r in result.reasons]
        rec.cell_forms = list(result.cell_forms)
        for member_name, member_data in result.members:
            if depth + 1 > limits.max_depth:
                detail = f"{name}: archives nested deeper than {limits.max_depth}: {member_name} not read"
                rec.problems.append(detail)
                rec.reasons.append(Reason("attachment.nested_too_deep", "attachment", evidence=f"{name} / {member_name}",
                                          detail=detail, source=name))
                continue
            guessed = mimetypes.guess_type(member_name)[0] or "application/octet-stream"
            queue.append((member_name, guessed, member_data, depth + 1, rec.part_index, origin))
    return records


def parse_raw(raw: bytes, settings: ParseSettings, received_at: str) -> ParsedMessage:
    """Everything areaplan derives from one message."""
    from areaplan.parsers.mime import parse_message

    try:
        mime = parse_message(raw)
    except Exception as err:  # noqa: BLE001 - recorded, the raw bytes stay stored
        log.warning("MIME parsing failed: %s", err)
        return ParsedMessage(
            message_id=stable_message_id(None, raw),
            status="review",
            reasons=[Reason("message.undecodable", "message", evidence=f"{type(err).__name__}: {err}")],
        )
    pm = ParsedMessage(
        message_id=stable_message_id(mime.message_id, raw),
        subject=mime.subject or "",
        from_name=mime.from_name or "",
        from_addr=(mime.from_addr or "").lower(),
        to_addrs=", ".join(mime.to or []),
        sent_at=mime.date.isoformat() if mime.date else None,
        text_body=mime.text_body or "",
        defects=list(mime.defects),
    )
    pm.attachments = read_attachments(mime.attachments, settings)
    from areaplan.parsers.submission import extract_submission

    extract_submission(pm, mime, settings, received_at)
    return pm
