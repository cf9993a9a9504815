"""Parse one raw e-mail into a :class:`MimeMessage`: headers, bodies, attachments, forwards.

mail-parser (``mailparser.parse_from_bytes``) parses the message; it gives the stdlib
``email.message.Message`` tree, its recursion guard and a fallback value for ``Date``.
mail-parser 4.8 loses Thai text in several places, so headers, bodies and file names are
decoded here from the raw bytes that the tree keeps:

* ``charset=windows-874`` (Python has no codec of that name) fails in mail-parser. It then
  decodes as UTF-8 with "replace" for bodies and with "ignore" for headers, so the Thai
  text is lost.
* Undeclared 8-bit Thai (TIS-620 bytes with no charset) comes out as U+FFFD.
* A ``From`` name in an encoded word whose charset is unknown is left as ``=?...?=``.
* RFC 2231 file names in windows-874 come out as Latin-1 mojibake in the stdlib.

If mail-parser fails on the whole message, the stdlib parser (``policy.default``) is used.
Every repair is written in ``MimeMessage.defects`` in plain words. Text is decoded with
"replace", never "ignore".

This module walks the MIME tree and reads the headers; the decoding itself is in
:mod:`parsers.charsets` (charsets, RFC 2047 words) and :mod:`parsers.html_text` (HTML).
"""

from __future__ import annotations

import base64
import email
import email.errors
import email.parser
import email.policy
import email.utils
import logging
import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message

from areaplan.parsers.charsets import decode_8bit_header, decode_text, decode_words
from areaplan.parsers.defects import LOSSY, REPAIRED, Defect, code_of, lossy
from areaplan.parsers.html_text import html_meta_charset, html_to_text
from areaplan.parsers.types import ReadLimits

log = logging.getLogger(__name__)

__all__ = [
    "MimeMessage",
    "MimePart",
    "parse_message",
    "safe_filename",
]

MAX_FILENAME_BYTES = 180  # UTF-8 bytes; leaves room for a store prefix under the 255-byte limit
_MAX_HEADER_CHARS = 4000
_MAX_REFERENCES = 100
DEFAULT_LIMITS = ReadLimits()
MAX_MESSAGE_FACTOR = 4  # a message over 4 x limits.max_bytes is read for its headers only


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class MimePart:
    """One attachment (or inline image) of a message, already transfer-decoded."""

    filename: str  # sanitized with safe_filename(): safe to use as a file name in the store
    content_type: str  # lower-case "type/subtype", without parameters
    data: bytes
    inline: bool = False
    content_id: str | None = None  # without angle brackets
    original_filename: str = ""  # decoded name as the sender wrote it (for display only)
    charset: str | None = None  # declared charset of a text/* attachment
    origin: str = ""  # "" for the message itself, "forwarded/" (repeated per level) otherwise
    dropped_size: int | None = None  # over the size limit: not decoded (``data`` is empty); its size

    @property
    def size(self) -> int:
        """Decoded size in bytes."""
        return len(self.data)


