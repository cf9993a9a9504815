"""``areaplan run``: a daemon that polls, sends the daily digest, never overlaps and stops cleanly."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from digest_fixtures import (
    REPO,
    SmtpSink,
    html_part,
    make_db,
    start_smtp,
    subprocess_env,
    write_config,
)

from areaplan.app.daemon import _logged, build_scheduler
from areaplan.core.config import ConfigError
from areaplan.digest.settings import load_schedule

BANGKOK = ZoneInfo("Asia/Bangkok")


def never(config) -> str:  # a job that must not run in these in-process tests
    raise AssertionError("the scheduler was not started")


def config_with(tmp_path, text: str):
    return write_config(tmp_path / "config.toml", text, tmp_path / "areaplan.db")


def wait_for(condition, what: str, timeout: float = 90.0):
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_the_scheduler_polls_at_start_and_every_n_minutes_and_digests_daily_at_the_configured_time(tmp_path):
    cfg = config_with(tmp_path, '[schedule]\npoll_minutes = 5\ndigest_time = "07:30"\nmisfire_grace_minutes = 30\n')
    now = datetime(2021, 3, 29, 6, 0, tzinfo=BANGKOK)

    scheduler = build_scheduler(cfg, poll=never, digest=never, now=now)

    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"poll", "digest"}
    assert jobs["poll"].next_run_time == now
    assert jobs["poll"].trigger.interval.total_seconds() == 300
    assert jobs["digest"].trigger.get_next_fire_time(None, now) == datetime(2021, 3, 29, 7, 30, tzinfo=BANGKOK)


def test_jobs_never_overlap_and_a_missed_run_happens_once(tmp_path):
    cfg = config_with(tmp_path, '[schedule]\nmisfire_grace_minutes = 30\n')

    scheduler = build_scheduler(cfg, poll=never, digest=never, now=datetime(2021, 3, 29, 6, 0, tzinfo=BANGKOK))

    for job in scheduler.get_jobs():
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 1800)
    assert scheduler._lookup_executor("default")._pool._max_workers == 1  # one job at a time


def test_a_daemon_started_after_the_digest_time_sends_todays_digest_at_once(tmp_path):
    cfg = config_with(tmp_path, '[schedule]\ndigest_time = "07:30"\n')

    late = build_scheduler(cfg, poll=never, digest=never, now=datetime(2021, 3, 29, 8, 0, tzinfo=BANGKOK))
    early = build_scheduler(cfg, poll=never, digest=never, now=datetime(2021, 3, 29, 7, 0, tzinfo=BANGKOK))

    assert "digest-catch-up" in {job.id for job in late.get_jobs()}
    assert "digest-catch-up" not in {job.id for job in early.get_jobs()}


def test_a_failing_job_is_logged_and_does_not_stop_the_daemon(tmp_path, caplog):
    def broken(config) -> str:
        raise ConnectionRefusedError("imap.example.org:993 refused")

    run = _logged("poll", broken, config_with(tmp_path, ""))

    run()  # must not raise

    assert "poll failed: ConnectionRefusedError: imap.example.org:993 refused" in caplog.text


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[schedule]\ndigest_time = "7:30am"\n', "schedule.digest_time"),
        ("[schedule]\npoll_minutes = 0\n", "schedule.poll_minutes"),
        ('[schedule]\ntimezone = "Bangkok"\n', "schedule.timezone"),
    ],
)
def test_a_wrong_schedule_is_refused_naming_the_key(tmp_path, toml, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_schedule(config_with(tmp_path, toml))


STAND_IN_DAEMON = textwrap.dedent("""
    import logging, sys
    sys.path.insert(0, {tests!r})
    from areaplan.core.config import load_config
    from areaplan.app.daemon import run_daemon
    from areaplan.store.db import open_db
    from areaplan.store.runs import RunCounts, finish_run, start_run

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    polls = 0

    def poll(config):
        global polls
        polls += 1
        db = open_db(config.db)
        run = start_run(db, "poll")
        finish_run(db, run, "ok", RunCounts(), "stand-in poll")
        db.close()
        return f"stand-in poll {{polls}}"

    sys.exit(run_daemon(load_config({config!r}, {db!r}), poll=poll))
