"""Parsing stored messages: the orchestration around the pure ``parsers.pipeline.parse_raw``.

The parsers read bytes and return values; the store writes them. This module wires the two:
one message (``parse_and_save``), everything pending (``parse_pending``), or the whole store
again on every core (``reparse``). Nothing here raises for bad input: a message whose parsing
fails gets a recorded reason and the run goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from areaplan.core.config import Config
from areaplan.core.reasons import Reason
from areaplan.core.records import ParsedMessage
from areaplan.parsers.pipeline import PARSER_VERSION, parse_raw
from areaplan.parsers.types import ParseSettings
from areaplan.store.messages import raw_bytes
from areaplan.store.parsed import all_messages, pending_messages, received_at_of, save_parsed

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def parse_settings(cfg: Config) -> ParseSettings:
    """What parsing needs from the config (picklable, for worker processes)."""
    from areaplan.digest.settings import load_campaigns

    return ParseSettings(
        zone_overrides=tuple(sorted(cfg.zone_overrides.items())),
        senders=tuple(sorted(cfg.senders.items())),
        campaigns=tuple(load_campaigns(cfg)),
    )


def _failed(message: int, err: BaseException) -> ParsedMessage:
    return ParsedMessage(
        message_id=f"message-{message}",
        status="review",
        reasons=[Reason("parse.failed", "message", evidence=f"{type(err).__name__}: {err}")],
    )


def parse_one(message: int, raw: bytes, received_at: str, settings: ParseSettings) -> ParsedMessage:
    """``parse_raw`` that never raises: a parser bug becomes a reason on the message."""
    try:
        return parse_raw(raw, settings, received_at)
    except Exception as err:  # noqa: BLE001 - a parser bug must not stop the run
        log.exception("parsing message %s failed", message)
        return _failed(message, err)


def parse_and_save(db: sqlite_utils.Database, message: int, settings: ParseSettings | None = None) -> str:
    """Parse one stored message and save what was derived; returns its status."""
    settings = settings or ParseSettings()
    received_at = received_at_of(db, message)
    parsed = parse_one(message, raw_bytes(db, message), received_at, settings)
    save_parsed(db, message, parsed, received_at, PARSER_VERSION)
    return parsed.status


def parse_pending(db: sqlite_utils.Database, settings: ParseSettings | None = None) -> tuple[int, int]:
    """Parse every message without a parsed row (or parsed by an older parser). (parsed, review)."""
    parsed = review = 0
    for message in pending_messages(db, PARSER_VERSION):
        status = parse_and_save(db, message, settings)
        parsed += 1
        review += status == "review"
    return parsed, review


def _parse_task(args: tuple[int, bytes, str, ParseSettings]) -> tuple[int, ParsedMessage]:
    message, raw, received_at, settings = args
    return message, parse_one(message, raw, received_at, settings)


def reparse(db: sqlite_utils.Database, settings: ParseSettings | None = None, *, pending_only: bool = False,
            workers: int | None = None, progress=None) -> tuple[int, int]:
    """Rebuild derived rows from raw messages (all, or only pending), parsing on every core.

    Idempotent: each message's derived rows are replaced in one transaction, so running it
    twice, or after a crash half-way, gives the same store.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor

    settings = settings or ParseSettings()
    messages = pending_messages(db, PARSER_VERSION) if pending_only else all_messages(db)
    workers = workers or os.cpu_count() or 1

    def tasks():
        for m in messages:
            yield (m, raw_bytes(db, m), received_at_of(db, m), settings)

    parsed = review = 0

    def save(message: int, pm: ParsedMessage) -> None:
        nonlocal parsed, review
        save_parsed(db, message, pm, received_at_of(db, message), PARSER_VERSION)
        parsed += 1
        review += pm.status == "review"
        if progress:
            progress(1)

    if workers <= 1 or len(messages) < 4:
        for task in tasks():
            save(*_parse_task(task))
        return parsed, review
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for message, pm in pool.map(_parse_task, tasks(), chunksize=4):
            save(message, pm)
    return parsed, review
