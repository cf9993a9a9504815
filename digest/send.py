"""Delivering rendered digests: by SMTP once per (date, audience, recipient), or as files.

SMTP: one connection per run (SSL, STARTTLS, or plain for a loopback server), one
message per recipient so each send is recorded on its own in ``digest_sends``.
A recipient the server refuses, or a connection that drops, is recorded as
failed and retried by the next run; a refused login stops the run (retrying
will not help). The password is never logged.

Files: ``<outbox>/zone-01.eml`` ... ``zone-18.eml`` and ``national.eml``, each with
the HTML part beside it as ``.html`` (to open in a browser). Written atomically.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.core.port_probe import greeting_timeout, plain_greeting, speaks_tls_at_once
from areaplan.digest.atomic import write_atomic
from areaplan.digest.errors import SmtpConfigError, SmtpLoginFailed
from areaplan.digest.message import build_message
from areaplan.digest.render import Rendered
from areaplan.digest.settings import DigestSettings, SmtpSettings
from areaplan.store import digest_sends

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """What one run delivered."""

    sent: list[str] = field(default_factory=list)  # "audience recipient"
    skipped: list[str] = field(default_factory=list)  # sent before (or being sent by another run)
    failed: list[str] = field(default_factory=list)
    unaddressed: list[str] = field(default_factory=list)  # audiences with no recipient configured
    written: list[Path] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # "date audience recipient": earlier days' failed sends, resent

    def add_late(self, digest_date: str, other: Delivery) -> None:
        """Fold in the retry of an earlier day's failed sends."""
        self.late += [f"{digest_date} {label}" for label in other.sent]
        self.failed += [f"{digest_date} {label}" for label in other.failed]

    def summary(self, digest_date: str) -> str:
        if self.written:
            return f"digest {digest_date}: wrote {len(self.written) // 2} digests to {self.written[0].parent}"
        text = (f"digest {digest_date}: {len(self.sent)} sent, {len(self.skipped)} already sent, "
                f"{len(self.failed)} failed")
        if self.late:
            days = sorted({label.split(" ", 1)[0] for label in self.late})
            text += f"; {len(self.late)} late digest(s) of {', '.join(days)} sent"
        if self.failed:
            text += " (will be retried by the next run)"
        if self.unaddressed:
            text += f"; {len(self.unaddressed)} digests have no recipients in [digest.recipients]"
        return text


def write_outbox(
    rendered: list[Rendered], outbox: Path, settings: DigestSettings, digest_date: str
) -> list[Path]:
    """Write each digest as ``<audience>.eml`` and ``<audience>.html`` in ``outbox``."""
    outbox.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for r in rendered:
        msg = build_message(r, sender=settings.sender, sender_name=settings.sender_name,
                            to=settings.recipients.for_audience(r.audience), reply_to=settings.reply_to,
                            digest_date=digest_date)
        paths.append(write_atomic(outbox / f"{r.audience}.eml", msg.as_bytes()))
        html = r.html
        for cid, data in r.images:  # a browser opening the .html finds each picture beside it
            name = f"{r.audience}-{cid.split('@')[0]}.png"
            write_atomic(outbox / name, data)
            html = html.replace(f"cid:{cid}", name)
        paths.append(write_atomic(outbox / f"{r.audience}.html", html.encode("utf-8")))
    log.info("wrote %d digests to %s", len(rendered), outbox)
    return paths


