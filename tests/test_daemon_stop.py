"""``areaplan run`` and SIGTERM: the running job finishes and nothing starts after the signal;
the daemon's log is one line at start, one per job, one at stop, in ISO 8601 time with offset."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from digest_fixtures import (
    SmtpSink,
    make_db,
    smtp_config_text,
    start_smtp,
    subprocess_env,
    write_config,
)

# A daemon whose poll is a stand-in that blocks until the test lets it go; the digest is the real
# one, sending through the real SMTP client to aiosmtpd. Started after digest_time, so the
# catch-up digest is queued behind the blocked poll.
SLOW_POLL_DAEMON = textwrap.dedent("""
    import logging, sys, time
    from pathlib import Path
    from areaplan.app.logs import configure_logging, daemon_lines_by_default
    from areaplan.core.config import load_config
    from areaplan.app.daemon import run_daemon

    configure_logging(0, False)
    daemon_lines_by_default(0, False, "areaplan.app.daemon")
    release = Path({release!r})

    def poll(config):
        print("stand-in poll: started", file=sys.stderr, flush=True)
        while not release.exists():
            time.sleep(0.05)
        return "stand-in poll finished"

    sys.exit(run_daemon(load_config({config!r}, {db!r}), poll=poll))
""")


def wait_for(condition, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def smtp():
    sink = SmtpSink()
    server = start_smtp(sink)
    yield sink
    server.stop()


def test_after_sigterm_the_running_poll_finishes_and_the_queued_catch_up_digest_never_starts(tmp_path, smtp):
    make_db(tmp_path).close()
    text = smtp_config_text(smtp.port, {"national": ["planning@example.go.th"]},
                            '[schedule]\npoll_minutes = 60\ndigest_time = "00:00"\n')
    cfg = write_config(tmp_path / "config.toml", text, tmp_path / "areaplan.db")
    release = tmp_path / "release-poll"
    script = SLOW_POLL_DAEMON.format(release=str(release), config=str(cfg.path), db=str(cfg.db))
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.DEVNULL,
                                stderr=err, env=subprocess_env())
    try:
        wait_for(lambda: "stand-in poll: started" in log.read_text(), "the poll to start")
        time.sleep(2.5)  # the catch-up digest (due 1 s after start) is now queued behind the poll
        proc.send_signal(signal.SIGTERM)
        wait_for(lambda: "received SIGTERM" in log.read_text(), "the daemon to see the signal")
        release.touch()
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()

    assert code == 0, text
    assert "poll done: stand-in poll finished" in text  # the running job finished
    assert "digest not started: the daemon is stopping" in text
    assert smtp.received == []
    with sqlite3.connect(cfg.db) as c:
        assert c.execute("SELECT COUNT(*) FROM digest_sends").fetchone()[0] == 0
        assert c.execute("SELECT COUNT(*) FROM runs WHERE kind = 'digest'").fetchone()[0] == 0


ISO_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00 (INFO|WARNING|ERROR) ")


def test_areaplan_run_logs_start_each_job_and_stop_by_default_in_bangkok_iso_time(tmp_path, smtp):
    make_db(tmp_path).close()
    text = smtp_config_text(smtp.port, {"national": ["planning@example.go.th"]},
                            '[schedule]\npoll_minutes = 60\ndigest_time = "00:00"\n')
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "areaplan", "--config", str(tmp_path / "config.toml"),
                                 "--db", str(tmp_path / "areaplan.db"), "run"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err, env=subprocess_env())
    try:
        wait_for(lambda: "digest done:" in log.read_text(), "the catch-up digest")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = log.read_text().splitlines()

    assert code == 0, lines
    assert all(ISO_LINE.match(line) for line in lines), lines
    daemon = [line.split(": ", 1)[1] for line in lines if " INFO areaplan.app.daemon: " in line]
    assert daemon[0].startswith("areaplan run: started; polling every 60 minutes, digest daily at 00:00")
    assert [d for d in daemon if d.startswith("digest done:")] == [
        "digest done: digest " + re.search(r"digest (\d{4}-\d\d-\d\d)", "\n".join(daemon)).group(1)
        + ": 1 sent, 0 already sent, 0 failed; 18 digests have no recipients in [digest.recipients]"]
    assert daemon[-2:] == ["areaplan run: received SIGTERM: finishing the running job, starting no other",
                           "areaplan run: stopped"]
    assert not any("apscheduler" in line for line in lines)
    assert len(smtp.received) == 1


def test_areaplan_run_with_v_logs_each_summary_once_and_no_apscheduler_lines(tmp_path, smtp):
    make_db(tmp_path).close()
    text = smtp_config_text(smtp.port, {"national": ["planning@example.go.th"]},
                            '[schedule]\npoll_minutes = 60\ndigest_time = "00:00"\ntimezone = "UTC"\n')
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    log = tmp_path / "daemon.log"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "areaplan", "-v", "--config", str(tmp_path / "config.toml"),
                                 "--db", str(tmp_path / "areaplan.db"), "run"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err, env=subprocess_env())
    try:
        wait_for(lambda: "digest done:" in log.read_text(), "the catch-up digest")
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text()

    assert code == 0, text
    assert text.count("1 sent, 0 already sent, 0 failed") == 1
    assert "apscheduler" not in text
    # after start-up the lines are in the configured zone (UTC: +00:00)
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 INFO areaplan\.app\.daemon: digest done", text, re.M)
