"""The jobs, each one function called by both the CLI (cron) and the scheduler daemon.

Each goes through ``runner.run_job`` (the lock, a ``runs`` row, a one-line summary).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.app.logs import register_secret
from areaplan.app.runner import run_job
from areaplan.core.config import Config, ConfigError, ImapAccount, missing_secret, secret
from areaplan.ingest.errors import ImportIncomplete
from areaplan.store.runs import RunCounts

if TYPE_CHECKING:
    import sqlite_utils

    from areaplan.ingest.imap_poller import Credentials

log = logging.getLogger(__name__)


def credentials_for(cfg: Config, account: ImapAccount) -> Credentials:
    from areaplan.ingest.imap_poller import Credentials

    key = f"imap.{account.name}"
    password = secret(cfg, account.secret_name("password"), f"{key}.password")
    token = secret(cfg, account.secret_name("oauth2_token"), f"{key}.oauth2_token")
    register_secret(password)
    register_secret(token)
    return Credentials(password=password, oauth2_token=token)


def checked_credentials(cfg: Config) -> dict[str, Credentials]:
    """Every account's credentials, refused before any connection (or DNS lookup) when one is missing."""
    creds = {}
    for account in cfg.imap:
        c = credentials_for(cfg, account)
        if account.auth == "xoauth2" and not c.oauth2_token:
            raise missing_secret(cfg, f"imap.{account.name}: no OAuth2 access token",
                                 account.secret_name("oauth2_token"), f"imap.{account.name}.oauth2_token")
        if account.auth == "password" and not c.password:
            raise missing_secret(cfg, f"imap.{account.name}: no password", account.secret_name("password"),
                                 f"imap.{account.name}.password")
        creds[account.name] = c
    return creds


def parse_pending_into(db: sqlite_utils.Database, counts: RunCounts, cfg: Config) -> None:
    """Parse every stored message that has no parsed row yet (also those a crash left behind)."""
    from areaplan.app.parse_job import parse_pending, parse_settings
    from areaplan.parsers.pipeline import PARSER_VERSION
    from areaplan.store.parsed import pending_messages

    if not pending_messages(db, PARSER_VERSION):
        return  # the idle poll stops here, without loading the parsers' settings
    parsed, review = parse_pending(db, parse_settings(cfg))
    counts.parsed += parsed
    counts.review += review


def poll_job(cfg: Config, db: sqlite_utils.Database | None = None, parse: bool = True) -> str:
    """Poll every configured IMAP account once, parse what is new; the cron and daemon job."""
    from areaplan.ingest.imap_poller import poll_account
    from areaplan.store.db import open_db

    if not cfg.imap:
        raise ConfigError(
            "no [[imap]] account in the config; add one (see config.example.toml) or use `areaplan import`"
        )
    creds = checked_credentials(cfg)
    db = db or open_db(cfg.db)

    def work(counts: RunCounts) -> None:
        try:
            for account in cfg.imap:
                poll_account(db, account, creds[account.name], counts)
        finally:
            if parse:
                parse_pending_into(db, counts, cfg)

    return run_job(db, cfg.db, "poll", work)


def import_job(
    cfg: Config, paths: list[Path], db: sqlite_utils.Database | None = None,
    progress: Callable[[int], None] | None = None, parse: bool = True,
) -> str:
    """Import .eml / mbox / maildir backfills through the same store path as the poller.

    Raises ImportIncomplete (the run is recorded as ``partial``) when a file or a message was
    refused; everything else given was imported all the same.
    """
    from areaplan.ingest.importer import import_paths
    from areaplan.store.db import open_db

    db = db or open_db(cfg.db)

    def work(counts: RunCounts) -> None:
        nonlocal refused, imported_any
        import_paths(db, paths, counts, progress=progress)
        if parse:
            parse_pending_into(db, counts, cfg)
        refused, imported_any = counts.refused, counts.stored + counts.duplicates > 0

    refused: list[str] = []
    imported_any = False
    summary = run_job(db, cfg.db, "import", work)
    if refused:
        raise ImportIncomplete(summary, refused, imported_any)
    return summary


def reparse_job(
    cfg: Config, db: sqlite_utils.Database | None = None, *, pending_only: bool = False,
    workers: int | None = None, progress: Callable[[int], None] | None = None,
) -> str:
    """Rebuild every derived row from the raw messages, under the same lock and run record."""
    from areaplan.app.parse_job import parse_settings, reparse
    from areaplan.store.db import open_db

    db = db or open_db(cfg.db)

    def work(counts: RunCounts) -> None:
        parsed, review = reparse(db, parse_settings(cfg), pending_only=pending_only, workers=workers,
                                 progress=progress)
        counts.seen += parsed
        counts.parsed += parsed
        counts.review += review

    return run_job(db, cfg.db, "reparse", work,
                   lambda c: f"reparse: {c.parsed} message(s) parsed, {c.review} to review")