@contextmanager
def smtp_connection(smtp: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """A connected (and logged-in, if a username is configured) SMTP client."""
    context = ssl.create_default_context(cafile=smtp.ca_file)
    if not smtp.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    client = _connect(smtp, context)
    try:
        client.ehlo()
        if smtp.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            if not client.has_extn("auth"):
                raise SmtpConfigError(
                    f"smtp.username is set but the SMTP server {smtp.host}:{smtp.port} offers no login (no AUTH "
                    "after EHLO); remove smtp.username if this server needs none, or use the port and security "
                    "that offer AUTH (587 with starttls, 465 with ssl)")
            try:
                client.login(smtp.username, smtp.password or "")
            except smtplib.SMTPAuthenticationError as err:
                raise SmtpLoginFailed(
                    f"the SMTP server {smtp.host} refused the login of {smtp.username} ({err.smtp_code}); "
                    "check smtp.username and AREAPLAN_SMTP_PASSWORD / smtp.password in the secret file"
                ) from None
        yield client
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _connect(smtp: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    """Connected, greeted; a port that speaks the other kind of TLS than ``security`` is an SmtpConfigError."""
    quick = greeting_timeout(smtp.timeout)
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=quick, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=quick)
    except ssl.SSLCertVerificationError:
        raise
    except (ssl.SSLError, TimeoutError, smtplib.SMTPServerDisconnected) as err:
        if smtp.security == "ssl" and plain_greeting(smtp.host, smtp.port).startswith(b"220"):
            raise SmtpConfigError(
                f'smtp: port {smtp.port} speaks plain SMTP first, but security = "ssl" expects TLS from the first '
                'byte; set smtp.security = "starttls", or smtp.port = 465') from err
        if smtp.security != "ssl" and speaks_tls_at_once(smtp.host, smtp.port):
            raise SmtpConfigError(
                f'smtp: port {smtp.port} expects TLS from the first byte, but security = "{smtp.security}"; '
                'set smtp.security = "ssl", or smtp.port = 587 for STARTTLS') from err
        raise
    if client.sock is not None:
        client.sock.settimeout(smtp.timeout)
    client.timeout = smtp.timeout
    return client


def deliver(
    db: sqlite_utils.Database,
    rendered: list[Rendered],
    settings: DigestSettings,
    smtp: SmtpSettings,
    digest_date: str,
    *,
    resend: bool = False,
    only: set[digest_sends.SendKey] | None = None,
) -> Delivery:
    """Send each digest to each of its recipients that has not had it yet (``only``: just these sends)."""
    result = Delivery()
    todo: list[tuple[Rendered, digest_sends.SendKey]] = []
    for r in rendered:
        recipients = settings.recipients.for_audience(r.audience)
        if not recipients:
            result.unaddressed.append(r.audience)
            continue
        for address in recipients:
            key = digest_sends.SendKey(digest_date, r.audience, address)
            if only is not None and key not in only:
                continue
            if digest_sends.claim(db, key, resend=resend):
                todo.append((r, key))
            else:
                result.skipped.append(f"{r.audience} {address}")
    if result.unaddressed:
        log.info("no recipients configured for %s", ", ".join(result.unaddressed))
    if not todo:
        return result
    try:
        with smtp_connection(smtp) as client:
            for r, key in todo:
                _send_one(db, client, r, key, settings, result)
    except (SmtpLoginFailed, SmtpConfigError) as err:
        _fail_rest(db, todo, result, str(err))
        raise
    except (smtplib.SMTPException, OSError) as err:
        log.warning("SMTP connection to %s:%d failed: %s", smtp.host, smtp.port, err)
        _fail_rest(db, todo, result, f"SMTP connection failed: {type(err).__name__}: {err}")
    return result


def _send_one(
    db: sqlite_utils.Database, client: smtplib.SMTP, r: Rendered, key: digest_sends.SendKey,
    settings: DigestSettings, result: Delivery,
) -> None:
    msg = build_message(r, sender=settings.sender, sender_name=settings.sender_name, to=(key.recipient,),
                        reply_to=settings.reply_to, digest_date=key.digest_date)
    label = f"{key.audience} {key.recipient}"
    try:
        client.send_message(msg, from_addr=settings.sender, to_addrs=[key.recipient])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as err:
        log.warning("digest %s to %s refused: %s", key.audience, key.recipient, err)
        digest_sends.record_failed(db, key, r.subject, f"{type(err).__name__}: {err}")
        result.failed.append(label)
        return
    digest_sends.record_sent(db, key, r.subject, msg["Message-ID"])
    result.sent.append(label)
    log.info("sent digest %s to %s", key.audience, key.recipient)


def _fail_rest(
    db: sqlite_utils.Database, todo: list[tuple[Rendered, digest_sends.SendKey]], result: Delivery, error: str
) -> None:
    """Every claimed send not yet done is recorded as failed (the next run retries it)."""
    done = set(result.sent) | set(result.failed)
    for r, key in todo:
        label = f"{key.audience} {key.recipient}"
        if label not in done:
            digest_sends.record_failed(db, key, r.subject, error)
            result.failed.append(label)
