"""``areaplan run``: the unattended daemon that polls the inbox and sends the daily digest.

An APScheduler ``BlockingScheduler`` with two jobs on one worker thread, so they
never overlap (a long poll delays the digest; it never runs beside it):

* ``poll`` every ``[schedule].poll_minutes`` (first run at start-up), calling
  ``areaplan.jobs.poll_job(config)``;
* ``digest`` daily at ``[schedule].digest_time`` (Asia/Bangkok), calling
  ``digest.jobs.digest_job``. Started after that time of day, the daemon also runs
  today's digest at once (``catch_up``): each recipient still gets it only once;
* ``province-mail`` every poll interval, when a campaign switches acknowledgements or
  reminders on (``app.province_mail_job``): each mail is sent once, however often it runs.

``max_instances=1`` and ``coalesce=True``: a run missed while the previous one
was busy (or the machine slept) happens once, within ``misfire_grace_minutes``.
Every run is logged with its one-line summary; a failed run is logged and the
daemon goes on. SIGTERM or SIGINT stops it cleanly: no job starts after the signal
(not even one already queued behind the running one), the running job finishes
(its transaction commits or rolls back), then the process exits 0.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from areaplan.core.config import Config
from areaplan.digest.settings import ScheduleSettings, load_schedule

log = logging.getLogger(__name__)

Job = Callable[[Config], str]


def default_poll(config: Config) -> str:
    """``areaplan.jobs.poll_job`` (imported when it first runs), on a connection of its own."""
    from areaplan.app.jobs import poll_job
    from areaplan.store.db import open_db

    db = open_db(config.db)
    try:
        return poll_job(config, db)
    finally:
        db.close()


def default_digest(config: Config) -> str:
    """Today's digest, on a connection of its own (SQLite connections stay in their thread)."""
    from areaplan.app.digest_job import digest_job
    from areaplan.store.db import open_db

    db = open_db(config.db)
    try:
        return digest_job(config, db)
    finally:
        db.close()


def default_province_mail(config: Config) -> str:
    """Pending acknowledgements and today's reminders (``app.province_mail_job``), own connection."""
    from areaplan.app.province_mail_job import province_mail_job
    from areaplan.store.db import open_db

    db = open_db(config.db)
    try:
        return province_mail_job(config, db)
    finally:
        db.close()


def province_mail_wanted(config: Config) -> bool:
    """True when some campaign switches acknowledgements or reminders on."""
    from areaplan.digest.settings import load_campaigns

    return any(c.acknowledge or c.remind_days_before is not None or c.remind_after for c in load_campaigns(config))


def _logged(name: str, job: Job, config: Config, stopping: threading.Event | None = None) -> Callable[[], None]:
    """``job(config)`` with its summary or failure logged (one line); never raises into the scheduler.

    Once ``stopping`` is set (SIGTERM), a job that was queued but has not started does nothing.
    """

    def run() -> None:
        if stopping is not None and stopping.is_set():
            log.info("%s not started: the daemon is stopping", name)
            return
        log.debug("%s: starting", name)
        try:
            summary = job(config)
        except Exception as err:  # noqa: BLE001 - logged; the daemon must keep running
            log.error("%s failed: %s: %s", name, type(err).__name__, err)
            log.debug("%s traceback", name, exc_info=True)
            return
        log.info("%s done: %s", name, summary)

    run.__name__ = f"{name}_job"
    return run


def build_scheduler(
    config: Config,
    poll: Job | None = None,
    digest: Job | None = None,
    *,
    now: datetime | None = None,
    province_mail: Job | None = None,
    stopping: threading.Event | None = None,
) -> BlockingScheduler:
    """The daemon's scheduler, jobs added, not started. ``poll``/``digest``/``province_mail``
    replace the real jobs; once ``stopping`` is set no job starts any more."""
    sched = load_schedule(config)
    tz = sched.tz
    now = (now or datetime.now(tz)).astimezone(tz)
    scheduler = BlockingScheduler(timezone=tz, executors={"default": ThreadPoolExecutor(max_workers=1)})
    once = {"coalesce": True, "max_instances": 1, "misfire_grace_time": sched.misfire_grace_seconds}
    if poll is not None or config.imap:
        scheduler.add_job(
            _logged("poll", poll or default_poll, config, stopping),
            IntervalTrigger(seconds=max(1, round(sched.poll_minutes * 60)), timezone=tz),
            id="poll", name="poll", next_run_time=now, **once,
        )
    else:
        log.warning("no [[imap]] account in the config: the daemon only sends digests "
                    "(add one to poll; see config.example.toml)")
    digest_run = _logged("digest", digest or default_digest, config, stopping)
    scheduler.add_job(
        digest_run,
        CronTrigger(hour=sched.digest_hour, minute=sched.digest_minute, timezone=tz),
        id="digest", name="digest", **once,
    )
    if province_mail is not None or province_mail_wanted(config):
        # acknowledgements soon after each poll; reminders come due once a day (each sent once)
        scheduler.add_job(
            _logged("province-mail", province_mail or default_province_mail, config, stopping),
            IntervalTrigger(seconds=max(1, round(sched.poll_minutes * 60)), timezone=tz),
            id="province-mail", name="province-mail", next_run_time=now + timedelta(seconds=30), **once,
        )
    if sched.catch_up and _past_digest_time(now, sched):
        scheduler.add_job(digest_run, "date", run_date=now + timedelta(seconds=1), id="digest-catch-up",
                          name="digest (catch-up)", **once)
    return scheduler


def _past_digest_time(now: datetime, sched: ScheduleSettings) -> bool:
    return (now.hour, now.minute) >= (sched.digest_hour, sched.digest_minute)


def run_daemon(config: Config, poll: Job | None = None, digest: Job | None = None) -> int:
    """Run until SIGTERM/SIGINT; returns the exit status (0 after a clean stop).

    On the signal: no job starts any more (the scheduler is paused, and a job already queued
    behind the running one, such as the catch-up digest, returns at once), the running job
    finishes, then the scheduler shuts down.
    """
    from areaplan.app.logs import set_log_timezone

    stopping = threading.Event()
    scheduler = build_scheduler(config, poll, digest, stopping=stopping)

    def stop(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log.info("areaplan run: received %s: finishing the running job, starting no other",
                 signal.Signals(signum).name)
        if scheduler.running:
            scheduler.pause()
            scheduler.shutdown(wait=True)  # waits for a running job; start() then returns

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    sched = load_schedule(config)
    set_log_timezone(sched.timezone)
    log.info("areaplan run: started; polling every %s minutes, digest daily at %02d:%02d %s",
             f"{sched.poll_minutes:g}", sched.digest_hour, sched.digest_minute, sched.timezone)
    try:
        if not stopping.is_set():
            scheduler.start()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("areaplan run: stopped")
    return 0
