"""RFC 822 helpers every stage shares: header block, header values, Message-ID, content key.

The content key decides when two copies are the same message (see ``store.messages``).
Every function here is linear in its input, so a hostile header (200,000 folded lines) or
body costs what reading it costs.
"""

from __future__ import annotations

import hashlib
import re

# Headers that say what the message is. Every occurrence counts, in order. Headers a
# transport or an export adds (Received, X-Gmail-Labels, Status, ...) are left out, so the
# IMAP copy and the Takeout copy of one message have one key.
KEY_HEADERS = (b"message-id", b"date", b"from", b"sender", b"reply-to", b"subject", b"to", b"cc",
               b"in-reply-to", b"references", b"mime-version", b"content-type",
               b"content-transfer-encoding", b"content-disposition")
CONTENT_KEY_VERSION = 4
_LINE_END = re.compile(rb"\r?\n")
_FIELD = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")  # an RFC 5322 field name and its colon
_WS = re.compile(rb"\s+")
# Trailing blanks of a line; the look-behind makes the scan linear in a long run of blanks.
_TRAILING_BLANKS = re.compile(rb"(?<![ \t])[ \t]++(?=\n|\Z)")
_MBOX_QUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)


def split_header(raw: bytes) -> tuple[bytes, bytes]:
    """(header block, body) of an RFC 822 message, tolerant of LF or CRLF."""
    m = re.search(rb"\r?\n\r?\n", raw)
    if not m:
        return raw, b""
    return raw[: m.start()], raw[m.end() :]


def header_fields(header: bytes) -> tuple[list[tuple[bytes, bytes]], bool]:
    """Every field of a header block in order, as (lower-case name, unfolded value).

    The second value is False when a line is neither a field nor a continuation (the block
    is not a mail header). Linear in the size of the block, however many lines are folded.
    """
    fields: list[tuple[bytes, list[bytes]]] = []
    well_formed = True
    for n, line in enumerate(_LINE_END.split(header)):
        if line[:1] in (b" ", b"\t"):
            if fields:
                fields[-1][1].append(line.strip())
            elif line.strip():
                well_formed = False
            continue
        m = _FIELD.match(line)
        if m is None:
            if line and not (n == 0 and line.startswith(b"From ")):  # an mbox envelope line
                well_formed = False
            continue
        fields.append((m.group(1).lower(), [line[m.end() :].strip()]))
    return [(name, _WS.sub(b" ", b" ".join(parts)).strip()) for name, parts in fields], well_formed


def header_values(header: bytes) -> dict[bytes, bytes]:
    """The first value of each header field, unfolded and whitespace-collapsed, lower-case names."""
    values: dict[bytes, bytes] = {}
    for name, value in header_fields(header)[0]:
        values.setdefault(name, value)
    return values


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header without angle brackets, or None."""
    value = header_values(split_header(raw)[0]).get(b"message-id")
    if not value:
        return None
    text = value.decode("ascii", "replace").strip()
    m = re.search(r"<([^<>]+)>", text)
    return (m.group(1) if m else text).strip() or None


def _normalized_body(body: bytes) -> bytes:
    """Line ends as LF, trailing blanks of lines and of the whole dropped, mbox quoting undone."""
    body = body.replace(b"\r\n", b"\n")
    body = _TRAILING_BLANKS.sub(b"", body).rstrip(b"\n")
    if b">" in body:
        body = _MBOX_QUOTED.sub(rb"\1", body)
    return body


def content_key(raw: bytes) -> str:
    """A key that is equal for the same message however it was transported or exported.

    Two inputs get one key only when what a reader decodes from them is the same: every
    occurrence of each of :data:`KEY_HEADERS` and the body with only line ends, trailing
    blanks and mbox ``>From`` quoting normalised. An input that is not recognisably mail
    (no blank line after the headers, or a line in the header block that is not a field:
    a photo, a file of NULs, UTF-16 text) is keyed on all of its bytes, so such files are
    never merged with each other.
    """
    header, body = split_header(raw)
    fields, well_formed = header_fields(header)
    if not fields or not well_formed or len(header) == len(raw):
        h = hashlib.sha256(b"areaplan-content-key-v4-bytes\0")
        h.update(_normalized_body(raw))
        return h.hexdigest()
    h = hashlib.sha256(b"areaplan-content-key-v4\0")
    for name in KEY_HEADERS:
        for field_name, value in fields:
            if field_name == name:
                h.update(name + b"\0" + value + b"\0")
        h.update(b"\1")
    h.update(_normalized_body(body))
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


_SUBJECT_PREFIXES = re.compile(
    r"^\s*(?:(?:re|aw|sv|antw|fwd?|fw|tr|wg|ตอบกลับ|ตอบ|ส่งต่อ)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE
)


def subject_key(subject: str | None) -> str:
    """A subject without its Re:/Fwd:/ตอบกลับ: prefixes, spaces collapsed, case folded: the
    key a reply or follow-up shares with the message it continues."""
    return " ".join(_SUBJECT_PREFIXES.sub("", subject or "").split()).casefold()
