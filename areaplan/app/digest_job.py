"""The digest job: one function for ``areaplan digest`` (cron) and the daemon.

``digest_job`` builds every zone's digest and the national one for a Thai day,
then either sends them (``[smtp]`` configured) or writes them to an outbox folder
(no ``[smtp]``, ``--outbox DIR`` or ``--dry-run``). It records itself in ``runs``
(kind ``digest``) and returns a one-line summary.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.app.logs import register_secret
from areaplan.core.campaigns import Campaign
from areaplan.core.clock import today_bangkok
from areaplan.core.config import Config
from areaplan.digest import settings as ds
from areaplan.digest.errors import SendFailed
from areaplan.digest.send import Delivery
from areaplan.store.runs import RunCounts, finish_run, start_run

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


def prepare_store(
    db: sqlite_utils.Database, config: Config, through: date | None = None,
    campaigns: tuple[Campaign, ...] | None = None,
) -> tuple[Campaign, ...]:
    """Load the gazetteer if it is empty and refresh ``campaigns`` from the config.

    Monthly periods are stored up to the month of ``through`` (default: today), and
    never less than up to the current month.
    """
    from areaplan.store.campaigns import sync_campaigns
    from areaplan.store.gazetteer import ensure_gazetteer_loaded

    campaigns = campaigns if campaigns is not None else ds.load_campaigns(config)
    through = max(through or today_bangkok(), today_bangkok())
    ensure_gazetteer_loaded(db, config.zone_overrides)
    sync_campaigns(db, [c.row(through) for c in campaigns])
    return campaigns


@dataclass(frozen=True)
class DigestResult:
    digest_date: date
    delivery: Delivery
    summary: str

    @property
    def ok(self) -> bool:
        return not self.delivery.failed


def run_digest(
    config: Config,
    db: sqlite_utils.Database,
    on: date | None = None,
    *,
    outbox: Path | None = None,
    resend: bool = False,
    dry_run: bool = False,
) -> DigestResult:
    """Build and deliver the digests for ``on`` (default: today in Thailand)."""
    from areaplan.digest.model import build_digests
    from areaplan.digest.render import render_all
    from areaplan.digest.send import deliver, write_outbox

    on = on or today_bangkok()
    settings = ds.load_digest_settings(config)
    use_smtp = ds.smtp_configured(config) and outbox is None and not dry_run
    smtp = ds.load_smtp_settings(config) if use_smtp else None
    if smtp is not None and smtp.password:
        register_secret(smtp.password)
    run = start_run(db, "digest")
    try:
        prepare_store(db, config, through=on)
        zone_digests, national = build_digests(db, on, settings.max_review_items)
        rendered = render_all(zone_digests, national, settings)
        if smtp is None:
            delivery = Delivery(written=write_outbox(rendered, outbox or settings.outbox, settings, on.isoformat()))
        else:
            delivery = deliver(db, rendered, settings, smtp, on.isoformat(), resend=resend)
            retry_earlier_days(db, settings, smtp, on, delivery)
    except BaseException as err:
        finish_run(db, run, "failed", RunCounts(), f"digest {on}: failed: {err}", error=f"{type(err).__name__}: {err}")
        raise
    summary = delivery.summary(on.isoformat())
    finish_run(db, run, "partial" if delivery.failed else "ok", RunCounts(), summary,
               error="; ".join(delivery.failed[:20]) or None)
    log.debug(summary)  # printed by the CLI, logged by the daemon: once
    return DigestResult(on, delivery, summary)


def retry_earlier_days(
    db: sqlite_utils.Database, settings: ds.DigestSettings, smtp: ds.SmtpSettings, on: date, delivery: Delivery,
) -> None:
    """Resend, marked late, each send of the ``settings.retry_days`` days before ``on`` that failed
    (or whose run died while sending) to a recipient still configured; the rest stays as it was."""
    from datetime import timedelta

    from areaplan.digest.model import build_digests
    from areaplan.digest.render import render_all
    from areaplan.digest.send import deliver
    from areaplan.store.digest_sends import to_retry

    if settings.retry_days == 0:
        return
    keys = to_retry(db, (on - timedelta(days=settings.retry_days)).isoformat(), on.isoformat())
    for day in sorted({k.digest_date for k in keys}):
        wanted = {k for k in keys if k.digest_date == day}
        audiences = {k.audience for k in wanted}
        zone_digests, national = build_digests(db, date.fromisoformat(day), settings.max_review_items)
        rendered = [r for r in render_all(zone_digests, national, settings, late_on=on) if r.audience in audiences]
        late = deliver(db, rendered, settings, smtp, day, only=wanted)
        log.info("digest %s: %d late send(s) retried on %s, %d failed again", day, len(late.sent), on,
                 len(late.failed))
        delivery.add_late(day, late)


def digest_job(
    config: Config,
    db: sqlite_utils.Database,
    date: date | None = None,
    outbox: Path | None = None,
    resend: bool = False,
    dry_run: bool = False,
) -> str:
    """The scheduler's digest job: the one-line summary; raises ``SendFailed`` if a send failed."""
    result = run_digest(config, db, date, outbox=outbox, resend=resend, dry_run=dry_run)
    if not result.ok:
        raise SendFailed(result.summary)
    return result.summary

