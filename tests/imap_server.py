"""A throwaway, real Dovecot IMAP server for tests and benchmarks.

``DovecotServer`` writes a self-contained Dovecot 2.3 configuration into a
fresh temporary directory (sockets, state, log, TLS certificate, passwd-file
and maildirs all live there), starts ``dovecot -F -c CONF`` in its own process
group, listens only on 127.0.0.1 on two dynamically chosen ports (plain IMAP
with STARTTLS, and IMAPS) and kills the whole process group on ``stop()``.

Nothing outside the temporary directory is read or written, so several
servers (e.g. one per pytest-xdist worker) can run side by side.

Typical use::

    with DovecotServer() as srv:
        srv.add_user("alice", "secret")
        uid = srv.append("alice", "INBOX", raw_bytes, flags=["\\\\Seen"])
        with srv.client("alice", tls="imaps") as c:   # a logged-in IMAPClient
            ...

API (``ImapAccount`` offers the per-user ones bound to one user):

* lifecycle: ``start()``, ``stop()``, ``restart()`` (same ports and data),
  ``close()``; properties ``host``, ``imap_port`` (plain, STARTTLS offered),
  ``imaps_port``, ``ca_file``, ``pid``, ``running``, ``startup_seconds``
* sessions: ``drop_connections()`` (SIGKILL every imap/imap-login process:
  all live sessions break, the server stays up), ``kill_sessions(user)``
  (``doveadm kick``: that user's sessions get BYE and are closed)
* users: ``add_user(user, password)``, ``new_account(hint) -> ImapAccount``
* mail: ``append(user, folder, raw, flags=(), internal_date=None) -> uid``,
  ``append_many(user, folder, [raw | {"msg", "flags", "date"}]) -> [uid]``
  (MULTIAPPEND on one connection), ``uids()``, ``flags()`` (``\\Recent``
  left out), ``fetch_raw()``, ``uidvalidity()``, ``create_folder()``,
  ``set_uidvalidity(user, folder, n)`` (live), ``maildir(user)``
* debugging: ``log_text()``, ``doveadm(*args)``, ``client(user, tls=...)``
  (a logged-in ``IMAPClient``), ``config_file``
* OAuth2 (only with ``DovecotServer(oauth2=True)``): ``issue_oauth2_token(user)
  -> token``, ``revoke_oauth2_token(token)``, ``oauth2_client(user, token,
  tls=...)`` (logged in with XOAUTH2), ``oauth2_introspected`` (tokens Dovecot
  asked about, in order), ``oauth2_issuer``

OAuth2: with ``oauth2=True`` the server also offers ``AUTH=XOAUTH2`` and
``AUTH=OAUTHBEARER`` (as Gmail does) and checks bearer tokens with Dovecot's
``oauth2`` passdb against an ``OAuth2Issuer``: a stand-in authorization server
(stdlib ``http.server`` on 127.0.0.1, RFC 7662 token introspection) that
accepts exactly the tokens issued and not revoked.  The passwd-file passdb then
answers only PLAIN/LOGIN, so a password never works as a token (and vice
versa); the password helpers (``append()`` etc.) keep working.  If this
Dovecot build has no ``oauth2`` passdb, ``start()`` raises
``DovecotOAuth2Unsupported``; ``skip_unless_required(msg)`` turns that into a
skip (or a failure under ``AREAPLAN_REQUIRE_DOVECOT=1``).

Server behaviour worth knowing: folders use "/" as separator (Maildir
``LAYOUT=fs``; pass ``hierarchy_separator="."`` for classic Maildir++);
Dovecot's failed-login penalty is off (a failed login still takes ~0.5 s);
Gmail's X-GM-* items are answered with BAD; at most
``mail_max_userip_connections`` (200) sessions per user.

Mail is stored with a fixed unprivileged uid/gid: ``nobody``/``nogroup`` when
we run as root (Dovecot refuses to deliver as root), otherwise the current
user (Dovecot then runs entirely unprivileged as well).  If the Python
process dies, even by SIGKILL, Dovecot is told to shut down (PDEATHSIG).

Environment variables:

``AREAPLAN_REQUIRE_DOVECOT=1``
    ``dovecot_or_skip()`` fails instead of skipping when Dovecot is missing
    (CI sets this so a broken image cannot silently skip the IMAP tests).
``AREAPLAN_DOVECOT``
    Path of the ``dovecot`` binary, if it is not on PATH or in /usr/sbin.
``AREAPLAN_KEEP_DOVECOT_DIR=1``
    Do not delete the temporary directory on close (for post-mortems).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import datetime as _dt
import grp
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import textwrap
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from imapclient import IMAPClient
from imapclient import exceptions as imapclient_exceptions

__all__ = [
    "DovecotServer",
    "DovecotError",
    "DovecotStartError",
    "DovecotOAuth2Unsupported",
    "ImapAccount",
    "OAuth2Issuer",
    "find_dovecot",
    "dovecot_or_skip",
    "skip_unless_required",
    "INSTALL_HINT",
]

INSTALL_HINT = "apt-get install dovecot-imapd"
REQUIRE_ENV = "AREAPLAN_REQUIRE_DOVECOT"

_USER_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_APPENDUID_RE = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]", re.IGNORECASE)


class DovecotError(RuntimeError):
    """A harness operation (doveadm, IMAP helper) failed."""


class DovecotStartError(DovecotError):
    """Dovecot did not come up; the message contains its log."""


class DovecotOAuth2Unsupported(DovecotStartError):
    """``oauth2=True`` but this Dovecot build has no ``oauth2`` passdb driver."""


# --------------------------------------------------------------------------
# locating the binary
# --------------------------------------------------------------------------


def find_dovecot() -> str | None:
    """Path of the ``dovecot`` binary, or None if it is not installed."""
    env = os.environ.get("AREAPLAN_DOVECOT")
    if env:
        return env if os.access(env, os.X_OK) else None
    for cand in (shutil.which("dovecot"), "/usr/sbin/dovecot", "/usr/local/sbin/dovecot"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def _find_doveadm(dovecot_bin: str) -> str | None:
    sibling = Path(dovecot_bin).with_name("doveadm")
    for cand in (
        shutil.which("doveadm"),
        str(sibling),
        "/usr/bin/doveadm",
        "/usr/local/bin/doveadm",
    ):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def dovecot_or_skip() -> str:
    """Return the dovecot binary path, or skip the calling test.

    With ``AREAPLAN_REQUIRE_DOVECOT=1`` in the environment a missing Dovecot
    is a test *failure* instead (so CI cannot go green by skipping).
    """
    binary = find_dovecot()
    if binary and _find_doveadm(binary):
        return binary
    skip_unless_required(f"Dovecot (dovecot + doveadm) not found: {INSTALL_HINT}")
    raise AssertionError("unreachable")


def skip_unless_required(msg: str) -> None:
    """Skip the calling test with *msg*; fail it instead if ``AREAPLAN_REQUIRE_DOVECOT=1``.

    For anything the real-server tests need from the local Dovecot (e.g. the
    ``oauth2`` passdb): CI sets the variable, so it cannot go green by skipping.
    """
    import pytest  # imported lazily: this module is also used by bench/ scripts

    if os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0"):
        pytest.fail(f"{msg} ({REQUIRE_ENV} is set, so this is an error)", pytrace=False)
    pytest.skip(msg)


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parse_uid_set(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if ":" in part:
            a, b = (int(x) for x in part.split(":"))
            out.extend(range(min(a, b), max(a, b) + 1))
        else:
            out.append(int(part))
    return out


def _appenduids(response: object) -> tuple[int, list[int]]:
    """(uidvalidity, [uids]) from an APPEND response.

    ``IMAPClient.append`` returns the text, ``multiappend`` a (typ, data) tuple.
    """
    if isinstance(response, tuple | list):
        response = b" ".join(
            x if isinstance(x, bytes) else str(x).encode()
            for x in (response[1] if len(response) == 2 else response)
        )
    if isinstance(response, str):
        response = response.encode()
    m = _APPENDUID_RE.search(response)
    if not m:
        raise DovecotError(f"no APPENDUID in APPEND response: {response[:200]!r}")
    return int(m.group(1)), _parse_uid_set(m.group(2).decode())


def _proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(comm, state, pgrp) of a process, or None if it is gone."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # comm is in parentheses and may itself contain spaces or parentheses
    lpar, rpar = data.index("("), data.rindex(")")
    rest = data[rpar + 2 :].split()  # state ppid pgrp ...
    return data[lpar + 1 : rpar], rest[0], int(rest[2])


def _pid_alive(pid: int) -> bool:
    """Running and not a zombie (PID 1 in containers does not always reap)."""
    st = _proc_stat(pid)
    return st is not None and st[1] not in ("Z", "X")


def _pids_in_group(pgid: int) -> dict[int, str]:
    """{pid: comm} of the live (non-zombie) processes in a process group."""
    out: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _proc_stat(int(entry))
            if st and st[2] == pgid and st[1] not in ("Z", "X"):
                out[int(entry)] = st[0]
    return out


_LIVE_SERVERS: weakref.WeakSet[DovecotServer] = weakref.WeakSet()


@atexit.register
def _stop_leftover_servers() -> None:
    for server in list(_LIVE_SERVERS):
        with contextlib.suppress(Exception):
            server.close()


try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux/glibc
    _prctl = None


def _die_with_parent() -> None:
    """preexec_fn: SIGTERM the master if the Python process dies (even SIGKILL).

    On SIGTERM the master takes all its children down with it, so a crashed or
    os._exit()ed test run (e.g. pytest-timeout's thread method) leaves no daemons.
    """
    if _prctl is not None:
        _prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


# --------------------------------------------------------------------------
# TLS material
# --------------------------------------------------------------------------


def _make_certs(tls_dir: Path) -> None:
    """Write ca.pem, server.pem and server.key (CA-signed, SAN 127.0.0.1 + localhost)."""
    try:
        _make_certs_cryptography(tls_dir)
    except ImportError:
        _make_certs_openssl(tls_dir)


def _make_certs_cryptography(tls_dir: Path) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = _dt.datetime.now(_dt.UTC)
    start, end = now - _dt.timedelta(hours=1), now + _dt.timedelta(days=7)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "areaplan test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (tls_dir / "ca.pem").write_bytes(ca_cert.public_bytes(pem))
    (tls_dir / "server.pem").write_bytes(cert.public_bytes(pem))
    (tls_dir / "server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def _make_certs_openssl(tls_dir: Path) -> None:
    openssl = shutil.which("openssl")
    if not openssl:
        raise DovecotStartError("need the 'cryptography' package or the openssl CLI for TLS")

    def run(*args: str) -> None:
        r = subprocess.run([openssl, *args], cwd=tls_dir, capture_output=True, text=True)
        if r.returncode:
            raise DovecotStartError(f"openssl {' '.join(args)} failed:\n{r.stderr}")

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "7",
        "-subj",
        "/CN=areaplan test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE,pathlen:0",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    run("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (tls_dir / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\n"
    )
    run(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "7",
        "-out",
        "server.pem",
        "-extfile",
        "ext.cnf",
    )


# --------------------------------------------------------------------------
# OAuth2: a stand-in authorization server for Dovecot's oauth2 passdb
# --------------------------------------------------------------------------


class OAuth2Issuer:
    """A token-introspection endpoint (RFC 7662) on 127.0.0.1, in a thread.

    Dovecot's ``oauth2`` passdb (``introspection_mode = post``) POSTs
    ``token=...`` to ``url``; the answer is ``{"active": true, "username":
    USER}`` for a token issued to USER and not revoked, ``{"active": false}``
    for anything else.  Every token asked about is recorded in
    ``introspected``.  ``DovecotServer(oauth2=True)`` runs one of these itself.
    """

    path = "/oauth2/introspect"

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}  # token -> user
        self._introspected: list[str] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise DovecotError("OAuth2Issuer is not running")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{self.path}"

    @property
    def introspected(self) -> list[str]:
        """Every token Dovecot asked about, oldest first."""
        with self._lock:
            return list(self._introspected)

    def issue(self, user: str, token: str | None = None) -> str:
        """Make *token* (default: a fresh random one) valid for *user*; returns it."""
        token = token or f"ya29.test-{secrets.token_urlsafe(32)}"
        with self._lock:
            self._tokens[token] = user
        return token

    def revoke(self, token: str) -> None:
        """The token is no longer active (as if it had expired)."""
        with self._lock:
            self._tokens.pop(token, None)

    def _introspect(self, token: str) -> dict:
        with self._lock:
            self._introspected.append(token)
            user = self._tokens.get(token)
        return {"active": True, "username": user} if user else {"active": False}

    def start(self) -> OAuth2Issuer:
        if self._httpd is not None:
            return self
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Dovecot's http-client expects

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode("ascii", "replace"))
                if self.path != issuer.path or "token" not in form:
                    self._reply(400, {"error": "invalid_request"})
                    return
                self._reply(200, issuer._introspect(form["token"][0]))

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet: the request line would not show the token, but stderr is noise

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="oauth2-issuer",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> OAuth2Issuer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------
# the server
# --------------------------------------------------------------------------


class DovecotServer:
    """A private Dovecot instance on 127.0.0.1 (see module docstring).

    ``start()`` may be called again after ``stop()`` (same ports, same data);
    ``close()`` (or leaving the ``with`` block) stops it and deletes its
    directory.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        dovecot_bin: str | None = None,
        start_timeout: float = 15.0,
        mail_max_userip_connections: int = 200,
        extra_config: str = "",
        hierarchy_separator: str = "/",
        auth_penalty: bool = False,
        keep_dir: bool | None = None,
        oauth2: bool = False,
    ) -> None:
        if hierarchy_separator not in ("/", "."):
            raise ValueError("hierarchy_separator must be '/' or '.'")
        #: "/" -> Maildir LAYOUT=fs (dots allowed in names, like most servers);
        #: "." -> classic Maildir++ (".Sub.Folder" directories, no dots in names)
        self.hierarchy_separator = hierarchy_separator
        #: Dovecot's per-IP penalty delays each failed login from 127.0.0.1
        #: by 2..15 s; off by default so wrong-password tests stay fast
        #: (a failed login still takes ~0.5 s: Dovecot batches failures).
        self.auth_penalty = auth_penalty
        self.dovecot_bin = dovecot_bin or find_dovecot()
        if not self.dovecot_bin:
            raise DovecotStartError(f"dovecot binary not found: {INSTALL_HINT}")
        doveadm = _find_doveadm(self.dovecot_bin)
        if not doveadm:
            raise DovecotStartError(f"doveadm binary not found: {INSTALL_HINT}")
        self.doveadm_bin = doveadm
        self.start_timeout = start_timeout
        self.mail_max_userip_connections = mail_max_userip_connections
        self.extra_config = extra_config
        #: also offer XOAUTH2 / OAUTHBEARER, checked against ``oauth2_issuer``
        self.oauth2 = oauth2
        self._oauth2_issuer: OAuth2Issuer | None = None
        if keep_dir is None:
            keep_dir = os.environ.get("AREAPLAN_KEEP_DOVECOT_DIR", "") not in ("", "0")
        self.keep_dir = keep_dir

        self._root: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._imap_port: int | None = None
        self._imaps_port: int | None = None
        self._users: dict[str, str] = {}
        self._counter = 0
        self._lock = threading.Lock()
        #: seconds the last start() took until both ports answered
        self.startup_seconds: float | None = None

    # ----------------------------------------------------------- properties

    @property
    def root(self) -> Path:
        if self._root is None:
            raise DovecotError("server was never started")
        return self._root

    @property
    def imap_port(self) -> int:
        if self._imap_port is None:
            raise DovecotError("server was never started")
        return self._imap_port

    @property
    def imaps_port(self) -> int:
        if self._imaps_port is None:
            raise DovecotError("server was never started")
        return self._imaps_port

    @property
    def ca_file(self) -> str:
        """PEM file of the CA that signed the server certificate."""
        return str(self.root / "tls" / "ca.pem")

    @property
    def config_file(self) -> str:
        return str(self.root / "dovecot.conf")

    @property
    def log_file(self) -> Path:
        return self.root / "log" / "dovecot.log"

    @property
    def pid(self) -> int | None:
        """PID of the master process (also its process group id)."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    @property
    def running(self) -> bool:
        return self.pid is not None

    @property
    def users(self) -> dict[str, str]:
        """user -> password of every account added so far."""
        return dict(self._users)

    def password(self, user: str) -> str:
        return self._users[user]

    def maildir(self, user: str) -> Path:
        """The user's Maildir; INBOX is its ``cur/new/tmp``.

        Sub-folders are ``Maildir/Parent/Child`` (mUTF-7 names) with the default
        "/" separator, ``Maildir/.Parent.Child`` with ``hierarchy_separator="."``.
        """
        return self.root / "mail" / user / "Maildir"

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only this server's CA (hostname checked)."""
        return ssl.create_default_context(cafile=self.ca_file)

    def log_text(self) -> str:
        """Everything Dovecot logged (log_path), plus anything it wrote to stderr."""
        parts = []
        for name in ("dovecot.stderr", "dovecot.log"):
            p = self.root / "log" / name
            if p.exists():
                parts.append(p.read_text(errors="replace"))
        return "".join(parts)

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> DovecotServer:
        try:
            self.start()
        except BaseException:
            self.close()  # no stray directory when start-up fails
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> DovecotServer:
        """Start Dovecot (creating the directory/config/certs on first call).

        Blocks until both ports send an IMAP greeting; raises
        ``DovecotStartError`` with the Dovecot log if that does not happen
        within ``start_timeout`` seconds.
        """
        if self.running:
            return self
        first = self._root is None
        if first:
            self._prepare_dir()
        if self.oauth2 and self._oauth2_issuer is None:
            self._oauth2_issuer = OAuth2Issuer().start()
        attempts = 3 if first else 1
        for attempt in range(attempts):
            if first:
                self._imap_port, self._imaps_port = _free_port(), _free_port()
                while self._imaps_port == self._imap_port:
                    self._imaps_port = _free_port()
            self._write_config()
            try:
                self._spawn_and_wait()
                return self
            except DovecotStartError as e:
                if "Address already in use" in str(e) and attempt + 1 < attempts:
                    continue  # someone grabbed the port in between: pick new ones
                raise
        raise AssertionError("unreachable")

    def stop(self, grace: float = 0.2, timeout: float = 5.0) -> None:
        """Stop Dovecot and every process it started (the whole process group).

        Open client connections are cut.  Data stays; ``start()`` again to
        get the same server back on the same ports.  Processes get SIGTERM
        and, after *grace* seconds, SIGKILL.
        """
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid  # start_new_session=True: the master leads its own group
        # SIGTERM to the whole group at once: killing only the master would
        # leave imap processes serving their clients, and the master alone
        # sometimes lingers ~1 s (holding the listening ports), so
        # whatever is still there after the grace period gets SIGKILL.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        grace_end = time.monotonic() + grace
        deadline = grace_end + timeout
        while alive := list(_pids_in_group(pgid)):
            now = time.monotonic()
            if now > deadline:
                raise DovecotError(f"dovecot processes {alive} survived SIGKILL")
            if now > grace_end:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
            time.sleep(0.005)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout)
        self._stderr_close()

    def restart(self) -> None:
        """stop() then start(): same ports, same users and mail."""
        self.stop()
        self.start()

    def close(self) -> None:
        """stop() and delete the temporary directory (unless keep_dir)."""
        self.stop()
        issuer, self._oauth2_issuer = self._oauth2_issuer, None
        if issuer is not None:
            issuer.close()
        if self._root is not None and not self.keep_dir:
            shutil.rmtree(self._root, ignore_errors=True)

    # --------------------------------------------------------- connections

    def drop_connections(self, timeout: float = 5.0) -> int:
        """SIGKILL every imap / imap-login process: all live sessions break.

        The master stays up and accepts new connections right away.  Returns
        the number of processes killed.
        """
        if not self.running:
            return 0
        victims = self._service_pids({"imap", "imap-login"})
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._wait_gone(victims, timeout)
        return len(victims)

    def kill_sessions(self, user: str, timeout: float = 5.0) -> None:
        """Disconnect all IMAP sessions of *user* (``doveadm kick``).

        Sessions get a ``* BYE`` and are closed; other users are untouched.
        Waits until the user's imap processes have exited.
        """
        before = self._user_imap_pids(user)
        self.doveadm("kick", user, check=False)
        self._wait_gone(before, timeout)

    def _service_pids(self, names: set[str]) -> list[int]:
        pgid = self.pid
        if pgid is None:
            return []
        return [pid for pid, comm in _pids_in_group(pgid).items() if comm in names and pid != pgid]

    def _user_imap_pids(self, user: str) -> list[int]:
        # verbose_proctitle is on: cmdline looks like "dovecot/imap [alice 127.0.0.1 IDLE]"
        pids = []
        for pid in self._service_pids({"imap"}):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if re.search(r"\[" + re.escape(user) + r" ", cmd):
                pids.append(pid)
        return pids

    @staticmethod
    def _wait_gone(pids: Iterable[int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(pids)
        while pending and time.monotonic() < deadline:
            pending = {p for p in pending if _pid_alive(p)}
            if pending:
                time.sleep(0.01)

    # -------------------------------------------------------------- users

    def add_user(self, user: str, password: str) -> None:
        """Create (or re-password) an account. Takes effect immediately."""
        if not _USER_RE.match(user):
            raise ValueError(f"user name must match {_USER_RE.pattern}: {user!r}")
        if any(c in password for c in ":\n\r\0") or not password:
            raise ValueError("password must be non-empty and free of ':' and newlines")
        with self._lock:
            existed = user in self._users
            self._users[user] = password
            self._write_passwd(user, password)
        if existed and self.running:
            # a password change can take Dovecot up to ~1 s to notice
            deadline = time.monotonic() + 5
            while True:
                try:
                    self.client(user).logout()
                    break
                except imapclient_exceptions.LoginError:
                    if time.monotonic() > deadline:
                        raise

    def new_account(self, hint: str = "user", password: str | None = None) -> ImapAccount:
        """Add a fresh uniquely-named user and return its connection details."""
        slug = re.sub(r"[^a-z0-9]+", "-", hint.lower()).strip("-")[:40] or "user"
        with self._lock:
            self._counter += 1
            n = self._counter
        user = f"u{n:04d}-{slug}".rstrip("-")
        password = password or f"pw-{os.urandom(9).hex()}"
        self.add_user(user, password)
        return ImapAccount(server=self, user=user, password=password)

    # -------------------------------------------------------------- OAuth2

    @property
    def oauth2_issuer(self) -> OAuth2Issuer:
        """The introspection endpoint Dovecot checks bearer tokens with."""
        if not self.oauth2:
            raise DovecotError("this server was created without oauth2=True")
        if self._oauth2_issuer is None:
            raise DovecotError("server was never started")
        return self._oauth2_issuer

    def issue_oauth2_token(self, user: str, token: str | None = None) -> str:
        """A bearer token (random unless given) that logs *user* in with XOAUTH2/OAUTHBEARER.

        Valid at once; no password needed (the userdb is static), but add_user()
        the user as well to use the password helpers (append() etc.).
        """
        return self.oauth2_issuer.issue(user, token)

    def revoke_oauth2_token(self, token: str) -> None:
        """The token is refused from now on, like an expired one (takes effect at once)."""
        self.oauth2_issuer.revoke(token)

    @property
    def oauth2_introspected(self) -> list[str]:
        """Every token Dovecot asked the issuer about, oldest first."""
        return self.oauth2_issuer.introspected

    # --------------------------------------------------------- IMAP helpers

    def client(self, user: str, *, tls: str = "none", timeout: float = 30.0) -> IMAPClient:
        """A logged-in IMAPClient for *user*; use it as a context manager.

        ``tls``: ``"none"`` (plain port), ``"starttls"`` (plain port +
        STARTTLS) or ``"imaps"`` (IMAPS port); TLS is verified against
        ``ca_file``.
        """
        c = self._connect(tls, timeout)
        try:
            c.login(user, self._users[user])
        except BaseException:
            with contextlib.suppress(Exception):
                c.shutdown()
            raise
        return c

    def oauth2_client(
        self, user: str, token: str, *, tls: str = "none", timeout: float = 30.0
    ) -> IMAPClient:
        """An IMAPClient logged in as *user* with ``AUTHENTICATE XOAUTH2`` and *token*.

        Needs ``oauth2=True``; raises imapclient's ``LoginError`` if the token is refused.
        """
        self.oauth2_issuer  # noqa: B018 - raises if this server has no OAuth2
        c = self._connect(tls, timeout)
        try:
            c.oauth2_login(user, token)
        except BaseException:
            with contextlib.suppress(Exception):
                c.shutdown()
            raise
        return c

    def _connect(self, tls: str, timeout: float) -> IMAPClient:
        if tls == "imaps":
            c = IMAPClient(
                self.host,
                self.imaps_port,
                ssl=True,
                ssl_context=self.ssl_context(),
                timeout=timeout,
            )
        elif tls in ("none", "starttls"):
            c = IMAPClient(self.host, self.imap_port, ssl=False, timeout=timeout)
            if tls == "starttls":
                c.starttls(self.ssl_context())
        else:
            raise ValueError(f"tls must be none/starttls/imaps, not {tls!r}")
        return c

    @contextlib.contextmanager
    def _session(self, user: str) -> Iterator[IMAPClient]:
        c = self.client(user)
        try:
            yield c
        finally:
            with contextlib.suppress(Exception):
                c.logout()

    def append(
        self,
        user: str,
        folder: str,
        raw: bytes,
        flags: Sequence[str | bytes] = (),
        internal_date: _dt.datetime | None = None,
    ) -> int:
        """IMAP APPEND one message; returns its UID (from APPENDUID)."""
        with self._session(user) as c:
            resp = c.append(folder, raw, flags=tuple(flags), msg_time=internal_date)
        return _appenduids(resp)[1][-1]

    def append_many(
        self,
        user: str,
        folder: str,
        messages: Iterable[bytes | dict],
        *,
        batch_bytes: int = 32 * 1024 * 1024,
    ) -> list[int]:
        """Append many messages over one connection with MULTIAPPEND.

        Items are raw ``bytes`` or dicts ``{"msg": bytes, "flags": [...],
        "date": datetime}``.  Returns the new UIDs in order.
        """
        uids: list[int] = []
        with self._session(user) as c:
            batch: list = []
            size = 0

            def flush() -> None:
                nonlocal batch, size
                if batch:
                    uids.extend(_appenduids(c.multiappend(folder, batch))[1])
                batch, size = [], 0

            for m in messages:
                batch.append(m)
                size += len(m["msg"] if isinstance(m, dict) else m)
                if size >= batch_bytes:
                    flush()
            flush()
        return uids

    def uids(self, user: str, folder: str = "INBOX") -> list[int]:
        """Sorted UIDs in *folder* (read-only EXAMINE, does not touch \\Recent)."""
        with self._session(user) as c:
            c.select_folder(folder, readonly=True)
            return sorted(c.search(["ALL"]))

    def flags(
        self, user: str, folder: str = "INBOX", *, include_recent: bool = False
    ) -> dict[int, tuple[str, ...]]:
        """``{uid: ("\\\\Seen", "$label", ...)}`` for every message, flags as str.

        The session-dependent ``\\Recent`` is left out unless asked for.
        """
        with self._session(user) as c:
            c.select_folder(folder, readonly=True)
            uids = c.search(["ALL"])
            if not uids:
                return {}
            data = c.fetch(uids, ["FLAGS"])
        out = {}
        for uid, d in sorted(data.items()):
            fl = (f.decode() if isinstance(f, bytes) else f for f in d[b"FLAGS"])
            out[uid] = tuple(f for f in fl if include_recent or f != "\\Recent")
        return out

    def fetch_raw(self, user: str, folder: str, uid: int) -> bytes:
        """The exact stored bytes of one message (BODY.PEEK[], flags untouched)."""
        with self._session(user) as c:
            c.select_folder(folder, readonly=True)
            data = c.fetch([uid], ["BODY.PEEK[]"])
        if uid not in data:
            raise DovecotError(f"no UID {uid} in {user}/{folder}")
        return data[uid][b"BODY[]"]

    def uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        with self._session(user) as c:
            return int(c.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    def create_folder(self, user: str, name: str, *, subscribe: bool = True) -> None:
        """CREATE (and SUBSCRIBE) a folder (separator: ``hierarchy_separator``)."""
        with self._session(user) as c:
            c.create_folder(name)
            if subscribe:
                c.subscribe_folder(name)

    # -------------------------------------------------------------- doveadm

    def doveadm(self, *args: str, check: bool = True, input: bytes | None = None) -> str:
        """Run ``doveadm -c CONF ARGS…`` against this server; returns stdout."""
        r = subprocess.run(
            [self.doveadm_bin, "-c", self.config_file, *args],
            input=input,
            capture_output=True,
            timeout=60,
        )
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        if check and r.returncode != 0:
            raise DovecotError(f"doveadm {' '.join(args)} exited {r.returncode}:\n{err}{out}")
        return out

    def set_uidvalidity(self, user: str, folder: str, n: int) -> None:
        """Change a folder's UIDVALIDITY on the live server."""
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(int(n)), folder)

    # ------------------------------------------------------------ internals

    def _prepare_dir(self) -> None:
        base = "/tmp" if os.access("/tmp", os.W_OK) else None
        # short path on purpose: unix socket paths are limited to 108 bytes
        root = Path(tempfile.mkdtemp(prefix="apdc-", dir=base))
        self._root = root
        if os.geteuid() == 0:
            mail_uid = pwd.getpwnam("nobody").pw_uid
            try:
                mail_gid = grp.getgrnam("nogroup").gr_gid
            except KeyError:
                mail_gid = pwd.getpwnam("nobody").pw_gid
        else:
            mail_uid, mail_gid = os.geteuid(), os.getegid()
        self._mail_uid, self._mail_gid = mail_uid, mail_gid
        # mkdtemp makes 0700; Dovecot's unprivileged processes must traverse it
        root.chmod(0o755)
        for sub in ("run", "state", "log", "tls", "passwd.d"):
            (root / sub).mkdir(mode=0o755)
        (root / "mail").mkdir(mode=0o755)
        os.chown(root / "mail", mail_uid, mail_gid)
        _make_certs(root / "tls")
        for name in ("server.key", "ca.key"):
            p = root / "tls" / name
            if p.exists():
                p.chmod(0o600)

    def _write_passwd(self, user: str, password: str) -> None:
        # One passwd-file per user (the passdb path contains %u).  Dovecot
        # re-reads a changed passwd-file at most once a second, so a single
        # shared file would miss a user added right after a login; a file
        # it has never opened is read on first use.
        path = self.root / "passwd.d" / user
        tmp = path.with_name(f".{user}.tmp")
        tmp.write_text(f"{user}:{{PLAIN}}{password}::::::\n")
        tmp.chmod(0o644)  # read by the auth process (runs as the 'dovecot' user)
        with contextlib.suppress(FileNotFoundError):
            # Dovecot notices a change by (mtime seconds, size): make sure they differ
            old = path.stat().st_mtime
            if int(tmp.stat().st_mtime) <= int(old):
                os.utime(tmp, (old + 1, old + 1))
        os.replace(tmp, path)

    def _write_config(self) -> None:
        r = self.root
        if os.geteuid() == 0:
            identity = ""  # defaults: dovecot / dovenull, login processes chrooted
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            mygroup = grp.getgrgid(os.getegid()).gr_name
            identity = textwrap.dedent(f"""\
                default_internal_user = {me}
                default_internal_group = {mygroup}
                default_login_user = {me}
                service anvil {{
                  chroot =
                }}
                service imap-login {{
                  chroot =
                }}
                """)
        if not self.auth_penalty:
            identity += (
                "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
            )
        # passwd-file answers every mechanism ("mechanisms =" is Dovecot's default) ...
        mechanisms, passwd_mechanisms, oauth2_passdb = "plain login", "", ""
        if self.oauth2:
            mechanisms = "plain login xoauth2 oauthbearer"
            # ... except with OAuth2: a password must not pass as a token, nor the reverse
            passwd_mechanisms = "plain login"
            oauth2_conf = r / "oauth2.conf.ext"
            oauth2_conf.write_text(
                textwrap.dedent(f"""\
                # Dovecot oauth2 passdb -> tests/imap_server.py OAuth2Issuer
                introspection_mode = post
                introspection_url = {self.oauth2_issuer.url}
                username_attribute = username
                active_attribute = active
                active_value = true
                timeout_msecs = 10000
                """)
            )
            oauth2_conf.chmod(0o644)  # read by the auth process
            oauth2_passdb = textwrap.dedent(f"""\
                passdb {{
                  driver = oauth2
                  mechanisms = xoauth2 oauthbearer
                  args = {oauth2_conf}
                }}
                """)
        if self.hierarchy_separator == "/":
            mail_location = "maildir:~/Maildir:LAYOUT=fs"
        else:
            mail_location = "maildir:~/Maildir"
        conf = textwrap.dedent(f"""\
            # Generated by tests/imap_server.py -- throwaway test server, do not reuse.
            instance_name = areaplan-test-{os.path.basename(r)}
            base_dir = {r}/run
            state_dir = {r}/state
            log_path = {r}/log/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            shutdown_clients = yes
            verbose_proctitle = yes
            login_greeting = areaplan test Dovecot ready.

            ssl = yes
            ssl_cert = <{r}/tls/server.pem
            ssl_key = <{r}/tls/server.key

            auth_mechanisms = {mechanisms}
            disable_plaintext_auth = no
            auth_verbose = yes
            auth_verbose_passwords = no
            auth_debug_passwords = no
            auth_failure_delay = 0

            passdb {{
              driver = passwd-file
              args = scheme=PLAIN {r}/passwd.d/%u
              mechanisms = {passwd_mechanisms}
            }}
            userdb {{
              driver = static
              args = home={r}/mail/%u
            }}
            mail_uid = {self._mail_uid}
            mail_gid = {self._mail_gid}
            first_valid_uid = 1
            first_valid_gid = 1
            mail_location = {mail_location}
            mail_fsync = never

            namespace inbox {{
              inbox = yes
              separator = {self.hierarchy_separator}
              prefix =
            }}

            protocol imap {{
              mail_max_userip_connections = {self.mail_max_userip_connections}
            }}
            service imap-login {{
              inet_listener imap {{
                address = 127.0.0.1
                port = {self._imap_port}
              }}
              inet_listener imaps {{
                address = 127.0.0.1
                port = {self._imaps_port}
                ssl = yes
              }}
            }}
            """)
        (r / "dovecot.conf").write_text(conf + oauth2_passdb + identity + self.extra_config + "\n")

    def _stderr_close(self) -> None:
        f = getattr(self, "_stderr_f", None)
        if f is not None:
            f.close()
            self._stderr_f = None

    def _spawn_and_wait(self) -> None:
        self._stderr_close()
        self._stderr_f = open(self.root / "log" / "dovecot.stderr", "ab")  # noqa: SIM115
        try:
            log_offset = self.log_file.stat().st_size  # restart() appends to the same log
        except FileNotFoundError:
            log_offset = 0
        t0 = time.monotonic()
        self._proc = subprocess.Popen(
            [self.dovecot_bin, "-F", "-c", self.config_file],
            stdin=subprocess.DEVNULL,
            stdout=self._stderr_f,
            stderr=self._stderr_f,
            start_new_session=True,  # own process group: stop() kills all of it
            preexec_fn=_die_with_parent,
        )
        _LIVE_SERVERS.add(self)
        deadline = t0 + self.start_timeout
        pending = {self.imap_port: False, self.imaps_port: True}
        while pending:
            if self._proc.poll() is not None:
                rc = self._proc.returncode
                self._proc = None
                self._stderr_close()
                raise DovecotStartError(
                    f"dovecot exited with status {rc} during start-up\n{self._diagnostics()}"
                )
            if self.oauth2:
                # a broken auth process means no greeting at all, only a log line
                self._raise_if_auth_fatal(log_offset)
            if time.monotonic() > deadline:
                self.stop()
                raise DovecotStartError(
                    f"dovecot did not answer on 127.0.0.1:{self.imap_port}/{self.imaps_port} "
                    f"within {self.start_timeout}s\n{self._diagnostics()}"
                )
            for port, use_tls in list(pending.items()):
                if self._greets(port, use_tls):
                    del pending[port]
            if pending:
                time.sleep(0.01)
        self.startup_seconds = time.monotonic() - t0

    def _raise_if_auth_fatal(self, log_offset: int) -> None:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(log_offset)
                new = f.read().decode(errors="replace")
        except FileNotFoundError:
            return
        fatal = re.search(r"auth: Fatal: (.*)", new)
        if not fatal:
            return
        self.stop()
        if "Unknown passdb driver 'oauth2'" in fatal.group(1):
            raise DovecotOAuth2Unsupported(
                f"this Dovecot ({self.dovecot_bin}) has no oauth2 passdb, needed for "
                f"XOAUTH2/OAUTHBEARER: {fatal.group(0)}"
            )
        raise DovecotStartError(
            f"dovecot's auth process failed: {fatal.group(1)}\n{self._diagnostics()}"
        )

    def _diagnostics(self) -> str:
        try:
            conf = Path(self.config_file).read_text()
        except OSError as e:
            conf = f"({e})"
        numbered = "\n".join(f"{i:3d}  {line}" for i, line in enumerate(conf.splitlines(), 1))
        return (
            f"--- dovecot log ---\n{self.log_text()}\n"
            f"--- {self.config_file} ---\n{numbered}\n--- end ---"
        )

    def _greets(self, port: int, use_tls: bool) -> bool:
        try:
            with socket.create_connection((self.host, port), timeout=2) as s:
                sock = (
                    self.ssl_context().wrap_socket(s, server_hostname=self.host) if use_tls else s
                )
                with sock:
                    sock.settimeout(2)
                    return sock.recv(200).startswith(b"* OK")
        except (OSError, ssl.SSLError):
            return False


# --------------------------------------------------------------------------
# per-test account
# --------------------------------------------------------------------------


@dataclass
class ImapAccount:
    """One user on a shared DovecotServer, with shortcuts bound to that user."""

    server: DovecotServer = field(repr=False)
    user: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def imap_port(self) -> int:
        return self.server.imap_port

    @property
    def imaps_port(self) -> int:
        return self.server.imaps_port

    @property
    def ca_file(self) -> str:
        return self.server.ca_file

    @property
    def maildir(self) -> Path:
        return self.server.maildir(self.user)

    def client(self, *, tls: str = "none", timeout: float = 30.0) -> IMAPClient:
        return self.server.client(self.user, tls=tls, timeout=timeout)

    def issue_oauth2_token(self, token: str | None = None) -> str:
        return self.server.issue_oauth2_token(self.user, token)

    def oauth2_client(self, token: str, *, tls: str = "none", timeout: float = 30.0) -> IMAPClient:
        return self.server.oauth2_client(self.user, token, tls=tls, timeout=timeout)

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        flags: Sequence[str | bytes] = (),
        internal_date: _dt.datetime | None = None,
    ) -> int:
        return self.server.append(self.user, folder, raw, flags, internal_date)

    def append_many(self, messages: Iterable[bytes | dict], folder: str = "INBOX") -> list[int]:
        return self.server.append_many(self.user, folder, messages)

    def uids(self, folder: str = "INBOX") -> list[int]:
        return self.server.uids(self.user, folder)

    def flags(
        self, folder: str = "INBOX", *, include_recent: bool = False
    ) -> dict[int, tuple[str, ...]]:
        return self.server.flags(self.user, folder, include_recent=include_recent)

    def fetch_raw(self, uid: int, folder: str = "INBOX") -> bytes:
        return self.server.fetch_raw(self.user, folder, uid)

    def uidvalidity(self, folder: str = "INBOX") -> int:
        return self.server.uidvalidity(self.user, folder)

    def create_folder(self, name: str, *, subscribe: bool = True) -> None:
        self.server.create_folder(self.user, name, subscribe=subscribe)

    def set_uidvalidity(self, folder: str, n: int) -> None:
        self.server.set_uidvalidity(self.user, folder, n)

    def kill_sessions(self) -> None:
        self.server.kill_sessions(self.user)
