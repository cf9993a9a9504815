"""From one stored raw message to a ``ParsedMessage``: MIME, attachments, form, gazetteer.

``parse_raw`` is pure (bytes in, value out) so it can run in worker processes;
``parse_and_save`` / ``parse_pending`` / ``reparse_all`` read raw bytes from the store
and hand the result to ``store.parsed.save_parsed``. Nothing here raises for bad
input: whatever could not be read becomes a review reason a person can act on.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections import deque
from collections.abc import Iterable

from areaplan.parsers.types import (
    AttachmentRecord,
    ParsedMessage,
    ParseSettings,
)

log = logging.getLogger(__name__)

PARSER_VERSION = 1
CONFIDENT = 0.9  # a gazetteer match below this goes to review


def _gazetteer(settings: ParseSettings):
    from areaplan.core.gazetteer import Gazetteer

    return Gazetteer.load(dict(settings.zone_overrides) or None)


def stable_message_id(mime_id: str | None, raw: bytes) -> str:
    """The Message-ID, or an id derived from the content when the header is missing."""
    if mime_id:
        return mime_id
    from areaplan.store.messages import content_key

    return "noid-" + content_key(raw)[:40]


def period_for(campaign: str, received_at: str, settings: ParseSettings) -> str:
    """The campaign period a submission counts for: the same rule the digest's views use."""
    from areaplan.core.campaigns import DEFAULT_CAMPAIGNS
    from areaplan.core.campaigns import period_for as campaign_period

    return campaign_period(campaign, received_at, settings.campaigns or DEFAULT_CAMPAIGNS)


def read_attachments(parts: Iterable, settings: ParseSettings) -> list[AttachmentRecord]:
    """Read every attachment, and every member of archives, breadth first, within the limits.

    One budget covers the whole message: ``limits.max_message_seconds`` of reading and
    ``limits.max_message_text_chars`` of text, whatever the number of attachments and
    archive members. A file whose bytes were already read (a ZIP listing one member a
    thousand times) is not read again: it refers to the first copy.
    """
    import time
    from dataclasses import replace

    from areaplan.parsers.readers import read_attachment

    limits = settings.limits
    deadline = time.monotonic() + limits.max_message_seconds
    text_left = limits.max_message_text_chars
    queue: deque[tuple[str | None, str | None, bytes, int]] = deque(
        (p.filename, p.content_type, p.data, 0) for p in parts
    )
    records: list[AttachmentRecord] = []
    first_of: dict[str, AttachmentRecord] = {}
    while queue:
        name, ctype, data, depth = queue.popleft()
        if len(records) >= limits.max_members:
            records[-1].problems.append(
                f"more than {limits.max_members} attachments and archive members: the rest were not read"
            )
            break
        sha = hashlib.sha256(data).hexdigest()
        rec = AttachmentRecord(part_index=len(records), filename=name, content_type=ctype, sha256=sha,
                               size=len(data), kind="unknown")
        records.append(rec)
        left = deadline - time.monotonic()
        if sha in first_of:
            first = first_of[sha]
            rec.kind = first.kind
            rec.notes.append(f"same content as {first.filename or first.part_index}: read once")
            continue
        if left <= 0:
            rec.problems.append(
                f"ไฟล์ {name or '(no name)'}: not read: the message's time budget "
                f"({limits.max_message_seconds:.0f} s) was used up by the files before it"
            )
            continue
        result = read_attachment(name or "", ctype or "", data,
                                 replace(limits, max_seconds=min(limits.max_seconds, left)), depth)
        first_of[sha] = rec
        rec.kind, rec.method, rec.pages, rec.ocr = result.kind, result.method, result.pages, result.ocr
        rec.problems, rec.notes, rec.images = list(result.problems), list(result.notes), list(result.images)
        rec.text = result.text[: max(text_left, 0)]
        if len(rec.text) < len(result.text):
            rec.notes.append(f"text cut: the message's {limits.max_message_text_chars:,} characters were used up")
        text_left -= len(rec.text)
        for member_name, member_data in result.members:
            if depth + 1 > limits.max_depth:
                rec.problems.append(f"{name}: archives nested deeper than {limits.max_depth}: {member_name} not read")
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
            review_reasons=[f"the message could not be decoded ({type(err).__name__}: {err}); read the raw message"],
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
    from areaplan.parsers.extract import extract_submission

    extract_submission(pm, mime, settings, received_at)
    return pm


def _received_at(db, message: int) -> str:
    from areaplan.store.parsed import received_at_of

    return received_at_of(db, message)


def parse_and_save(db, message: int, settings: ParseSettings | None = None) -> str:
    """Parse one stored message and save what was derived; returns its status."""
    from areaplan.store.messages import raw_bytes
    from areaplan.store.parsed import save_parsed

    settings = settings or ParseSettings()
    received_at = _received_at(db, message)
    try:
        parsed = parse_raw(raw_bytes(db, message), settings, received_at)
    except Exception as err:  # noqa: BLE001 - a parser bug must not stop the run
        log.exception("parsing message %s failed", message)
        parsed = ParsedMessage(
            message_id=f"message-{message}",
            status="review",
            review_reasons=[f"areaplan could not parse this message ({type(err).__name__}: {err}); "
                            "report it to the developers and read the raw message"],
        )
    save_parsed(db, message, parsed, received_at, PARSER_VERSION)
    return parsed.status


def parse_pending(db, settings: ParseSettings | None = None) -> tuple[int, int]:
    """Parse every message without a parsed row (or parsed by an older parser). (parsed, review)."""
    from areaplan.store.parsed import pending_messages

    parsed = review = 0
    for message in pending_messages(db, PARSER_VERSION):
        status = parse_and_save(db, message, settings)
        parsed += 1
        review += status == "review"
    return parsed, review


def _parse_job(args: tuple[int, bytes, str, ParseSettings]) -> tuple[int, ParsedMessage]:
    message, raw, received_at, settings = args
    try:
        return message, parse_raw(raw, settings, received_at)
    except Exception as err:  # noqa: BLE001 - a parser bug must not stop the run
        return message, ParsedMessage(
            message_id=f"message-{message}",
            status="review",
            review_reasons=[f"areaplan could not parse this message ({type(err).__name__}: {err})"],
        )


def reparse(db, settings: ParseSettings | None = None, *, pending_only: bool = False,
            workers: int | None = None, progress=None) -> tuple[int, int]:
    """Rebuild derived rows from raw messages (all, or only pending), parsing on every core.

    Idempotent: each message's derived rows are replaced in one transaction, so running it
    twice, or after a crash half-way, gives the same store.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor

    from areaplan.store.messages import raw_bytes
    from areaplan.store.parsed import pending_messages, save_parsed

    settings = settings or ParseSettings()
    if pending_only:
        messages = pending_messages(db, PARSER_VERSION)
    else:
        messages = [r[0] for r in db.execute("SELECT id FROM messages ORDER BY id")]
    workers = workers or os.cpu_count() or 1

    def jobs():
        for m in messages:
            yield (m, raw_bytes(db, m), _received_at(db, m), settings)

    parsed = review = 0

    def save(message: int, pm: ParsedMessage) -> None:
        nonlocal parsed, review
        save_parsed(db, message, pm, _received_at(db, message), PARSER_VERSION)
        parsed += 1
        review += pm.status == "review"
        if progress:
            progress(1)

    if workers <= 1 or len(messages) < 4:
        for job in jobs():
            save(*_parse_job(job))
        return parsed, review
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for message, pm in pool.map(_parse_job, jobs(), chunksize=4):
            save(message, pm)
    return parsed, review