@dataclass(frozen=True)
class MimeMessage:
    """A parsed message. Lists are filled once at parse time and must not be changed."""

    message_id: str | None = None
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to: list[str] = field(default_factory=list)  # bare addresses
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    date: datetime | None = None  # timezone-aware
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    auto_submitted: str | None = None  # Auto-Submitted value other than "no"
    precedence: str | None = None  # bulk, list, junk, auto_reply ...
    list_id: str | None = None
    list_unsubscribe: str | None = None
    auto_reply_headers: list[str] = field(default_factory=list)  # X-Autoreply etc. that were seen
    content_type: str = ""  # of the whole message, e.g. multipart/report for bounces
    text_body: str = ""
    html_body: str = ""
    attachments: list[MimePart] = field(default_factory=list)  # forwarded ones included
    forwarded: list[MimeMessage] = field(default_factory=list)  # message/rfc822 parts
    defects: list[str] = field(default_factory=list)

    @property
    def is_auto_reply(self) -> bool:
        """True for out-of-office replies, vacation notices, bounces and other machine answers."""
        if self.auto_submitted or self.auto_reply_headers:
            return True
        if self.precedence in {"auto_reply", "auto-reply"} or self.is_bounce:
            return True
        return bool(_AUTO_SUBJECT.match(self.subject))

    @property
    def is_bulk(self) -> bool:
        """True for newsletters and mailing-list mail."""
        return bool(
            self.list_id or self.list_unsubscribe or self.precedence in {"bulk", "list", "junk"}
        )

    @property
    def is_bounce(self) -> bool:
        """True for delivery status notifications (bounces)."""
        addr = self.from_addr.lower()
        return self.content_type == "multipart/report" or addr.startswith(
            ("mailer-daemon@", "postmaster@")
        )

    @property
    def is_automatic(self) -> bool:
        """Machine mail that is never a submission: auto-replies, bounces, lists and bulk mail.

        The one place this is decided (``parsers.submission`` asks it); the subject patterns
        of ``is_auto_reply`` are left to the classifier, which weighs them against the content.
        """
        return bool(
            self.auto_submitted
            or self.auto_reply_headers
            or self.precedence in {"bulk", "list", "junk", "auto_reply"}
            or self.list_id
            or self.content_type == "multipart/report"
        )

    @property
    def automatic_evidence(self) -> str:
        """The header that makes this machine mail (``is_automatic``), as written: the evidence a
        person can check (empty when the mail is not automatic)."""
        if self.auto_submitted:
            return f"Auto-Submitted: {self.auto_submitted}"
        if self.auto_reply_headers:
            return self.auto_reply_headers[0].title()
        if self.precedence in {"bulk", "list", "junk", "auto_reply"}:
            return f"Precedence: {self.precedence}"
        if self.list_id:
            return f"List-Id: {self.list_id}"
        if self.content_type == "multipart/report":
            return "Content-Type: multipart/report"
        return ""

    def all_text(self) -> str:
        """The body followed by the bodies of forwarded messages, separated by a marker line."""
        parts = [self.text_body]
        for fwd in self.forwarded:
            parts.append(f"---------- forwarded message: {fwd.subject} ----------")
            parts.append(fwd.all_text())
        return "\n".join(p for p in parts if p)


_AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|out of (the )?office|ตอบกลับอัตโนมัติ|"
    r"undeliverable|delivery status notification|ไม่สามารถส่ง)",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- file names

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')


def safe_filename(name: str | None, default: str = "attachment", *, keep_dirs: bool = False) -> str:
    """Return ``name`` made safe to use as one file name inside the store.

    The result has no path separators, no ``..``, no control or bidi-override characters, no
    leading dot, is not a Windows device name and is at most ``MAX_FILENAME_BYTES`` bytes in
    UTF-8 (the extension is kept when it is cut). Only the last path component is kept,
    unless ``keep_dirs`` is true (archive members): then the components are joined with "_".
    """
    text = unicodedata.normalize("NFC", name or "")
    # Cc (controls), Cf (zero-width, bidi overrides such as U+202E), Cs (lone surrogates).
    text = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Cs", "Co", "Cn"}
    )
    parts = [p.strip() for p in re.split(r"[\\/]+", text)]
    parts = [p for p in parts if p and p not in {".", ".."}]
    if not keep_dirs:
        parts = parts[-1:]
    text = "_".join(parts)
    text = _UNSAFE_CHARS.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    if not text:
        text = default
    return _cut_filename(text)


