"""The province-side jobs: acknowledgements and reminders, for the CLI and the daemon.

``province_mail_job`` is what the daemon runs after each poll (acknowledgements) and with
the daily digest (reminders); ``areaplan acknowledge`` and ``areaplan remind`` call the
same functions. Both do nothing unless a campaign switches them on. Each records itself in
``runs`` (kinds ``acknowledge`` / ``remind``) and returns a one-line summary.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.app.digest_job import prepare_store
from areaplan.app.logs import register_secret
from areaplan.core.clock import today_bangkok
from areaplan.core.config import Config
from areaplan.digest import province_mail as mail
from areaplan.digest import settings as ds
from areaplan.digest.errors import SendFailed
from areaplan.store.runs import RunCounts, finish_run, start_run

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

ACK_MAX_AGE_DAYS = 7  # switching acknowledgements on never answers old mail


def _smtp(config: Config, outbox: Path | None, dry_run: bool) -> ds.SmtpSettings | None:
    if outbox is not None or dry_run or not ds.smtp_configured(config):
        return None
    smtp = ds.load_smtp_settings(config)
    if smtp.password:
        register_secret(smtp.password)
    return smtp


def _recorded(db: sqlite_utils.Database, kind: str, work) -> mail.MailRun:  # noqa: ANN001
    run = start_run(db, kind)
    try:
        result = work()
    except BaseException as err:
        finish_run(db, run, "failed", RunCounts(), f"{kind}: failed: {err}", error=f"{type(err).__name__}: {err}")
        raise
    summary = result.summary(kind)
    finish_run(db, run, "partial" if result.failed else "ok", RunCounts(), summary,
               error="; ".join(result.failed[:20]) or None)
    log.debug(summary)  # printed by the CLI, logged by the daemon: once
    return result


def run_acknowledgements(
    config: Config, db: sqlite_utils.Database, *, since: datetime | None = None,
    outbox: Path | None = None, dry_run: bool = False,
) -> mail.MailRun:
    """Acknowledge every stored message of an ``acknowledge = true`` campaign not yet answered.

    With ``acknowledge_decisions = true`` also tell each sender, once, what a person decided
    about a submission after its acknowledgement went out.
    """
    campaigns = prepare_store(db, config)
    settings = ds.load_digest_settings(config)
    contacts = ds.load_province_contacts(config)
    smtp = _smtp(config, outbox, dry_run)
    since = since or datetime.now(UTC) - timedelta(days=ACK_MAX_AGE_DAYS)

    def work() -> mail.MailRun:
        mails, refused = mail.acknowledgements(db, campaigns, settings, contacts, config.senders,
                                               since.isoformat())
        mails += mail.decision_notices(db, campaigns, settings, dry_run=smtp is None)
        suppressed = [("ack", c.key, next((s.province_code for s in c.submissions if s.province_code), None), why)
                      for c, why in refused]
        return mail.deliver(db, mails, suppressed, settings, smtp, outbox or (settings.outbox if smtp is None
                                                                                 else None))

    return _recorded(db, "acknowledge", work)


def run_reminders(
    config: Config, db: sqlite_utils.Database, on: date | None = None, *,
    outbox: Path | None = None, dry_run: bool = False,
) -> mail.MailRun:
    """Send the reminders due on the Thai day ``on`` (default today) to provinces that have not sent."""
    on = on or today_bangkok()
    campaigns = prepare_store(db, config, through=on)
    settings = ds.load_digest_settings(config)
    contacts = ds.load_province_contacts(config)
    smtp = _smtp(config, outbox, dry_run)

    def work() -> mail.MailRun:
        mails, refused = mail.reminders(db, campaigns, settings, contacts, on)
        return mail.deliver(db, mails, [("reminder", k, p, why) for k, p, why in refused], settings, smtp,
                            outbox or (settings.outbox if smtp is None else None))

    return _recorded(db, "remind", work)


def province_mail_job(config: Config, db: sqlite_utils.Database) -> str:
    """The daemon's job: today's reminders and the pending acknowledgements; raises if a send failed."""
    results = [run_acknowledgements(config, db), run_reminders(config, db)]
    summary = "; ".join(r.summary(k) for r, k in zip(results, ("acknowledge", "remind"), strict=True))
    if any(r.failed for r in results):
        raise SendFailed(summary)
    return summary
