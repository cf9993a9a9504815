"""Logging for every areaplan process: one handler on stderr, secrets redacted, ISO 8601 times.

A secret is registered (``register_secret``) as soon as it is read from the environment or
the secret file, before any connection is made, so no log line of any library can carry it.

Redaction rule: a secret of ``WHOLE_TOKEN_BELOW`` characters or more is replaced wherever it
occurs; a shorter one only where it stands as a whole token (not inside a longer run of letters
and digits), so a one-letter secret "x" does not turn "extension" into "e***tension", while
"password x" still loses its "x".

Levels: ``-q`` errors only; default warnings (and, for ``areaplan run``, the daemon's own
lines: start, one per job, stop); ``-v`` info; ``-vv`` debug (APScheduler's own lines too).
Every line starts with the time in ISO 8601 with its offset, in Asia/Bangkok or the zone set
by ``set_log_timezone`` (the daemon's ``[schedule].timezone``).
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

WHOLE_TOKEN_BELOW = 8
_SECRETS: set[str] = set()
_PATTERN: list[re.Pattern[str] | None] = [None]
_ZONE: list[tzinfo] = [ZoneInfo("Asia/Bangkok")]


def register_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in log output."""
    if value and value not in _SECRETS:
        _SECRETS.add(value)
        _PATTERN[0] = _secret_pattern(_SECRETS)


def _secret_pattern(secrets: set[str]) -> re.Pattern[str]:
    """One regex: long secrets anywhere, short ones only as whole tokens; longest first."""
    parts = []
    for s in sorted(secrets, key=len, reverse=True):
        if len(s) >= WHOLE_TOKEN_BELOW:
            parts.append(re.escape(s))
        else:
            parts.append(rf"(?<![^\W_]){re.escape(s)}(?![^\W_])")
    return re.compile("|".join(parts))


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***`` (by the rule above)."""
    pattern = _PATTERN[0]
    return pattern.sub("***", text) if pattern is not None else text


def set_log_timezone(zone: str) -> None:
    """Write log times in ``zone`` (an IANA name such as Asia/Bangkok)."""
    _ZONE[0] = ZoneInfo(zone)


class SecretRedactingFilter(logging.Filter):
    """Drops any registered secret from log records, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _PATTERN[0] is not None:
            msg = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.msg, record.args = redact(msg), None
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
        return True


class IsoFormatter(logging.Formatter):
    """``2021-03-29T07:30:00+07:00 INFO areaplan.app.daemon: ...``"""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, _ZONE[0]).isoformat(timespec="seconds")


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(IsoFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # imaplib's protocol log would print every literal (and AUTHENTICATE data).
    logging.getLogger("imapclient").setLevel(logging.WARNING if verbose < 3 else logging.DEBUG)
    for noisy in ("pdfminer", "pythainlp", "apscheduler.executors", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler's INFO lines ("Added job", "Running job") repeat what the daemon's own lines say.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose >= 2 else logging.WARNING)
    # mail-parser warns about every part type it does not decode; areaplan records defects itself.
    logging.getLogger("mailparser").setLevel(logging.ERROR)


def daemon_lines_by_default(verbose: int, quiet: bool, logger: str) -> None:
    """``areaplan run`` without ``-v``: its own start/job/stop lines are logged at INFO all the same."""
    if not quiet and verbose == 0:
        logging.getLogger(logger).setLevel(logging.INFO)
