"""Byte-level MIME building for the synthetic mail.

The sample generator needs full control over the bytes it writes: header
encodings (RFC 2047 ``B``/``Q`` words in UTF-8, TIS-620 or windows-874, or raw
8-bit), filename encodings (RFC 2231 with continuations, RFC 2047 inside a
quoted string as Gmail and Outlook send it, or raw UTF-8), transfer encodings
and multipart boundaries.  The standard library's generator re-folds headers
and draws boundaries from the global ``random`` module, so this module uses a
tiny serializer of its own.  Everything here is deterministic: callers pass
in every random choice (boundaries, ids).

The output is checked by ``tests/test_samples.py`` to parse with Python's
``email`` and ``mailbox`` packages.
"""

from __future__ import annotations

import base64
import quopri
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime

# --------------------------------------------------------------------------
# Header encoding
# --------------------------------------------------------------------------


def codec(label: str) -> str:
    """Python codec for a MIME charset label (Python has no ``windows-874`` alias)."""
    low = label.lower()
    if low in ("windows-874", "x-windows-874", "windows874"):
        return "cp874"
    return low


def _is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in text)


def _q_encode(raw: bytes) -> str:
    """RFC 2047 'Q' encoding of ``raw`` (space becomes ``_``)."""
    out = []
    for b in raw:
        ch = chr(b)
        if b == 0x20:
            out.append("_")
        elif ch.isalnum() and b < 128:
            out.append(ch)
        elif ch in "!*+-/" and b < 128:
            out.append(ch)
        else:
            out.append(f"={b:02X}")
    return "".join(out)


def encoded_words(text: str, charset: str = "UTF-8", enc: str = "B", limit: int = 75) -> list[str]:
    """Split ``text`` into RFC 2047 encoded words of at most ``limit`` characters.

    Words are split on character boundaries, so no multi-byte character is cut
    (which is what Gmail and Thunderbird do).  ``charset`` is the label written
    into the word; the Python codec is looked up from it (``TIS-620``,
    ``windows-874`` and ``UTF-8`` all work).
    """
    py = codec(charset)
    prefix = f"=?{charset}?{enc}?"
    words: list[str] = []
    chunk = ""
    for ch in text:
        trial = chunk + ch
        raw = trial.encode(py)
        body = base64.b64encode(raw).decode() if enc.upper() == "B" else _q_encode(raw)
        if len(prefix) + len(body) + 2 > limit and chunk:
            words.append(_word(chunk, py, prefix, enc))
            chunk = ch
        else:
            chunk = trial
    if chunk:
        words.append(_word(chunk, py, prefix, enc))
    return words


def _word(chunk: str, py: str, prefix: str, enc: str) -> str:
    raw = chunk.encode(py)
    body = base64.b64encode(raw).decode() if enc.upper() == "B" else _q_encode(raw)
    return f"{prefix}{body}?="


def encode_header_text(text: str, charset: str = "UTF-8", enc: str = "B") -> str:
    """Encode an unstructured header value (e.g. Subject).

    ASCII text is returned unchanged; otherwise the whole value becomes a run of
    encoded words folded with ``\\n `` (the serializer turns ``\\n`` into the
    chosen line ending).  ``enc="raw"`` returns the text unencoded (raw 8-bit
    UTF-8 in a header: not standard, but real clients send it).
    """
    if _is_ascii(text) or enc == "raw":
        return text
    return "\n ".join(encoded_words(text, charset, enc))


def format_address(display: str | None, addr: str, charset: str = "UTF-8", enc: str = "B") -> str:
    """Return ``"Display Name" <addr>`` with the display name encoded if needed."""
    if not display:
        return addr
    if _is_ascii(display) or enc == "raw":
        if any(c in display for c in ',.;:()<>@"') and _is_ascii(display):
            return f'"{display}" <{addr}>'
        return f"{display} <{addr}>"
    return f"{encode_header_text(display, charset, enc)} <{addr}>"


