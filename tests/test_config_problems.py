"""Configuration problems are found quickly and reported as such (exit 2, one line, which setting
to change): a port that speaks the other kind of TLS, an SMTP server without login, a missing
secret (before any connection is tried)."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from digest_fixtures import (
    SmtpSink,
    add_submission,
    make_db,
    smtp_config_text,
    start_smtp,
    subprocess_env,
)
from ingest_helpers import run_cli

from areaplan.store.digest_sends import sends_for


def imap_config(tmp_path, account, port: int, security: str, extra: str = "") -> str:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"""[store]
db = "{tmp_path / 'areaplan.db'}"

[[imap]]
name = "test"
host = "127.0.0.1"
port = {port}
username = "{account.user}"
security = "{security}"
ca_file = "{account.ca_file}"
retries = 3
timeout = 3
{extra}""", encoding="utf-8")
    return str(cfg)


def test_starttls_to_dovecots_imaps_port_is_a_configuration_problem_not_a_timeout(tmp_path, imap_account):
    cfg = imap_config(tmp_path, imap_account, imap_account.imaps_port, "starttls")

    result = run_cli("--config", cfg, "poll", password=imap_account.password)

    assert result.returncode == 2, result.stderr
    assert f"port {imap_account.imaps_port} expects TLS from the first byte" in result.stderr
    assert 'set imap.test.security = "ssl"' in result.stderr
    assert "retrying" not in result.stderr  # not retried 3 times with backoff


def test_ssl_to_dovecots_plain_port_is_a_configuration_problem(tmp_path, imap_account):
    cfg = imap_config(tmp_path, imap_account, imap_account.imap_port, "ssl")

    result = run_cli("--config", cfg, "poll", password=imap_account.password)

    assert result.returncode == 2, result.stderr
    assert f"port {imap_account.imap_port} speaks plain IMAP" in result.stderr
    assert 'set imap.test.security = "starttls"' in result.stderr


def test_the_right_security_on_each_dovecot_port_polls(tmp_path, imap_account):
    for port, security in ((imap_account.imaps_port, "ssl"), (imap_account.imap_port, "starttls")):
        result = run_cli("--config", imap_config(tmp_path, imap_account, port, security), "poll",
                         password=imap_account.password)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def listener():
    """A TCP port that accepts connections but is never meant to be reached: we count who came."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def connections(sock: socket.socket) -> int:
    n = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def test_a_missing_imap_password_is_refused_before_any_connection_or_dns_lookup(tmp_path, listener):
    port = listener.getsockname()[1]
    (tmp_path / "config.toml").write_text(f"""[store]
db = "{tmp_path / 'a.db'}"
[[imap]]
name = "dopa"
host = "imap.does-not-resolve.invalid"
username = "u"
[[imap]]
name = "other"
host = "127.0.0.1"
port = {port}
username = "u"
security = "starttls"
""", encoding="utf-8")

    result = run_cli("--config", str(tmp_path / "config.toml"), "poll", password=None)

    assert result.returncode == 2, result.stderr
    assert "imap.dopa: no password: set the environment variable AREAPLAN_IMAP_DOPA_PASSWORD" in result.stderr
    assert "none is configured: [secrets].file is empty" in result.stderr
    assert "cannot connect" not in result.stderr  # a DNS lookup would have failed with that
    assert connections(listener) == 0


def test_a_missing_password_names_the_configured_secret_file(tmp_path, listener):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[imap.other]\npassword = "x"\n', encoding="utf-8")
    secrets.chmod(0o600)
    (tmp_path / "config.toml").write_text(f"""[secrets]
file = "{secrets}"
[[imap]]
name = "dopa"
host = "127.0.0.1"
port = {listener.getsockname()[1]}
username = "u"
security = "starttls"
""", encoding="utf-8")

    result = run_cli("--config", str(tmp_path / "config.toml"), "--db", str(tmp_path / "a.db"), "poll",
                     password=None)

    assert result.returncode == 2
    assert f"or imap.dopa.password in the secret file {secrets}" in result.stderr
    assert connections(listener) == 0


