"""The jobs, each one function called by both the CLI (cron) and the scheduler daemon.

Each returns a one-line summary and records itself in the ``runs`` table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.core.config import Config, ConfigError, ImapAccount, secret
from areaplan.ingest.errors import ImportIncomplete, LockBusy
from areaplan.ingest.lock import run_lock
from areaplan.store.runs import RunCounts, finish_run, record_skipped, start_run

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def register_secret(value: str | None) -> None:
    """Make sure ``value`` never appears in log output."""
    if value:
        from areaplan.app.cli import SecretRedactingFilter

        SecretRedactingFilter.secrets.add(value)


def credentials_for(cfg: Config, account: ImapAccount):  # -> ingest.imap_poller.Credentials
    from areaplan.ingest.imap_poller import Credentials

    key = f"imap.{account.name}"
    password = secret(cfg, account.secret_name("password"), f"{key}.password")
    token = secret(cfg, account.secret_name("oauth2_token"), f"{key}.oauth2_token")
    register_secret(password)
    register_secret(token)
    return Credentials(password=password, oauth2_token=token)


def parse_settings(cfg: Config):  # -> parsers.types.ParseSettings
    from areaplan.digest.settings import load_campaigns
    from areaplan.parsers.types import ParseSettings

    return ParseSettings(
        zone_overrides=tuple(sorted(cfg.zone_overrides.items())),
        senders=tuple(sorted(cfg.senders.items())),
        campaigns=tuple(load_campaigns(cfg)),
    )


def parse_pending_into(db: sqlite_utils.Database, counts: RunCounts, cfg: Config) -> None:
    """Parse every stored message that has no parsed row yet (also those a crash left behind)."""
    from areaplan.parsers.pipeline import PARSER_VERSION, parse_pending
    from areaplan.store.parsed import pending_messages

    if not pending_messages(db, PARSER_VERSION):
        return  # the idle poll stops here, without loading the parsers' settings
    parsed, review = parse_pending(db, parse_settings(cfg))
    counts.parsed += parsed
    counts.review += review


def interrupted_runs(db: sqlite_utils.Database, kind: str) -> None:
    """Runs of ``kind`` still 'running' while we hold its lock were killed: say so."""
    db.execute(
        "UPDATE runs SET status = 'interrupted', error = 'the process ended without finishing (killed?)' "
        "WHERE kind = ? AND status = 'running'",
        [kind],
    )


def _run(db: sqlite_utils.Database, db_path: Path, kind: str, work: Callable[[RunCounts], None],
         counts: RunCounts | None = None) -> str:
    try:
        with run_lock(db_path, "ingest"):
            interrupted_runs(db, kind)
            counts = counts if counts is not None else RunCounts()
            run = start_run(db, kind)
            try:
                work(counts)
            except BaseException as err:
                summary = counts.summary(kind) + f"; failed: {err}"
                finish_run(db, run, "failed", counts, summary, error=f"{type(err).__name__}: {err}")
                raise
            summary = counts.summary(kind)
            finish_run(db, run, "partial" if counts.refused else "ok", counts, summary,
                       error="; ".join(counts.refused)[:2000] or None)
            log.info(summary)
            return summary
    except LockBusy as err:
        record_skipped(db, kind, str(err))
        raise


def poll_job(cfg: Config, db: sqlite_utils.Database | None = None, parse: bool = True) -> str:
    """Poll every configured IMAP account once, parse what is new; the cron and daemon job."""
    from areaplan.ingest.imap_poller import poll_account
    from areaplan.store.db import open_db

    if not cfg.imap:
        raise ConfigError(
            "no [[imap]] account in the config; add one (see config.example.toml) or use `areaplan import`"
        )
    db = db or open_db(cfg.db)
    creds = {a.name: credentials_for(cfg, a) for a in cfg.imap}

    def work(counts: RunCounts) -> None:
        try:
            for account in cfg.imap:
                poll_account(db, account, creds[account.name], counts)
        finally:
            if parse:
                parse_pending_into(db, counts, cfg)

    return _run(db, cfg.db, "poll", work)


def import_job(
    cfg: Config, paths: list[Path], db: sqlite_utils.Database | None = None,
    progress: Callable[[int], None] | None = None, parse: bool = True,
) -> str:
    """Import .eml / mbox / maildir backfills through the same store path as the poller.

    Raises ImportIncomplete (after the run is recorded as ``partial``) when a file or a
    message was refused; everything else given was imported all the same.
    """
    from areaplan.ingest.importer import import_paths
    from areaplan.store.db import open_db

    db = db or open_db(cfg.db)
    counts = RunCounts()

    def work(counts: RunCounts) -> None:
        import_paths(db, paths, counts, progress=progress)
        if parse:
            parse_pending_into(db, counts, cfg)

    summary = _run(db, cfg.db, "import", work, counts)
    if counts.refused:
        raise ImportIncomplete(summary, counts.refused, imported_any=counts.stored + counts.duplicates > 0)
    return summary
