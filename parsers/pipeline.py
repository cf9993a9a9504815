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
from collections.abc import Iterable

from areaplan.core.reasons import Reason
from areaplan.core.records import AttachmentRecord, ParsedMessage
from areaplan.core.rfc822 import stable_message_id
from areaplan.parsers.types import ParseSettings

log = logging.getLogger(__name__)

PARSER_VERSION = 1


def read_attachments(parts: Iterable, settings: ParseSettings) -> list[AttachmentRecord]:
    """Read every attachment, and every member of archives, breadth first, within the limits."""
    from areaplan.parsers.readers import read_attachment

    limits = settings.limits
    queue: list[tuple[str | None, str | None, bytes, int]] = [
        (p.filename, p.content_type, p.data, 0) for p in parts
    ]
    records: list[AttachmentRecord] = []
    while queue:
        name, ctype, data, depth = queue.pop(0)
        if len(records) >= limits.max_members:
            detail = f"more than {limits.max_members} attachments and archive members: the rest were not read"
            records[-1].problems.append(detail)
            records[-1].reasons.append(Reason("attachment.too_many", "attachment", evidence=str(limits.max_members),
                                              detail=detail))
            break
        result = read_attachment(name or "", ctype or "", data, limits, depth)
        rec = AttachmentRecord(
            part_index=len(records),
            filename=name,
            content_type=ctype,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            kind=result.kind,
            method=result.method,
            pages=result.pages,
            ocr=result.ocr,
            text=result.text,
            problems=list(result.problems),
            notes=list(result.notes),
            images=list(result.images),
        )
        label = name or f"attachment {rec.part_index}"
        rec.reasons = [Reason("attachment.unreadable", "attachment", evidence=f"{label} ({p})", detail=p, source=label)
                       for p in result.problems]
        records.append(rec)
        for member_name, member_data in result.members:
            if depth + 1 > limits.max_depth:
                detail = f"{name}: archives nested deeper than {limits.max_depth}: {member_name} not read"
                rec.problems.append(detail)
                rec.reasons.append(Reason("attachment.nested_too_deep", "attachment", evidence=f"{name} / {member_name}",
                                          detail=detail, source=name))
                continue
            guessed = mimetypes.guess_type(member_name)[0] or "application/octet-stream"
            queue.append((member_name, guessed, member_data, depth + 1))
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