def format_date(dt: datetime) -> str:
    """RFC 5322 date from an aware datetime: ``Thu, 25 Mar 2021 09:12:33 +0700``."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    off = dt.utcoffset()
    assert off is not None, "datetime must be timezone-aware"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return (
        f"{days[dt.weekday()]}, {dt.day:02d} {months[dt.month - 1]} {dt.year} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} {sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


def mbox_from_line(addr: str, dt: datetime) -> str:
    """The ``From `` separator line of an mbox entry (asctime in UTC)."""
    ts = time.gmtime(dt.timestamp())
    return f"From {addr} {time.strftime('%a %b %d %H:%M:%S %Y', ts)}"


def filename_params(filename: str, style: str, key: str = "filename") -> str:
    """Render a ``filename``/``name`` parameter in one of several real-world styles.

    ``rfc2231``: ``filename*=utf-8''%E0%B8...`` (Thunderbird, Apple Mail), split
    into ``filename*0*``, ``filename*1*`` continuations when long;
    ``rfc2047``: ``filename="=?UTF-8?B?...?="`` (Gmail, Outlook; not standard);
    ``raw``: the UTF-8 name in quotes (some webmails);
    ``tis620``: RFC 2231 with the TIS-620 charset (old Thai Outlook Express).
    """
    if _is_ascii(filename):
        return f'{key}="{filename}"'
    if style == "rfc2047":
        return f'{key}="{" ".join(encoded_words(filename, "UTF-8", "B"))}"'
    if style == "raw":
        return f'{key}="{filename}"'
    charset = "tis-620" if style == "tis620" else "utf-8"
    quoted = urllib.parse.quote(filename.encode(charset), safe="")
    if len(quoted) <= 60:
        return f"{key}*={charset}''{quoted}"
    tokens = re.findall(r"%[0-9A-F]{2}|.", quoted)
    pieces: list[str] = [""]
    for tok in tokens:  # never cut inside a %XX escape
        if len(pieces[-1]) + len(tok) > 60:
            pieces.append("")
        pieces[-1] += tok
    parts = []
    for i, piece in enumerate(pieces):
        if i == 0:
            parts.append(f"{key}*0*={charset}''{piece}")
        else:
            parts.append(f"{key}*{i}*={piece}")
    return ";\n ".join(parts)


# --------------------------------------------------------------------------
# MIME tree and serializer
# --------------------------------------------------------------------------


@dataclass
class Part:
    """A MIME entity: headers (already encoded) and either a body or children.

    Header values are ``str``; they may contain ``\\n `` folds and, for the
    deliberate raw-8-bit cases, non-ASCII text (written as UTF-8).
    """

    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    parts: list[Part] = field(default_factory=list)
    boundary: str | None = None
    preamble: str = ""
    epilogue: str = ""

    def add(self, name: str, value: str) -> None:
        """Append a header."""
        self.headers.append((name, value))

    def get(self, name: str) -> str | None:
        """First header value named ``name`` (case-insensitive), or None."""
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


def serialize(part: Part, linesep: str = "\n") -> bytes:
    """Serialize a :class:`Part` tree to bytes with the given line ending."""
    out = "\n".join(_serialize_lines(part))
    data = out.encode("utf-8", errors="surrogateescape")
    if linesep != "\n":
        data = data.replace(b"\n", linesep.encode())
    return data


def _serialize_lines(part: Part) -> list[str]:
    lines = [f"{k}: {v}" for k, v in part.headers]
    lines.append("")
    if part.parts:
        assert part.boundary, "multipart needs a boundary"
        if part.preamble:
            lines.append(part.preamble)
        for child in part.parts:
            lines.append(f"--{part.boundary}")
            lines.extend(_serialize_lines(child))
        lines.append(f"--{part.boundary}--")
        if part.epilogue:
            lines.append(part.epilogue)
        lines.append("")
    else:
        text = part.body.decode("utf-8", errors="surrogateescape")
        if text.endswith("\n"):
            text = text[:-1]
        lines.append(text)
    return lines


def b64_body(data: bytes) -> bytes:
    """Base64 with 76-character lines, as MUAs write it."""
    enc = base64.b64encode(data)
    return b"\n".join(enc[i : i + 76] for i in range(0, len(enc), 76)) + b"\n"


def qp_body(data: bytes) -> bytes:
    """Quoted-printable body (soft line breaks at 76)."""
    return quopri.encodestring(data.replace(b"\r\n", b"\n"))


def text_part(
    text: str,
    subtype: str = "plain",
    charset: str = "utf-8",
    cte: str = "base64",
    declared: str | None = "",
    extra_params: str = "",
) -> Part:
    """A ``text/*`` part.

    ``charset`` is the codec actually used for the bytes; ``declared`` is what the
    Content-Type says (``""`` means the same as ``charset``; ``None`` means no
    charset parameter at all, the mislabelled case).
    """
    raw = text.replace("\r\n", "\n").encode(codec(charset))
    decl = charset if declared == "" else declared
    ctype = f"text/{subtype}"
    if decl is not None:
        ctype += (
            f'; charset="{decl}"'
            if subtype == "html" and charset.startswith("win")
            else f"; charset={decl}"
        )
    if extra_params:
        ctype += f"; {extra_params}"
    p = Part()
    p.add("Content-Type", ctype)
    p.add("Content-Transfer-Encoding", cte)
    if cte == "base64":
        p.body = b64_body(raw)
    elif cte == "quoted-printable":
        p.body = qp_body(raw)
    else:  # 8bit / 7bit
        p.body = raw if raw.endswith(b"\n") else raw + b"\n"
    return p


def attachment_part(
    data: bytes,
    ctype: str,
    filename: str,
    style: str = "rfc2231",
    inline: bool = False,
    content_id: str | None = None,
    name_param: bool = True,
    size_param: bool = False,
) -> Part:
    """A base64 attachment with the filename encoded in ``style`` (see :func:`filename_params`)."""
    p = Part()
    ct = ctype
    if name_param:
        ct += ";\n " + filename_params(filename, style, key="name")
    p.add("Content-Type", ct)
    disp = "inline" if inline else "attachment"
    dparams = filename_params(filename, style, key="filename")
    if size_param:
        dparams += f"; size={len(data)}"
    p.add("Content-Disposition", f"{disp};\n {dparams}")
    p.add("Content-Transfer-Encoding", "base64")
    if content_id:
        p.add("Content-ID", f"<{content_id}>")
        p.add("X-Attachment-Id", content_id.split("@")[0])
    p.body = b64_body(data)
    return p


def multipart(subtype: str, parts: list[Part], boundary: str, preamble: str = "") -> Part:
    """A ``multipart/<subtype>`` container."""
    p = Part(parts=parts, boundary=boundary, preamble=preamble)
    p.add("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')
    return p


def rfc822_part(inner: bytes, filename: str | None = None) -> Part:
    """A ``message/rfc822`` part wrapping a complete message (LF line endings)."""
    p = Part()
    ct = "message/rfc822"
    if filename:
        ct += f'; name="{filename}"'
    p.add("Content-Type", ct)
    if filename:
        p.add("Content-Disposition", f'attachment; filename="{filename}"')
    else:
        p.add("Content-Disposition", "inline")
    p.body = inner.replace(b"\r\n", b"\n")
    return p


def leaf(
    ctype: str, body: bytes, cte: str = "7bit", extra: list[tuple[str, str]] | None = None
) -> Part:
    """An arbitrary leaf part (e.g. ``message/delivery-status``, ``text/calendar``)."""
    p = Part()
    p.add("Content-Type", ctype)
    for k, v in extra or []:
        p.add(k, v)
    if cte:
        p.add("Content-Transfer-Encoding", cte)
    p.body = b64_body(body) if cte == "base64" else body
    return p


def message(headers: list[tuple[str, str]], root: Part) -> Part:
    """Top-level message: ``headers`` first, then MIME-Version and the root part's headers."""
    top = Part(
        headers=list(headers) + [("MIME-Version", "1.0")] + root.headers,
        body=root.body,
        parts=root.parts,
        boundary=root.boundary,
        preamble=root.preamble,
        epilogue=root.epilogue,
    )
    return top


def mbox_escape(msg: bytes) -> bytes:
    """mboxrd-escape lines starting with ``From `` (or ``>From ``)."""
    out = []
    for line in msg.split(b"\n"):
        stripped = line.lstrip(b">")
        if stripped.startswith(b"From "):
            line = b">" + line
        out.append(line)
    return b"\n".join(out)


# --------------------------------------------------------------------------
# Mail clients and drafts
# --------------------------------------------------------------------------

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"


def _rand(rng, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _uuid(rng, upper: bool = False) -> str:
    h = _rand(rng, _HEX, 32)
    u = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"
    return u.upper() if upper else u


@dataclass(frozen=True)
class Client:
    """How one mail program writes messages (ids, boundaries, encodings, filenames).

    ``kind`` is one of ``gmail``, ``outlook`` (Outlook 2016 on Thai Windows),
    ``o365`` (Outlook.com / Hotmail), ``thunderbird``, ``iphone``, ``roundcube``
    (webmail at @dopa.go.th), ``yahoo``.
    """

    kind: str
    legacy: bool = False  # Outlook set to "Thai (Windows)": windows-874 headers and bodies

    @property
    def subject_charset(self) -> str:
        return "windows-874" if self.kind == "outlook" and self.legacy else "UTF-8"

    @property
    def subject_enc(self) -> str:
        return "Q" if self.kind in ("roundcube", "yahoo") else "B"

    @property
    def filename_style(self) -> str:
        return {
            "gmail": "rfc2047",
            "outlook": "rfc2047",
            "o365": "rfc2047",
            "yahoo": "rfc2047",
        }.get(self.kind, "rfc2231")

    @property
    def text_cte(self) -> str:
        return {"gmail": "base64", "thunderbird": "8bit", "yahoo": "base64", "o365": "base64"}.get(
            self.kind, "quoted-printable"
        )

    @property
    def text_charset(self) -> str:
        return "windows-874" if self.kind == "outlook" and self.legacy else "utf-8"

    @property
    def sends_html(self) -> bool:
        return self.kind in ("gmail", "outlook", "o365", "yahoo")

    def message_id(self, rng, domain: str) -> str:
        k = self.kind
        if k == "gmail":
            return f"<CA{_rand(rng, _ALNUM + '+_-', 54)}@mail.gmail.com>"
        if k == "outlook":
            a = _rand(rng, _HEX, 12)
            return f"<000{rng.randint(0, 9)}01d7{_rand(rng, _HEX, 4)}${a[:8]}${_rand(rng, _HEX, 8)}$@{domain}>"
        if k == "o365":
            box = f"{rng.choice(['HK0PR', 'SG2PR', 'KL1PR', 'TYAPR'])}0{rng.randint(1, 6)}MB{rng.randint(1000, 9999)}"
            return f"<{box}{_rand(rng, _ALNUM.upper()[:36], 20)}@{box}.apcprd0{rng.randint(1, 6)}.prod.outlook.com>"
        if k == "iphone":
            return f"<{_uuid(rng, upper=True)}@{domain}>"
        if k == "thunderbird":
            return f"<{_uuid(rng)}@{domain}>"
        if k == "yahoo":
            return f"<{rng.randint(10**9, 10**10)}.{rng.randint(10**6, 10**7)}.{rng.randint(10**12, 10**13)}@mail.yahoo.com>"
        return f"<{_rand(rng, _HEX, 32)}@{domain}>"

    def boundary(self, rng) -> str:
        k = self.kind
        if k == "gmail":
            return "000000000000" + _rand(rng, _HEX, 18)
        if k == "outlook":
            return f"----=_NextPart_00{rng.randint(0, 2)}_{_rand(rng, '0123456789ABCDEF', 4)}_01D7{_rand(rng, '0123456789ABCDEF', 4)}.{_rand(rng, '0123456789ABCDEF', 8)}"
        if k == "o365":
            return f"_00{rng.randint(0, 6)}_{_rand(rng, _ALNUM.upper()[:36], 30)}_"
        if k == "iphone":
            return f"Apple-Mail-{_uuid(rng, upper=True)}"
        if k == "thunderbird":
            return "------------" + _rand(rng, _ALNUM, 24)
        if k == "yahoo":
            return f"----=_Part_{rng.randint(10**6, 10**7)}_{rng.randint(10**8, 10**9)}.{rng.randint(10**12, 10**13)}"
        return "=_" + _rand(rng, _HEX, 32)

    def extra_headers(self, rng) -> list[tuple[str, str]]:
        k = self.kind
        if k == "outlook":
            return [
                ("X-Mailer", "Microsoft Outlook 16.0"),
                ("Thread-Index", "AdcK" + _rand(rng, _ALNUM, 24) + "=="),
                ("Content-Language", "th"),
            ]
        if k == "o365":
            return [
                ("Content-Language", "th-TH"),
                ("X-MS-Has-Attach", "yes"),
                ("X-MS-TNEF-Correlator", ""),
            ]
        if k == "iphone":
            return [
                (
                    "X-Mailer",
                    rng.choice(
                        ["iPhone Mail (18D52)", "iPhone Mail (18D70)", "iPhone Mail (18E199)"]
                    ),
                )
            ]
        if k == "thunderbird":
            return [
                (
                    "User-Agent",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 Thunderbird/78.8.1",
                ),
                ("Content-Language", "th"),
            ]
        if k == "roundcube":
            return [("User-Agent", "Roundcube Webmail/1.4.11")]
        if k == "yahoo":
            return [("X-Mailer", "WebService/1.1.17936 YahooMailAndroidMobile")]
        return []


@dataclass
class Pending:
    """Placeholder for bytes produced later (e.g. a PDF from LibreOffice)."""

    key: str


@dataclass
class Attachment:
    """A file attached to a draft; ``data`` may be :class:`Pending` until conversion."""

    filename: str
    data: bytes | Pending
    ctype: str
    inline: bool = False
    content_id: str | None = None
    style: str | None = None  # filename encoding; None = the client's habit


@dataclass
class Draft:
    """Everything needed to write one message; rendered by :func:`render`.

    ``parts`` may contain :class:`Attachment`, ready-made :class:`Part` objects
    (e.g. ``message/delivery-status``) or nested :class:`Draft` objects, which
    become ``message/rfc822`` parts (forwarding as attachment, bounces).
    ``body_charset`` is the codec of the text body; ``declared_charset`` what
    the header claims (``""`` = the same, ``None`` = no charset parameter).
    """

    client: Client
    headers: list[tuple[str, str]]
    text: str | None = None
    html: str | None = None
    parts: list = field(default_factory=list)
    body_charset: str | None = None
    declared_charset: str | None = ""
    text_cte: str | None = None
    root_subtype: str = "mixed"
    root_params: str = ""
    related: bool = False
    boundary_seed: str = ""
    mbox_from: str = "MAILER-DAEMON"
    date: datetime | None = None


def render(draft: Draft, rng, resolved: dict[str, bytes] | None = None) -> bytes:
    """Render a :class:`Draft` to message bytes (LF line endings).

    ``resolved`` maps :class:`Pending` keys to bytes.  ``rng`` supplies the
    boundaries, so the same draft and seed always give the same bytes.
    """
    resolved = resolved or {}
    client = draft.client
    charset = draft.body_charset or client.text_charset
    cte = draft.text_cte or client.text_cte
    if (
        charset.lower() in ("tis-620", "windows-874", "cp874", "iso-8859-11")
        and cte == "base64"
        and draft.text_cte is None
    ):
        cte = "quoted-printable"

    body_parts: list[Part] = []
    if draft.text is not None:
        extra = "format=flowed" if client.kind == "thunderbird" and cte == "8bit" else ""
        body_parts.append(
            text_part(draft.text, "plain", charset, cte, draft.declared_charset, extra)
        )
    if draft.html is not None:
        html_charset = charset if charset.lower() != "tis-620" else "utf-8"
        body_parts.append(
            text_part(
                draft.html,
                "html",
                html_charset,
                cte if cte != "8bit" else "quoted-printable",
                draft.declared_charset if html_charset == charset else "",
            )
        )
    if len(body_parts) > 1:
        body = multipart("alternative", body_parts, client.boundary(rng))
    elif body_parts:
        body = body_parts[0]
    else:
        body = (
            text_part("", "plain", "utf-8", "7bit", "us-ascii")
            if draft.parts
            else text_part("\n", "plain", "utf-8", "7bit")
        )

    children: list[Part] = []
    inline_parts: list[Part] = []
    for item in draft.parts:
        if isinstance(item, Part):
            children.append(item)
        elif isinstance(item, Draft):
            children.append(rfc822_part(render(item, rng, resolved)))
        else:
            data = item.data
            if isinstance(data, Pending):
                data = resolved[data.key]
            p = attachment_part(
                data,
                item.ctype,
                item.filename,
                style=item.style or client.filename_style,
                inline=item.inline,
                content_id=item.content_id,
                size_param=client.kind == "o365",
            )
            (inline_parts if item.inline and item.content_id else children).append(p)

    if inline_parts:
        body = multipart("related", [body, *inline_parts], client.boundary(rng))
    if children:
        root = multipart(draft.root_subtype, [body, *children], client.boundary(rng))
        if draft.root_params:
            root.headers[0] = ("Content-Type", root.headers[0][1] + "; " + draft.root_params)
    else:
        root = body
    return serialize(message(draft.headers + client.extra_headers(rng), root))