def test_the_daemon_refuses_to_start_without_the_password(tmp_path, listener):
    (tmp_path / "config.toml").write_text(f"""[[imap]]
name = "dopa"
host = "127.0.0.1"
port = {listener.getsockname()[1]}
username = "u"
security = "starttls"
""", encoding="utf-8")

    result = run_cli("--config", str(tmp_path / "config.toml"), "--db", str(tmp_path / "a.db"), "run",
                     password=None, timeout=60)

    assert result.returncode == 2
    assert "AREAPLAN_IMAP_DOPA_PASSWORD" in result.stderr
    assert connections(listener) == 0


def digest_cli(tmp_path, config_text: str, **env: str) -> subprocess.CompletedProcess[str]:
    db = make_db(tmp_path)
    add_submission(db, "14", "2021-03-26T09:00:00+07:00")
    db.close()
    (tmp_path / "config.toml").write_text(config_text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "areaplan", "--config", str(tmp_path / "config.toml"),
         "--db", str(tmp_path / "areaplan.db"), "digest", "--date", "2021-03-29"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=subprocess_env(**env))


def test_a_username_for_an_smtp_server_without_auth_is_a_configuration_error_not_a_retry(tmp_path):
    sink = SmtpSink()
    server = start_smtp(sink)  # aiosmtpd without an authenticator: no AUTH after EHLO
    try:
        text = smtp_config_text(sink.port, {"national": ["planning@example.go.th"]}).replace(
            "timeout = 10", 'timeout = 10\nusername = "dopa.areaplan"')
        done = digest_cli(tmp_path, text, AREAPLAN_SMTP_PASSWORD="a-long-password")
    finally:
        server.stop()

    assert done.returncode == 2, done.stderr
    assert "offers no login (no AUTH after EHLO)" in done.stderr and "remove smtp.username" in done.stderr
    assert "retried" not in done.stdout + done.stderr
    assert sink.received == []
    import sqlite_utils

    sends = sends_for(sqlite_utils.Database(tmp_path / "areaplan.db"), "2021-03-29")
    assert [s["status"] for s in sends] == ["failed"] and "no AUTH" in sends[0]["error"]


def test_ssl_to_a_plain_smtp_port_is_a_configuration_error(tmp_path):
    sink = SmtpSink()
    server = start_smtp(sink)
    try:
        text = smtp_config_text(sink.port, {"national": ["planning@example.go.th"]}).replace(
            'security = "none"', 'security = "ssl"')
        done = digest_cli(tmp_path, text)
    finally:
        server.stop()

    assert done.returncode == 2, done.stderr
    assert f"port {sink.port} speaks plain SMTP first" in done.stderr
    assert 'set smtp.security = "starttls"' in done.stderr


def test_starttls_to_an_implicit_tls_smtp_port_is_a_configuration_error(tmp_path, dovecot_server):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    from pathlib import Path

    tls_dir = Path(dovecot_server.ca_file).parent  # the fixture's CA-signed certificate for 127.0.0.1
    context.load_cert_chain(tls_dir / "server.pem", tls_dir / "server.key")
    sink = SmtpSink()
    server = start_smtp(sink, ssl_context=context)  # SMTPS: TLS from the first byte, like port 465
    try:
        text = smtp_config_text(sink.port, {"national": ["planning@example.go.th"]}).replace(
            'security = "none"', 'security = "starttls"').replace("timeout = 10", "timeout = 3")
        done = digest_cli(tmp_path, text)
    finally:
        server.stop()

    assert done.returncode == 2, done.stderr
    assert f"port {sink.port} expects TLS from the first byte" in done.stderr
    assert 'set smtp.security = "ssl"' in done.stderr
