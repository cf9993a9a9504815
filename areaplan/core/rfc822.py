"""RFC 822 helpers every stage shares: header block, header values, Message-ID, content key.

The content key decides when two copies are the same message (see ``store.messages``).
"""

from __future__ import annotations

import hashlib
import re

KEY_HEADERS = (b"message-id", b"date", b"from", b"subject", b"to", b"cc", b"content-type")
_WS = re.compile(rb"\s+")


def split_header(raw: bytes) -> tuple[bytes, bytes]:
    """(header block, body) of an RFC 822 message, tolerant of LF or CRLF."""
    m = re.search(rb"\r?\n\r?\n", raw)
    if not m:
        return raw, b""
    return raw[: m.start()], raw[m.end() :]


def header_values(header: bytes) -> dict[bytes, bytes]:
    """The first value of each header field, unfolded and whitespace-collapsed, lower-case names."""
    values: dict[bytes, bytes] = {}
    name: bytes | None = None
    for line in re.split(rb"\r?\n", header):
        if line[:1] in (b" ", b"\t") and name is not None:
            if name not in values or values[name] is not None:
                values[name] = values.get(name, b"") + b" " + line.strip()
            continue
        key, sep, value = line.partition(b":")
        if not sep:
            name = None
            continue
        name = key.strip().lower()
        if name in values:
            name = None  # keep the first occurrence only
            continue
        values[name] = value.strip()
    return {k: _WS.sub(b" ", v).strip() for k, v in values.items()}


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header without angle brackets, or None."""
    value = header_values(split_header(raw)[0]).get(b"message-id")
    if not value:
        return None
    text = value.decode("ascii", "replace").strip()
    m = re.search(r"<([^<>]+)>", text)
    return (m.group(1) if m else text).strip() or None


def content_key(raw: bytes) -> str:
    """A key that is equal for the same message however it was transported or exported.

    The body is compared without any whitespace (CRLF vs LF, trailing blanks) and without
    mbox ``>From`` quoting; one pass each in C, so it costs about a sha256 of the message.
    """
    header, body = split_header(raw)
    hv = header_values(header)
    body = body.translate(None, b" \t\r\n")
    # ">" is rare (never in base64): a one-byte scan is much cheaper than a substring search.
    while b">" in body and b">From" in body:
        body = body.replace(b">From", b"From")
    h = hashlib.sha256(b"areaplan-content-key-v3\0")
    for name in KEY_HEADERS:
        h.update(name + b"\0" + hv.get(name, b"") + b"\0")
    h.update(body)
    return h.hexdigest()


def stable_message_id(mime_id: str | None, raw: bytes) -> str:
    """The Message-ID, or an id derived from the content when the header is missing."""
    if mime_id:
        return mime_id
    return "noid-" + content_key(raw)[:40]


_NO_REPLY_LOCALPART = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.@-]|$)", re.IGNORECASE)


def automatic_mail(raw_header: bytes) -> str | None:
    """Why a message must never get an automatic reply (RFC 3834 §2), or None.

    An ``Auto-Submitted`` other than ``no``, ``Precedence: bulk/junk/list/auto_reply``,
    auto-responder headers (``X-Autoreply``, ``X-Autorespond``, ``X-Auto-Response-Suppress``
    asking for none), a list (``List-Id``), a bounce (``Return-Path: <>``, a
    ``multipart/report`` delivery report, a sender like ``MAILER-DAEMON``/``postmaster``/
    ``no-reply``): each is named in the answer (``auto-submitted``, ``precedence``,
    ``bounce``, ...).
    """
    h = {k: v.decode("latin-1").strip() for k, v in header_values(raw_header).items()}
    auto = h.get(b"auto-submitted", "").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return "auto-submitted"
    if h.get(b"precedence", "").lower() in ("bulk", "junk", "list", "auto_reply"):
        return "precedence"
    if b"x-autoreply" in h or b"x-autorespond" in h:
        return "auto-reply"
    suppress = h.get(b"x-auto-response-suppress", "").lower()
    if suppress and any(w in suppress for w in ("all", "autoreply", "oof")):
        return "auto-reply"
    if b"list-id" in h:
        return "list"
    if h.get(b"return-path", None) is not None and h[b"return-path"].replace(" ", "") in ("<>", ""):
        return "bounce"
    if "multipart/report" in h.get(b"content-type", "").lower():
        return "bounce"
    sender = re.findall(r"[^\s<>\"',;]+@[^\s<>\"',;]+", h.get(b"from", ""))
    if not sender or _NO_REPLY_LOCALPART.match(sender[-1]):
        return "bounce" if sender else "no-sender"
    return None