def _cut_filename(text: str) -> str:
    """Cut ``text`` to MAX_FILENAME_BYTES of UTF-8, keeping a short extension."""
    if len(text.encode("utf-8")) <= MAX_FILENAME_BYTES:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10 or not stem:
        stem, ext = text, ""
    budget = MAX_FILENAME_BYTES - (len(ext.encode("utf-8")) + 1 if ext else 0)
    cut = stem
    while len(cut.encode("utf-8")) > budget:
        cut = cut[: max(len(cut) - max(1, (len(cut.encode("utf-8")) - budget) // 3), 0)]
    # Do not leave a Thai combining mark without its base character at the cut.
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return f"{cut}.{ext}" if ext else cut


# --------------------------------------------------------------------------- headers


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", "").replace("\n", " ")


def _raw_headers(msg: Message, name: str) -> list[str]:
    """All raw values of header ``name``: unfolded, 8-bit bytes still as surrogates."""
    lname = name.lower()
    try:
        items = msg.raw_items()
    except Exception:  # noqa: BLE001 - a broken header block must not stop the parse
        return []
    return [_unfold(str(v))[:_MAX_HEADER_CHARS] for k, v in items if k.lower() == lname]


def _header_text(msg: Message, name: str, defects: list[str]) -> str:
    """One header fully decoded (8-bit and RFC 2047), or ""."""
    values = _raw_headers(msg, name)
    if not values:
        return ""
    text = decode_8bit_header(values[0], name, defects)
    return decode_words(text, name, defects).strip()


def _addresses(msg: Message, name: str, defects: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address header, names decoded."""
    result: list[tuple[str, str]] = []
    for raw in _raw_headers(msg, name):
        raw = decode_8bit_header(raw, name, defects)
        try:
            pairs = email.utils.getaddresses([raw])
        except Exception as exc:  # noqa: BLE001 - stdlib address parser edge cases
            defects.append(f"unreadable {name} header ({type(exc).__name__})")
            continue
        for disp, addr in pairs:
            addr = addr.strip()
            if not addr or "@" not in addr:
                if addr or disp:
                    defects.append(f"{name} header has an entry without an address: {raw[:80]!r}")
                continue
            result.append((decode_words(disp, name, defects).strip(), addr))
    return result


def _msg_ids(value: str) -> list[str]:
    ids = re.findall(r"<([^<>\s]+)>", value)
    if not ids and value.strip():
        ids = value.split()
    return [i.strip()[:998] for i in ids if i.strip()]


def _parse_date(raw: str, fallback: datetime | None, defects: list[str]) -> datetime | None:
    """Date header as an aware datetime; Buddhist-era years (e.g. 2567) are converted."""
    if not raw:
        return fallback
    value = raw
    m = re.search(r"\b(2[4-6]\d\d)\b", value)
    if m:  # Thai systems sometimes write the Buddhist year (พ.ศ.) in Date:
        value = value.replace(m.group(1), str(int(m.group(1)) - 543), 1)
        defects.append(f"Date header uses a Buddhist-era year ({m.group(1)}); converted")
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        if fallback is not None:
            if fallback.tzinfo is None:
                fallback = fallback.replace(tzinfo=UTC)
            return fallback
        defects.append(f"unreadable Date header {raw[:60]!r}")
        return None
    if dt.tzinfo is None:
        defects.append("Date header has no time zone (-0000); taken as UTC")
        dt = dt.replace(tzinfo=UTC)
    return dt


# --------------------------------------------------------------------------- normalize


def _normalize(text: str, defects: list[str]) -> str:
    """Run parsers.thai_text.normalize (imported lazily); NFC if it fails on this text."""
    if not text:
        return text
    from areaplan.core.thai_text import normalize  # lazy: written by another module owner

    try:
        return normalize(text)
    except Exception as exc:  # noqa: BLE001 - a normalizer bug must not lose the message
        log.exception("thai_text.normalize failed")
        defects.append(f"Thai text normalization failed ({type(exc).__name__}); NFC only")
        return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- MIME walk

# Defects after which content may be missing: they send the message to review.
_LOSSY_DEFECTS = {
    "StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect", "UndecodableBytesDefect",
    "InvalidBase64PaddingDefect", "InvalidBase64CharactersDefect", "InvalidBase64LengthDefect",
}
_DEFECT_WORDS = {
    "NoBoundaryInMultipartDefect": "multipart part has no boundary; read as one part",
    "StartBoundaryNotFoundDefect": "MIME start boundary not found; parts may be missing",
    "CloseBoundaryNotFoundDefect": "closing MIME boundary missing (message may be truncated)",
    "FirstHeaderLineIsContinuationDefect": "first header line is a continuation line",
    "MisplacedEnvelopeHeaderDefect": "'From ' envelope line inside the headers",
    "MissingHeaderBodySeparatorDefect": "no blank line between headers and body",
    "MultipartInvariantViolationDefect": "multipart type without sub-parts",
    "InvalidMultipartContentTransferEncodingDefect": "multipart part with a bad transfer encoding",
    "UndecodableBytesDefect": "undecodable bytes in a header",
    "InvalidBase64PaddingDefect": "bad base64 padding (data may be truncated)",
    "InvalidBase64CharactersDefect": "invalid base64 characters (skipped)",
    "InvalidBase64LengthDefect": "truncated base64",
    "InvalidHeaderDefect": "malformed header",
    "HeaderMissingRequiredValue": "header without a required value",
    "NonPrintableDefect": "non-printable characters in a header",
    "ObsoleteHeaderDefect": "obsolete header syntax",
    "NonASCIILocalPartDefect": "non-ASCII address",
    "InvalidDateDefect": "invalid Date header",
}


def _defect_words(defect: object, where: str) -> Defect:
    name = type(defect).__name__
    words = _DEFECT_WORDS.get(name) or f"{name}: {(type(defect).__doc__ or '').strip()}"
    return Defect(f"{words} in {where}", LOSSY if name in _LOSSY_DEFECTS else REPAIRED)


def _part_filename(part: Message, defects: list[str]) -> str | None:
    """Decoded file name of a part: RFC 2231 (any charset), RFC 2047, or raw 8-bit."""
    view = Message()  # raw 8-bit header bytes decoded first; the stdlib would show U+FFFD
    for header in ("content-disposition", "content-type"):
        for value in _raw_headers(part, header)[:1]:
            view[header] = decode_8bit_header(value, "file name", defects)
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        try:
            value = view.get_param(param, None, header=header)
        except Exception:  # noqa: BLE001 - malformed parameter lists
            value = None
        if value is None or value == "":
            continue
        if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded latin-1 text)
            charset, _lang, text = value
            raw = str(text).encode("latin-1", "replace")
            name, errs = decode_text(raw, charset or None, "attachment file name")
            defects.extend(errs)
        else:
            name = email.utils.unquote(str(value))
        if "=?" in name:
            name = decode_words(name, "file name", defects)
        name = name.strip()
        if name:
            return name
    return None


def _content_id(part: Message) -> str | None:
    values = _raw_headers(part, "content-id")
    if not values:
        return None
    cid = values[0].strip().strip("<>").strip()
    return cid[:500] or None


def _default_name(ctype: str, index: int, inline: bool) -> str:
    ext = mimetypes.guess_extension(ctype, strict=False) or ".bin"
    stem = "image" if ctype.startswith("image/") else "attachment"
    return f"{stem}-{index}{ext}" if not inline or stem == "image" else f"inline-{index}{ext}"


@dataclass
class _Walk:
    """Mutable state while one message is walked."""

    limits: ReadLimits
    depth: int
    origin: str
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[MimePart] = field(default_factory=list)
    forwarded: list[MimeMessage] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    counter: int = 0


def _decoded_payload(part: Message, where: str, state: _Walk) -> bytes:
    """Transfer-decoded bytes of a leaf part; base64 damage is written as a defect."""
    before = len(part.defects)
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:  # noqa: BLE001 - uuencode errors and other oddities
        state.defects.append(lossy(f"could not decode {where} ({type(exc).__name__}: {exc})"))
        payload = part.get_payload()
        return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    for defect in part.defects[before:]:
        state.defects.append(_defect_words(defect, where))
    if data is None:
        return b""
    return bytes(data)


def _leaf(part: Message, ctype: str, parent_type: str, state: _Walk) -> None:
    """Handle one non-multipart part: a body text or an attachment."""
    disposition = (part.get_content_disposition() or "").lower()
    filename = _part_filename(part, state.defects)
    content_id = _content_id(part)
    charset = part.get_content_charset()
    is_text_body = (
        ctype in {"text/plain", "text/html"} and disposition != "attachment" and not filename
    )
    if is_text_body or ctype.startswith("multipart/"):
        where = f"{ctype} body"
        data = _decoded_payload(part, where, state)
        if ctype == "text/html" and not charset:
            charset = html_meta_charset(data)
        text, errs = decode_text(data, charset, where)
        state.defects.extend(errs)
        if ctype.startswith("multipart/"):
            state.defects.append(f"{ctype} part without sub-parts read as text")
        (state.html if ctype == "text/html" else state.plain).append(text)
        return
    state.counter += 1
    inline = disposition == "inline" or (
        not disposition and content_id is not None and parent_type == "multipart/related"
    )
    original = filename or ""
    name = safe_filename(filename, default=_default_name(ctype, state.counter, inline))
    where = f"attachment {name}"
    data = _decoded_payload(part, where, state)
    dropped = None
    if data.startswith(_DROPPED) and data.endswith(b"\0"):  # see drop_oversized_base64
        dropped, data = int(data[len(_DROPPED) : -1]), b""
    state.attachments.append(
        MimePart(
            filename=name,
            content_type=ctype,
            data=data,
            inline=inline,
            content_id=content_id,
            original_filename=original,
            charset=charset if ctype.startswith("text/") else None,
            origin=state.origin,
            dropped_size=dropped,
        )
    )


def _forward(part: Message, state: _Walk) -> None:
    """A message/rfc822 part: parse it as a message, or keep it as .eml past max_depth."""
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if inner is None or not isinstance(inner, Message):
        state.defects.append("empty forwarded message part")
        return
    if state.depth + 1 > state.limits.max_depth:
        state.counter += 1
        try:
            data = inner.as_bytes()
        except Exception:  # noqa: BLE001 - flattening a damaged message
            data = b""
        state.defects.append(
            f"forwarded message nested deeper than {state.limits.max_depth} levels: "
            "kept as a .eml attachment, not read"
        )
        state.attachments.append(
            MimePart(
                filename=f"forwarded-{state.counter}.eml",
                content_type="message/rfc822",
                data=data,
                origin=state.origin,
            )
        )
        return
    fwd = _from_message(inner, state.limits, state.depth + 1, state.origin + "forwarded/")
    state.forwarded.append(fwd)
    state.attachments.extend(fwd.attachments)
    state.defects.extend(Defect("forwarded message: " + d, code_of(d)) for d in fwd.defects)


def _walk(msg: Message, state: _Walk) -> None:
    """Visit all parts in order without recursion (deep nesting cannot overflow the stack)."""
    stack: list[tuple[Message, str]] = [(msg, "")]
    seen = 0
    while stack:
        part, parent_type = stack.pop()
        seen += 1
        if seen > 10_000:
            state.defects.append("more than 10000 MIME parts: the rest was not read")
            return
        try:
            ctype = part.get_content_type().lower()
        except Exception:  # noqa: BLE001
            ctype = "application/octet-stream"
        where = "the message" if part is msg else f"a {ctype} part"
        for defect in part.defects:
            state.defects.append(_defect_words(defect, where))
        if ctype in {"message/rfc822", "message/global"} and part is not msg:
            _forward(part, state)
        elif part.is_multipart():
            children = part.get_payload()
            if ctype in {"message/delivery-status", "message/disposition-notification"}:
                continue  # bounce/receipt header blocks: no text a person wrote
            stack.extend((c, ctype) for c in reversed(children) if isinstance(c, Message))
        else:
            _leaf(part, ctype, parent_type, state)


def _flag(msg: Message, name: str, defects: list[str]) -> str | None:
    value = _header_text(msg, name, defects)
    return value.strip() or None


def _from_message(
    msg: Message,
    limits: ReadLimits,
    depth: int,
    origin: str,
    mp_date: datetime | None = None,
    pre_defects: Iterable[str] = (),
    walk: bool = True,
) -> MimeMessage:
    """Build a MimeMessage from a parsed stdlib message tree (``walk=False``: headers only)."""
    state = _Walk(limits=limits, depth=depth, origin=origin, defects=list(pre_defects))
    d = state.defects
    subject = _header_text(msg, "subject", d)
    senders = _addresses(msg, "from", d)
    from_name, from_addr = senders[0] if senders else ("", "")
    if not senders:
        d.append("no readable From address")
    mid = _msg_ids(_header_text(msg, "message-id", d))
    irt = _msg_ids(_header_text(msg, "in-reply-to", d))
    refs = _msg_ids(_header_text(msg, "references", d))[:_MAX_REFERENCES]
    date = _parse_date(_header_text(msg, "date", d), mp_date, d)

    auto = (_flag(msg, "auto-submitted", d) or "").lower()
    auto_headers = [
        h for h in ("x-autoreply", "x-autorespond", "x-autogenerated") if _raw_headers(msg, h)
    ]
    precedence = (_flag(msg, "precedence", d) or "").lower() or None

    try:
        if walk:
            _walk(msg, state)
    except RecursionError:
        d.append("MIME structure nested too deeply; the rest was not read")

    text_body = "\n\n".join(t.strip("\r\n") for t in state.plain if t.strip())
    html_body = "\n".join(state.html)
    if not text_body and html_body:
        text_body = html_to_text(html_body)
    if len(text_body) > limits.max_text_chars:
        d.append(f"body longer than {limits.max_text_chars} characters: cut")
        text_body = text_body[: limits.max_text_chars]

    return MimeMessage(
        message_id=mid[0] if mid else None,
        subject=_normalize(subject, d),
        from_name=_normalize(from_name, d),
        from_addr=from_addr,
        to=[a for _n, a in _addresses(msg, "to", d)],
        cc=[a for _n, a in _addresses(msg, "cc", d)],
        reply_to=[a for _n, a in _addresses(msg, "reply-to", d)],
        date=date,
        in_reply_to=irt[0] if irt else None,
        references=refs,
        auto_submitted=auto if auto and auto != "no" else None,
        precedence=precedence,
        list_id=_flag(msg, "list-id", d),
        list_unsubscribe=_flag(msg, "list-unsubscribe", d),
        auto_reply_headers=auto_headers,
        content_type=msg.get_content_type().lower(),
        text_body=_normalize(text_body, d),
        html_body=_normalize(html_body, d),
        attachments=state.attachments,
        forwarded=state.forwarded,
        defects=_dedupe(d),
    )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------------------- entry point


def _headers_only(raw: bytes) -> Message:
    msg = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(raw, headersonly=True)
    msg.set_payload("")
    return msg


LARGE_MESSAGE = 8 * 2**20  # bytes; larger messages skip mail-parser (see parse_message)
_DROPPED = b"\0areaplan-dropped-part:"
_RE_BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/]{40,998}={0,2}\r?\n)++")


def drop_oversized_base64(raw: bytes, max_bytes: int) -> tuple[bytes, list[int]]:
    """``raw`` without the base64 bodies that decode to more than ``max_bytes``; their sizes.

    Such an attachment is refused by every reader anyway; decoding it would only cost memory
    (the stdlib holds the encoded text, its lines and the decoded bytes at once). Each body
    is replaced by a short base64 marker holding its size, which the part then reports
    (``MimePart.dropped_size``).
    """
    out: list[bytes] = []
    dropped: list[int] = []
    pos = 0
    for m in _RE_BASE64_RUN.finditer(raw):
        size = (m.end() - m.start()) * 3 // 4
        if size > max_bytes:
            out.append(raw[pos : m.start()])
            out.append(base64.b64encode(_DROPPED + b"%d\0" % size) + b"\r\n")
            dropped.append(size)
            pos = m.end()
    if not dropped:
        return raw, []
    out.append(raw[pos:])
    return b"".join(out), dropped


def parse_message(raw: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> MimeMessage:
    """Parse raw RFC 5322 bytes. Never raises for bad input: damage goes to ``defects``.

    A message larger than ``MAX_MESSAGE_FACTOR * limits.max_bytes`` is not parsed past its
    headers (the stdlib parser needs about 5 s per 100 MB).
    """
    pre: list[str] = []
    mp_date: datetime | None = None
    msg: Message | None = None
    headers_only = False
    if len(raw) > MAX_MESSAGE_FACTOR * limits.max_bytes:
        pre.append(
            f"message is {len(raw) / 2**20:.0f} MB, over "
            f"{MAX_MESSAGE_FACTOR * limits.max_bytes / 2**20:.0f} MB: "
            "only the headers were read; body and attachments are missing"
        )
        msg, headers_only = _headers_only(raw), True
    elif len(raw) > LARGE_MESSAGE:
        # mail-parser keeps several copies of every part (592 MB for a 68 MB message): a large
        # message is read by the stdlib parser, without the parts over the size limit.
        raw, dropped = drop_oversized_base64(raw, limits.max_bytes)
        pre.extend(
            lossy(f"an attachment of about {n / 2**20:.0f} MB is over the {limits.max_bytes / 2**20:.0f} MB "
                  "limit: not decoded and not read (the raw message keeps it)")
            for n in dropped
        )
    else:
        try:
            import mailparser  # lazy: heavy import, only needed here
            from mailparser.exceptions import MailParserRecursionError

            try:
                mp = mailparser.parse_from_bytes(raw)
                msg = mp.message
                mp_date = mp.date if isinstance(mp.date, datetime) else None
            except (MailParserRecursionError, RecursionError):
                pre.append(
                    "MIME structure nested too deeply: only the headers were read; "
                    "body and attachments are missing"
                )
                msg, headers_only = _headers_only(raw), True
        except Exception as exc:  # noqa: BLE001 - any other mail-parser failure
            log.warning("mail-parser failed: %s", exc)
            pre.append(f"mail-parser failed ({type(exc).__name__}); read with the stdlib parser")
    if msg is None:
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
        except RecursionError:
            pre.append(
                "MIME structure nested too deeply: only the headers were read; "
                "body and attachments are missing"
            )
            msg, headers_only = _headers_only(raw), True
        except Exception as exc:  # noqa: BLE001
            pre.append(f"message could not be parsed ({type(exc).__name__}: {exc})")
            return MimeMessage(defects=pre)
    return _from_message(
        msg, limits, 0, "", mp_date=mp_date, pre_defects=pre, walk=not headers_only
    )