""")


def test_the_daemon_polls_and_sends_the_digest_then_stops_cleanly_on_sigterm(tmp_path):
    make_db(tmp_path).close()
    outbox = tmp_path / "outbox"
    cfg = config_with(tmp_path, f'[schedule]\npoll_minutes = 0.02\ndigest_time = "00:00"\n'
                                f'[digest]\noutbox = "{outbox}"\n')
    script = STAND_IN_DAEMON.format(tests=str(REPO / "tests"), config=str(cfg.path), db=str(tmp_path / "areaplan.db"))
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err,
                                env=subprocess_env())
    try:
        wait_for(lambda: "stand-in poll 2" in log.read_text(), "two polls")
        wait_for(lambda: (outbox / "national.eml").exists() and "digest done: digest" in log.read_text(), "a digest")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()

    assert code == 0, text
    assert "received SIGTERM" in text and "areaplan run: stopped" in text
    assert len(list(outbox.glob("zone-*.eml"))) == 18
    assert "ดึงอีเมลปกติ" in (outbox / "national.html").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "areaplan.db") as c:
        kinds = dict(c.execute("SELECT kind, COUNT(*) FROM runs WHERE status = 'ok' GROUP BY kind").fetchall())
    assert kinds["poll"] >= 2 and kinds["digest"] >= 1


def test_areaplan_run_polls_a_real_imap_server_and_mails_the_digest(tmp_path, imap_account):
    from ingest_helpers import cli_env, make_message
    from ingest_helpers import write_config as write_imap_config

    imap_account.append_many([make_message(i, province="น่าน") for i in range(3)])
    sink = SmtpSink()
    smtp = start_smtp(sink)
    extra = textwrap.dedent(f"""
        [smtp]
        host = "127.0.0.1"
        port = {sink.port}
        security = "none"
        timeout = 10

        [digest]
        from = "dopa.areaplan@example.org"

        [digest.recipients]
        "16" = ["inspector16@example.go.th"]
        national = ["planning@example.go.th"]

        [schedule]
        poll_minutes = 0.05
        digest_time = "00:00"
    """)
    cfg = write_imap_config(tmp_path, imap_account, extra=extra)
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "areaplan", "-v", "--config", str(cfg), "run"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err,
                                env=subprocess_env(**{k: v for k, v in cli_env(imap_account.password).items()
                                                      if k.startswith("AREAPLAN_")}))
    try:
        wait_for(lambda: len(sink.received) >= 2, "the digests at the SMTP server")
        wait_for(lambda: log.read_text().count("poll done:") >= 2, "a second poll")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        smtp.stop()
    text = log.read_text()

    assert code == 0, text
    assert sorted(r.rcpt_tos[0] for r in sink.received) == ["inspector16@example.go.th", "planning@example.go.th"]
    national = next(r.message for r in sink.received if r.rcpt_tos == ["planning@example.go.th"])
    assert 'data-poll-failures="0"' in html_part(national) and "ดึงอีเมลปกติ" in html_part(national)
    with sqlite3.connect(tmp_path / "areaplan.db") as c:
        stored = c.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        runs = dict(c.execute("SELECT kind, COUNT(*) FROM runs WHERE status = 'ok' GROUP BY kind").fetchall())
    assert stored == 3
    assert runs["poll"] >= 2 and runs["digest"] >= 1
    assert imap_account.password not in text
    assert "areaplan run: stopped" in text


def test_without_an_imap_account_the_daemon_only_schedules_the_digest(tmp_path):
    from areaplan.app.daemon import build_scheduler
    from areaplan.core.config import load_config

    scheduler = build_scheduler(load_config(None, str(tmp_path / "a.db")))

    assert {job.id for job in scheduler.get_jobs()} <= {"digest", "digest-catch-up"}
    assert "digest" in {job.id for job in scheduler.get_jobs()}
