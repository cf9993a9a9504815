"""Logging for every areaplan process: one handler on stderr, secrets redacted.

A secret is registered (``register_secret``) as soon as it is read from the environment or
the secret file, before any connection is made, so no log line of any library can carry it.
"""

from __future__ import annotations

import logging
import sys

_SECRETS: set[str] = set()


def register_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in log output."""
    if value:
        _SECRETS.add(value)


class SecretRedactingFilter(logging.Filter):
    """Drops any registered secret from log records, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            msg = record.getMessage()
            for s in _SECRETS:
                if s and s in msg:
                    msg = msg.replace(s, "***")
            record.msg, record.args = msg, None
        return True


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretRedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # imaplib's protocol log would print every literal (and AUTHENTICATE data).
    logging.getLogger("imapclient").setLevel(logging.WARNING if verbose < 3 else logging.DEBUG)
    for noisy in ("pdfminer", "pythainlp", "apscheduler.executors", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # mail-parser warns about every part type it does not decode; areaplan records defects itself.
    logging.getLogger("mailparser").setLevel(logging.ERROR)
