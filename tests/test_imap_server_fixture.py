"""Proof that the real-Dovecot test harness (tests/imap_server.py) works."""

from __future__ import annotations

import datetime as dt
import imaplib
import socket
import ssl
import sys
from pathlib import Path

import pytest
from bounds import bound
from imap_server import DovecotServer, ImapAccount, dovecot_or_skip
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

ICT = dt.timezone(dt.timedelta(hours=7))

RAW = (
    "From: District Office 012 <amphoe012@dopa.example>\r\n"
    "To: planning@dopa.example\r\n"
    "Subject: =?utf-8?b?4Lij4Liy4Lii4LiH4Liy4LiZ4Lic4Lil?=\r\n"
    "Date: Mon, 01 Jan 2024 08:00:00 +0700\r\n"
    "Message-ID: <fixture-1@dopa.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "รายงานผลการตรวจพื้นที่ อำเภอหางดง\r\n"
    "trailing spaces stay   \r\n"
).encode()

# what a broken connection looks like from imapclient / imaplib
CONNECTION_ERRORS = (imaplib.IMAP4.abort, IMAPClientError, OSError)


def test_imaps_login_verifies_fixture_ca(imap_account: ImapAccount) -> None:
    ctx = ssl.create_default_context(cafile=imap_account.ca_file)
    with IMAPClient(imap_account.host, imap_account.imaps_port, ssl=True, ssl_context=ctx) as c:
        c.login(imap_account.user, imap_account.password)
        assert isinstance(c.socket(), ssl.SSLSocket)
        assert c.socket().getpeercert()["subjectAltName"] == (
            ("IP Address", "127.0.0.1"),
            ("DNS", "localhost"),
        )
        assert c.select_folder("INBOX")[b"EXISTS"] == 0  # a fresh account is empty


def test_imaps_rejected_without_fixture_ca(dovecot_server: DovecotServer) -> None:
    untrusting = ssl.create_default_context(cafile=None)  # system CAs only
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(
            dovecot_server.host,
            dovecot_server.imaps_port,
            ssl=True,
            ssl_context=untrusting,
            timeout=5,
        )


def test_localhost_name_also_verifies(imap_account: ImapAccount) -> None:
    ctx = ssl.create_default_context(cafile=imap_account.ca_file)
    with IMAPClient("localhost", imap_account.imaps_port, ssl=True, ssl_context=ctx) as c:
        c.login(imap_account.user, imap_account.password)


def test_starttls_on_plain_port(imap_account: ImapAccount) -> None:
    with IMAPClient(imap_account.host, imap_account.imap_port, ssl=False, timeout=10) as c:
        assert b"STARTTLS" in c.capabilities()
        assert not isinstance(c.socket(), ssl.SSLSocket)
        c.starttls(ssl.create_default_context(cafile=imap_account.ca_file))
        assert isinstance(c.socket(), ssl.SSLSocket)
        c.login(imap_account.user, imap_account.password)
        assert c.select_folder("INBOX", readonly=True)[b"EXISTS"] == 0


def test_append_then_fetch_gives_same_bytes(imap_account: ImapAccount) -> None:
    when = dt.datetime(2024, 1, 2, 9, 30, 5, tzinfo=ICT)
    uid = imap_account.append(RAW, flags=["\\Seen", "$Processed"], internal_date=when)
    assert imap_account.uids() == [uid]
    assert set(imap_account.flags()[uid]) == {"\\Seen", "$Processed"}
    assert imap_account.fetch_raw(uid) == RAW

    # and independently, through a client like the application's
    with imap_account.client(tls="imaps") as c:
        c.select_folder("INBOX", readonly=True)
        data = c.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE", "RFC822.SIZE"])[uid]
    assert data[b"BODY[]"] == RAW
    assert data[b"RFC822.SIZE"] == len(RAW)
    assert data[b"INTERNALDATE"].astimezone(dt.UTC) == when.astimezone(dt.UTC)


def test_append_many_and_folders(imap_account: ImapAccount) -> None:
    imap_account.create_folder("Reports/2024.Q1")
    imap_account.create_folder("รายงาน")
    msgs = [RAW.replace(b"fixture-1", b"fixture-%d" % i) for i in range(30)]
    uids = imap_account.append_many(msgs, folder="Reports/2024.Q1")
    assert uids == list(range(1, 31))
    assert imap_account.uids("Reports/2024.Q1") == uids
    assert imap_account.fetch_raw(uids[17], "Reports/2024.Q1") == msgs[17]
    assert imap_account.append(RAW, folder="รายงาน") == 1
    with imap_account.client() as c:
        names = {name for _flags, _sep, name in c.list_folders()}
    assert {"INBOX", "Reports/2024.Q1", "รายงาน"} <= names
    assert (imap_account.maildir / "Reports" / "2024.Q1" / "cur").is_dir()


