"""Parsing stored messages: the orchestration around the pure ``parsers.pipeline.parse_raw``.

The parsers read bytes and return values; the store writes them. This module wires the two:
one message (``parse_and_save``), everything pending (``parse_pending``), or the whole store
again on every core (``reparse``). Nothing here raises for bad input: a message whose parsing
fails gets a recorded reason and the run goes on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from areaplan.core.bounded import MEMORY, TIMEOUT, BoundedWorkers, Budget, cpu_count
from areaplan.core.config import Config, config_value
from areaplan.core.errors import ConfigError
from areaplan.core.reasons import Reason
from areaplan.core.records import ParsedMessage
from areaplan.parsers.pipeline import PARSER_VERSION, parse_raw
from areaplan.parsers.types import ParseSettings
from areaplan.store.decisions import still_in_review
from areaplan.store.messages import raw_bytes
from areaplan.store.parsed import all_messages, pending_messages, received_at_of, save_parsed

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def parse_settings(cfg: Config) -> ParseSettings:
    """What parsing needs from the config (picklable, for worker processes)."""
    from areaplan.digest.settings import load_campaigns

    t = cfg.section("parse") or {}
    if not isinstance(t, dict):
        raise ConfigError("[parse] must be a table (seconds_per_message, memory_mb_per_message)")
    seconds = config_value(t, "seconds_per_message", float, "parse", ParseSettings.seconds_per_message)
    memory_mb = config_value(t, "memory_mb_per_message", int, "parse", ParseSettings.memory_per_message >> 20)
    if not 1 <= seconds <= 3600:
        raise ConfigError(f"parse.seconds_per_message must be between 1 and 3600, not {seconds}")
    if not 64 <= memory_mb <= 16384:
        raise ConfigError(f"parse.memory_mb_per_message must be between 64 and 16384 (MB), not {memory_mb}")
    return ParseSettings(
        zone_overrides=tuple(sorted(cfg.zone_overrides.items())),
        senders=tuple(sorted(cfg.senders.items())),
        campaigns=tuple(load_campaigns(cfg)),
        seconds_per_message=seconds,
        memory_per_message=memory_mb << 20,
    )


def _failed(message: int, err: BaseException | str, code: str = "parse.failed") -> ParsedMessage:
    evidence = err if isinstance(err, str) else f"{type(err).__name__}: {err}"
    return ParsedMessage(
        message_id=f"message-{message}",
        status="review",
        reasons=[Reason(code, "message", evidence=evidence[:500], detail=evidence)],
    )


def parse_one(message: int, raw: bytes, received_at: str, settings: ParseSettings) -> ParsedMessage:
    """``parse_raw`` that never raises: a parser bug becomes a reason on the message."""
    try:
        return parse_raw(raw, settings, received_at)
    except Exception as err:  # noqa: BLE001 - a parser bug must not stop the run
        log.exception("parsing message %s failed", message)
        return _failed(message, err)


def _parse_task(args: tuple[int, bytes, str, ParseSettings]) -> ParsedMessage:
    """What a worker process runs for one message."""
    message, raw, received_at, settings = args
    return parse_one(message, raw, received_at, settings)


# Imported once by the worker processes' server, so a worker killed at its budget restarts fast.
PRELOAD = ("areaplan.app.parse_job", "areaplan.parsers.mime", "areaplan.parsers.readers",
           "areaplan.parsers.submission", "areaplan.core.thai_text")
_OUTCOME_CODES = {TIMEOUT: "parse.timeout", MEMORY: "parse.memory"}


def _received_at(db: sqlite_utils.Database, message: int) -> str:
    try:
        return received_at_of(db, message)
    except Exception:  # noqa: BLE001 - a poison header must not stop the run; first_seen is kept
        log.exception("message %s: arrival time unreadable", message)
        row = db.execute("SELECT first_seen FROM messages WHERE id = ?", [message]).fetchone()
        return row[0] if row else ""


def _save(db: sqlite_utils.Database, message: int, pm: ParsedMessage, received_at: str) -> str:
    """Save ``pm``; if even that fails, save the failure as a reason on the message.

    Returns the status a person sees: "review" only while the message still waits for one
    after the decisions already made about it are applied.
    """
    try:
        save_parsed(db, message, pm, received_at, PARSER_VERSION)
        if still_in_review(db, message):
            return "review"  # also a decision whose basis changed: a second look
        return "settled" if pm.status == "review" else pm.status
    except Exception as err:  # noqa: BLE001 - e.g. a value the store refuses: recorded instead
        log.exception("saving what was read from message %s failed", message)
        failed = _failed(message, err)
        try:
            save_parsed(db, message, failed, received_at, PARSER_VERSION)
        except Exception:  # noqa: BLE001 - the store itself is failing: the next run retries
            log.exception("message %s: even its failure could not be recorded", message)
        return failed.status


def parse_messages(db: sqlite_utils.Database, messages: list[int], settings: ParseSettings | None = None, *,
                   workers: int = 1, progress=None) -> tuple[int, int]:
    """Parse ``messages`` in bounded worker processes and save each result. (parsed, review).

    Each message gets its own time and memory budget (``settings.seconds_per_message``,
    ``settings.memory_per_message``): past either, its worker is killed and the message
    gets a ``parse.timeout`` / ``parse.memory`` reason. Any other failure for one message
    becomes a ``parse.failed`` reason on it; the run goes on. Raw bytes are read from the
    store only when a worker is free, so memory does not grow with the store.
    """
    settings = settings or ParseSettings()
    budget = Budget(settings.seconds_per_message, settings.memory_per_message)
    pool = BoundedWorkers(_parse_task, budget, workers=workers, preload=PRELOAD)
    arrived: dict[int, str] = {}
    parsed = review = 0

    def tasks():
        nonlocal parsed, review
        for m in messages:
            arrived[m] = _received_at(db, m)
            try:
                raw = raw_bytes(db, m)
            except Exception as err:  # noqa: BLE001 - recorded on the message, the run goes on
                log.exception("message %s: raw bytes unreadable", m)
                review += _save(db, m, _failed(m, err), arrived.pop(m)) == "review"
                parsed += 1
                continue
            yield m, (m, raw, arrived[m], settings)

    for message, outcome in pool.run(tasks()):
        if outcome.ok:
            pm = outcome.value
        else:
            code = _OUTCOME_CODES.get(outcome.status, "parse.failed")
            log.warning("message %s: %s (%s)", message, code, outcome.detail)
            pm = _failed(message, outcome.detail, code)
        status = _save(db, message, pm, arrived.pop(message, ""))
        parsed += 1
        review += status == "review"
        if progress:
            progress(1)
    return parsed, review


def parse_and_save(db: sqlite_utils.Database, message: int, settings: ParseSettings | None = None) -> str:
    """Parse one stored message (in a bounded worker) and save what was derived; its status."""
    _parsed, review = parse_messages(db, [message], settings)
    return "review" if review else db.execute(
        "SELECT status FROM parsed_messages WHERE message = ?", [message]).fetchone()[0]


def parse_pending(db: sqlite_utils.Database, settings: ParseSettings | None = None) -> tuple[int, int]:
    """Parse every message without a parsed row (or parsed by an older parser). (parsed, review)."""
    return parse_messages(db, pending_messages(db, PARSER_VERSION), settings)


def reparse(db: sqlite_utils.Database, settings: ParseSettings | None = None, *, pending_only: bool = False,
            workers: int | None = None, progress=None) -> tuple[int, int]:
    """Rebuild derived rows from raw messages (all, or only pending), parsing on every core.

    Idempotent: each message's derived rows are replaced in one transaction, so running it
    twice, or after a crash half-way, gives the same store.
    """
    messages = pending_messages(db, PARSER_VERSION) if pending_only else all_messages(db)
    return parse_messages(db, messages, settings, workers=workers or cpu_count(), progress=progress)
