"""The IMAP poller: fetch new mail without touching it, store it, advance the watermark.

Per folder: EXAMINE (read-only), fetch UIDs above the committed watermark in batches
with ``BODY.PEEK[]`` (never sets \\Seen), store each batch and its new watermark in one
transaction. A changed UIDVALIDITY rescans the folder, skipping bodies already held
(same X-GM-MSGID, or Message-ID and size) and deduplicating the rest by content.
Dropped connections and timeouts are retried with backoff; a run that fails leaves the
store exactly as its last committed batch left it.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from imapclient.imapclient import SocketTimeout

from areaplan.core.config import ImapAccount
from areaplan.core.port_probe import greeting_timeout, plain_greeting, speaks_tls_at_once
from areaplan.core.rfc822 import message_id_of
from areaplan.ingest.errors import (
    ImapAuthError,
    ImapConnectError,
    ImapFolderError,
    ImapPortMismatch,
    ImapTlsError,
    IngestError,
)
from areaplan.store.messages import (
    Keyed,
    Location,
    add_location,
    find_known,
    get_folder_state,
    save_message,
    set_folder_state,
    sha256_of,
)
from areaplan.store.runs import RunCounts
from areaplan.store.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

GMAIL_CAPABILITY = b"X-GM-EXT-1"
TRANSIENT = (IMAPClientAbortError, imaplib.IMAP4.abort, socket.timeout, TimeoutError, ConnectionError, EOFError)


@dataclass(frozen=True)
class Credentials:
    password: str | None = None
    oauth2_token: str | None = None


def tls_context(account: ImapAccount) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=account.ca_file)
    if not account.verify_tls:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def connect(account: ImapAccount, creds: Credentials) -> IMAPClient:
    """Connect, secure and log in; errors become ImapTlsError / ImapAuthError / ImapConnectError."""
    where = f"{account.host}:{account.port}"
    try:
        client = IMAPClient(
            account.host,
            port=account.port,
            ssl=account.security == "ssl",
            ssl_context=tls_context(account) if account.security != "none" else None,
            timeout=SocketTimeout(connect=greeting_timeout(account.timeout), read=account.timeout),
        )
        client._imap.debug = 0  # imaplib would format every literal for a discarded log record
        client.normalise_times = False
        if account.security == "starttls":
            client.starttls(tls_context(account))
    except ssl.SSLCertVerificationError as err:
        raise ImapTlsError(
            f"TLS certificate of {where} not trusted ({err.verify_message}); "
            "set ca_file to your server's CA, or fix host"
        ) from err
    except ssl.SSLError as err:
        _refuse_mismatch(account)
        raise ImapTlsError(f"TLS with {where} failed: {err}; check port and security") from err
    except TimeoutError as err:
        _refuse_mismatch(account)
        raise ImapConnectError(f"cannot connect to {where}: no greeting in time ({err})") from err
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as err:
        raise ImapConnectError(f"cannot connect to {where}: {err}") from err
    try:
        if account.auth == "xoauth2":
            if not creds.oauth2_token:
                raise ImapAuthError(
                    f"imap.{account.name}: no OAuth2 token; set {account.secret_name('oauth2_token')}"
                )
            client.oauth2_login(account.username, creds.oauth2_token)
        else:
            if not creds.password:
                raise ImapAuthError(
                    f"imap.{account.name}: no password; set {account.secret_name('password')} "
                    f"or imap.{account.name}.password in the secret file"
                )
            client.login(account.username, creds.password)
    except (LoginError, imaplib.IMAP4.error) as err:
        _close(client)
        reason = err.args[0] if err.args else err
        if isinstance(reason, bytes):
            reason = reason.decode(errors="replace")
        reason = re.sub(r"^b(['\"])(.*)\1$", r"\2", str(reason).strip())  # imapclient's str(bytes)
        fix = (
            f"the OAuth2 access token may have expired (Gmail's last an hour): put a fresh one in "
            f"{account.secret_name('oauth2_token')}"
            if account.auth == "xoauth2"
            else "check the username and the password"
        )
        raise ImapAuthError(f"login as {account.username} at {where} refused ({reason}); {fix}") from None
    except TRANSIENT + (OSError,) as err:
        _close(client)
        raise ImapConnectError(f"connection to {where} dropped during login: {err}") from err
    return client


def _refuse_mismatch(account: ImapAccount) -> None:
    """Raise ImapPortMismatch when the port speaks the other kind of connection than ``security`` says."""
    where = f"imap.{account.name}"
    if account.security == "ssl":
        if plain_greeting(account.host, account.port).startswith((b"* OK", b"* PREAUTH", b"* BYE")):
            raise ImapPortMismatch(
                f'{where}: port {account.port} speaks plain IMAP, but security = "ssl" expects TLS from the '
                f'first byte; set {where}.security = "starttls", or port = 993 for IMAPS')
    elif speaks_tls_at_once(account.host, account.port):
        raise ImapPortMismatch(
            f'{where}: port {account.port} expects TLS from the first byte (IMAPS), but security = '
            f'"{account.security}" waits for a plain greeting; set {where}.security = "ssl", '
            'or port = 143 for STARTTLS')


def _close(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - best effort on a connection that may be dead
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001
            pass


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _as_iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


class FolderPoller:
    """Polls one folder of one account over an open connection."""

    def __init__(self, db: sqlite_utils.Database, client: IMAPClient, account: ImapAccount, folder: str,
                 counts: RunCounts):
        self.db, self.client, self.account, self.folder = db, client, account, folder
        self.counts = counts
        self.gmail = GMAIL_CAPABILITY in client.capabilities()

    def poll(self) -> None:
        try:
            info = self.client.select_folder(self.folder, readonly=not self.account.mark_seen)
        except IMAPClientError as err:
            if isinstance(err, IMAPClientAbortError):
                raise
            raise ImapFolderError(f"imap.{self.account.name}: cannot open folder {self.folder!r}: {err}") from err
        uidvalidity = int(info[b"UIDVALIDITY"])
        uidnext = int(info[b"UIDNEXT"]) if b"UIDNEXT" in info else None
        state = get_folder_state(self.db, self.account.name, self.folder)
        last_uid = 0
        rescan = False
        if state is not None:
            if state[0] == uidvalidity:
                last_uid = state[1]
            else:
                rescan = True
                log.warning(
                    "%s/%s: UIDVALIDITY changed %s -> %s; rescanning the folder (no duplicates will be stored)",
                    self.account.name, self.folder, state[0], uidvalidity,
                )
        if not rescan and uidnext is not None and uidnext - 1 <= last_uid:
            log.debug("%s/%s: nothing new (UIDNEXT %s)", self.account.name, self.folder, uidnext)
            return
        uids = sorted(u for u in self.client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid)
        if not uids:
            return
        log.info("%s/%s: %d new message(s) above UID %d", self.account.name, self.folder, len(uids), last_uid)
        if rescan:
            uids = self._skip_known(uidvalidity, uids)
        batches = list(chunks(uids, self.account.batch_size))
        if self.account.mark_seen:  # the connection also sets flags: no overlap
            for batch in batches:
                self._store_batch(uidvalidity, batch, self._fetch(batch))
            return
        # Fetch the next batch while this one is stored (socket reads and SQLite release the GIL).
        with ThreadPoolExecutor(1, thread_name_prefix="imap-fetch") as pool:
            pending = pool.submit(self._fetch, batches[0]) if batches else None
            for i, batch in enumerate(batches):
                assert pending is not None
                data = pending.result()
                pending = pool.submit(self._fetch, batches[i + 1]) if i + 1 < len(batches) else None
                self._store_batch(uidvalidity, batch, data)

    def _skip_known(self, uidvalidity: int, uids: list[int]) -> list[int]:
        """After a UIDVALIDITY change: record messages we already hold without fetching them."""
        items = ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"] + (["X-GM-MSGID"] if self.gmail else [])
        remaining: list[int] = []
        for batch in chunks(uids, 1000):
            data = self.client.fetch(batch, items)
            with transaction(self.db):
                for uid in batch:
                    d = data.get(uid)
                    if d is None:
                        continue
                    gm = str(d[b"X-GM-MSGID"]) if b"X-GM-MSGID" in d else None
                    mid = message_id_of(d.get(b"BODY[HEADER.FIELDS (MESSAGE-ID)]", b"") or b"")
                    known = find_known(self.db, self.account.name, mid, d.get(b"RFC822.SIZE"), gm)
                    if known is None:
                        remaining.append(uid)
                        continue
                    add_location(self.db, known, self._location(uidvalidity, uid, gm), sha256_of(self.db, known))
                    self.counts.seen += 1
                    self.counts.duplicates += 1
                # Watermark moves only past a contiguous prefix that is fully recorded.
                if not remaining:
                    set_folder_state(self.db, self.account.name, self.folder, uidvalidity, batch[-1])
        return remaining

    def _location(self, uidvalidity: int, uid: int, gm: str | None) -> Location:
        return Location("imap", self.account.name, self.folder, uidvalidity, uid, gm)

    def _fetch(self, batch: list[int]) -> dict[int, dict[bytes, Any]]:
        """Fetch a batch and key each body (hashing here overlaps with the previous batch's commit)."""
        items = ["BODY.PEEK[]", "INTERNALDATE"] + (["X-GM-MSGID"] if self.gmail else [])
        data = self.client.fetch(batch, items)
        for d in data.values():
            if b"BODY[]" in d:
                d[b"BODY[]"] = Keyed.of(bytes(d[b"BODY[]"]))
        return data

    def _store_batch(self, uidvalidity: int, batch: list[int], data: dict[int, dict[bytes, Any]]) -> None:
        """Store one fetched batch and move the watermark past it, in one transaction."""
        with transaction(self.db):
            for uid in batch:
                d = data.get(uid)
                if d is None or b"BODY[]" not in d:
                    log.warning("%s/%s: UID %d vanished before it was fetched", self.account.name, self.folder, uid)
                    continue
                gm = str(d[b"X-GM-MSGID"]) if b"X-GM-MSGID" in d else None
                saved = save_message(self.db, d[b"BODY[]"], self._location(uidvalidity, uid, gm),
                                     _as_iso(d.get(b"INTERNALDATE")))
                self.counts.seen += 1
                if saved.new:
                    self.counts.stored += 1
                else:
                    self.counts.duplicates += 1
            set_folder_state(self.db, self.account.name, self.folder, uidvalidity, batch[-1])
        if self.account.mark_seen:
            self.client.add_flags(batch, [b"\\Seen"])


def poll_account(
    db: sqlite_utils.Database,
    account: ImapAccount,
    creds: Credentials,
    counts: RunCounts,
    *,
    backoff: Iterable[float] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Poll every folder of ``account``; reconnect with backoff when the connection drops.

    Each attempt resumes from the committed watermark, so a retry never refetches what
    was stored or skips what was not.
    """
    delays = list(backoff) if backoff is not None else [2.0 * 2**i for i in range(account.retries)]
    attempt = 0
    done: set[str] = set()
    while True:
        client = None
        try:
            client = connect(account, creds)
            for folder in account.folders:
                if folder in done:
                    continue
                FolderPoller(db, client, account, folder, counts).poll()
                done.add(folder)
            return
        except (IngestError, *TRANSIENT, OSError) as err:
            if isinstance(err, IngestError) and not err.transient:
                raise  # a configuration mistake: retrying cannot help
            if isinstance(err, ssl.SSLCertVerificationError):
                raise ImapTlsError(f"TLS certificate not trusted: {err}") from err
            if attempt >= len(delays):
                raise ImapConnectError(
                    f"imap.{account.name}: connection failed after {attempt + 1} attempt(s): {err}; "
                    "what was fetched before is stored, the next run continues from there"
                ) from err
            log.warning("imap.%s: %s; retrying in %.0f s", account.name, err, delays[attempt])
            sleep(delays[attempt])
            attempt += 1
        finally:
            _close(client)
