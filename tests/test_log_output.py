"""What areaplan writes where: -q is silent on success (cron mails only failures), errors always
reach stderr, log lines carry ISO 8601 times with offset, and secrets never reach a log line
(short secrets only as whole tokens, so "extension" survives a secret "x")."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

from digest_fixtures import make_db, sample_story, subprocess_env
from ingest_helpers import make_message, run_cli, write_config

LOG_SCRIPT = textwrap.dedent("""
    import logging
    from areaplan.app.logs import configure_logging, register_secret

    configure_logging(1, False)
    for s in {secrets!r}:
        register_secret(s)
    log = logging.getLogger("areaplan.test")
    for line in {lines!r}:
        log.info(line)
    try:
        raise RuntimeError("login failed for " + {secrets!r}[-1])
    except RuntimeError:
        log.exception("with a traceback")
""")


def logged(secrets: list[str], lines: list[str]) -> str:
    done = subprocess.run([sys.executable, "-c", LOG_SCRIPT.format(secrets=secrets, lines=lines)],
                          capture_output=True, text=True, timeout=60, env=subprocess_env())
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_a_short_secret_is_redacted_only_as_a_whole_token():
    text = logged(["x", "ab12"], ["extension x loaded", "password=x;", "ab12 and xab12x and ab12."])

    assert "extension *** loaded" in text
    assert "password=***;" in text
    assert "*** and xab12x and ***." in text


def test_a_long_secret_is_redacted_wherever_it_occurs_also_in_tracebacks():
    secret = "abcd efgh ijkl mnop"  # a Gmail app password
    text = logged([secret, "Hunter2Hunter2"], ["token=xxHunter2Hunter2yy", f"user:{secret}@imap"])

    assert "token=xx***yy" in text and "user:***@imap" in text
    assert "Hunter2Hunter2" not in text and secret not in text
    assert "RuntimeError: login failed for ***" in text


def test_log_lines_start_with_an_iso_8601_time_in_bangkok():
    text = logged(["a-secret-not-in-the-line"], ["one line"])

    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00 INFO areaplan\.test: one line$", text.splitlines()[0])


def test_quiet_digest_prints_nothing_on_success(tmp_path):
    db = make_db(tmp_path)
    sample_story(db)
    db.close()

    done = run_cli("-q", "--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-29",
                   "--outbox", str(tmp_path / "out"), env=subprocess_env())
    loud = run_cli("--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-29",
                   "--outbox", str(tmp_path / "out"), env=subprocess_env())

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (tmp_path / "out" / "national.eml").exists()
    assert "wrote 19 digests" in loud.stdout


def test_quiet_poll_prints_nothing_on_success_and_the_error_on_failure(tmp_path, imap_account):
    imap_account.append_many([make_message(i) for i in range(2)])
    cfg = write_config(tmp_path, imap_account)

    ok = run_cli("-q", "--config", str(cfg), "poll", password=imap_account.password)
    failed = run_cli("-q", "--config", str(cfg), "poll", password="wrong")

    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.startswith("areaplan: error: login as") and "wrong" not in failed.stderr


def test_quiet_import_prints_nothing_on_success(tmp_path):
    eml = tmp_path / "one.eml"
    eml.write_bytes(make_message(1))

    done = run_cli("-q", "--db", str(tmp_path / "a.db"), "import", str(eml), env=subprocess_env())

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