def test_set_uidvalidity_changes_examine(imap_account: ImapAccount) -> None:
    imap_account.append(RAW)
    with imap_account.client() as c:
        before = c.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"]
    imap_account.set_uidvalidity("INBOX", before + 1000)
    with imap_account.client() as c:
        assert c.select_folder("INBOX", readonly=True)[b"UIDVALIDITY"] == before + 1000
    assert imap_account.uidvalidity() == before + 1000


def test_drop_connections_breaks_live_sessions(
    dovecot_server: DovecotServer, imap_account: ImapAccount
) -> None:
    plain = imap_account.client()
    secure = imap_account.client(tls="imaps")
    for c in (plain, secure):
        c.select_folder("INBOX")
        c.noop()

    assert dovecot_server.drop_connections() >= 2

    for c in (plain, secure):
        with pytest.raises(CONNECTION_ERRORS):
            c.noop()
        c.shutdown()
    # the server itself is fine: new sessions work straight away
    with imap_account.client() as c:
        c.noop()


def test_kill_sessions_only_hits_that_user(dovecot_server: DovecotServer) -> None:
    victim = dovecot_server.new_account("victim")
    bystander = dovecot_server.new_account("bystander")
    v, b = victim.client(), bystander.client(tls="starttls")
    v.select_folder("INBOX")
    b.select_folder("INBOX")

    victim.kill_sessions()

    with pytest.raises(CONNECTION_ERRORS):
        v.noop()
    v.shutdown()
    b.noop()
    b.logout()


def test_restart_keeps_ports_users_and_mail(
    dovecot_server: DovecotServer, imap_account: ImapAccount
) -> None:
    uid = imap_account.append(RAW)
    live = imap_account.client()
    ports = (dovecot_server.imap_port, dovecot_server.imaps_port)
    old_pid = dovecot_server.pid

    dovecot_server.restart()

    assert dovecot_server.pid != old_pid
    assert (dovecot_server.imap_port, dovecot_server.imaps_port) == ports
    with pytest.raises(CONNECTION_ERRORS):
        live.noop()
    live.shutdown()
    assert imap_account.fetch_raw(uid) == RAW


def test_password_never_logged(dovecot_server: DovecotServer, imap_account: ImapAccount) -> None:
    wrong = "wrong-" + imap_account.password[::-1]
    with imap_account.client(tls="imaps") as c:
        c.noop()
    c = IMAPClient(imap_account.host, imap_account.imap_port, ssl=False, timeout=10)
    with pytest.raises(LoginError):
        c.login(imap_account.user, wrong)
    c.shutdown()
    log = dovecot_server.log_text()
    # the log is really being written: both attempts are in it ...
    assert f"Login: user=<{imap_account.user}>" in log
    assert f"passwd-file({imap_account.user}," in log and "Password mismatch" in log
    # ... but neither password is
    assert imap_account.password not in log
    assert wrong not in log


def test_gmail_extensions_are_rejected(imap_account: ImapAccount) -> None:
    uid = imap_account.append(RAW)
    with imap_account.client() as c:
        c.select_folder("INBOX", readonly=True)
        with pytest.raises(IMAPClientError):
            c.fetch([uid], ["X-GM-MSGID"])


def test_plain_socket_greets_quickly(dovecot_server: DovecotServer) -> None:
    with socket.create_connection((dovecot_server.host, dovecot_server.imap_port), 5) as s:
        assert s.recv(100).startswith(b"* OK")
    assert dovecot_server.startup_seconds is not None and dovecot_server.startup_seconds < bound(10)


def test_missing_dovecot_skips_or_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import imap_server

    monkeypatch.setattr(imap_server, "find_dovecot", lambda: None)
    monkeypatch.delenv("AREAPLAN_REQUIRE_DOVECOT", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install dovecot-imapd"):
        dovecot_or_skip()
    monkeypatch.setenv("AREAPLAN_REQUIRE_DOVECOT", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install dovecot-imapd"):
        dovecot_or_skip()


def test_bench_fill_mailbox(dovecot_server: DovecotServer, imap_account: ImapAccount) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import imap_fill
    finally:
        sys.path.pop(0)
    res = imap_fill.fill_mailbox(dovecot_server, imap_account.user, n=12, size=20_000, chunk=5)
    assert res.uids == list(range(1, 13))
    assert imap_account.uids() == res.uids
    raw = imap_account.fetch_raw(3)
    assert 18_000 < len(raw) < 22_000
    assert b'filename="photo.jpg"' in raw and b"application/pdf" in raw
