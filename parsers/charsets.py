"""Decode e-mail text in the charsets Thai senders really use, and RFC 2047 header words.

:func:`decode_text` decodes a body, a text attachment or a file name from its declared
MIME charset. ``windows-874`` (Python has no codec of that name), TIS-620 and
ISO-8859-11 are decoded as cp874; bytes with no charset, or with a wrong or unknown one,
are tried as UTF-8, then as Thai. Header text is decoded from RFC 2047 encoded words
(adjacent words of one charset joined as bytes) and from raw 8-bit bytes.

Every repair is returned as a defect in plain words. Text is decoded with "replace",
never "ignore": nothing is dropped silently.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

from areaplan.parsers.defects import lossy

__all__ = ["decode_text"]


# --------------------------------------------------------------------------- charsets

# Names Thai senders use that Python does not know, or knows under a stricter codec.
# TIS-620 and ISO-8859-11 are decoded as cp874 (windows-874), their printable superset:
# real "TIS-620" mail often carries cp874 quotes, dashes and NBSP.
_CHARSET_ALIASES = {
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "ms874": "cp874",
    "ms-874": "cp874",
    "cp-874": "cp874",
    "windows874": "cp874",
    "ibm874": "cp874",
    "tis-620": "cp874",
    "tis620": "cp874",
    "tis_620": "cp874",
    "x-tis620": "cp874",
    "tis-620-2533": "cp874",
    "iso-8859-11": "cp874",
    "iso8859-11": "cp874",
    "iso_8859-11": "cp874",
    "iso-ir-166": "cp874",
    "thai": "cp874",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "iso-8859-1": "cp1252",  # as browsers do: 0x80-0x9F are cp1252 punctuation in practice
    "latin1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
}
_THAI_CODEC = "cp874"
_ASCII_NAMES = {"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us"}
_LATIN_NAMES = {"iso-8859-1", "latin1", "cp1252", "windows-1252", "us-ascii", "ascii"}


def _codec_for(charset: str | None) -> str | None:
    """Python codec name for a declared MIME charset, or None if Python cannot decode it."""
    if not charset:
        return None
    name = re.sub(r"[^a-z0-9_.:-]", "", charset.strip().strip("\"'").lower())
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in {"undefined", "idna"}:
        return None  # base64, zlib, rot13 ... are not text encodings
    return info.name


def _display_charset(codec: str) -> str:
    return "TIS-620/windows-874" if codec == _THAI_CODEC else codec


def _thai_share(text: str) -> float:
    """Share of Thai letters among the non-ASCII characters of ``text``."""
    high = [c for c in text if ord(c) > 0x7F]
    if not high:
        return 0.0
    return sum(1 for c in high if "\u0e00" <= c <= "\u0e7f") / len(high)


def _guess_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes with no usable charset: UTF-8, else Thai cp874, else UTF-8 with replace.

    Returns (text, codec used). The Thai guess needs >= 80 % Thai letters among the 8-bit
    characters and almost no undecodable bytes.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_utf8 = data.decode("utf-8", "replace")
    bad = as_utf8.count("\ufffd")
    good = sum(1 for c in as_utf8 if ord(c) > 0x7F) - bad
    if good >= 3 * bad:  # UTF-8 with a few damaged bytes, not another charset
        return as_utf8, "utf-8"
    thai = data.decode(_THAI_CODEC, "replace")
    high = sum(1 for b in data if b > 0x7F)
    if _thai_share(thai) >= 0.8 and thai.count("\ufffd") <= max(1, high // 100):
        return thai, _THAI_CODEC
    return data.decode("utf-8", "replace"), "utf-8"


def _looks_like_mislabelled_thai(data: bytes) -> bool:
    """True if bytes declared Latin-1/ASCII are really Thai (long runs of Thai letters)."""
    runs = re.findall(rb"[\xa1-\xfb]{3,}", data)
    high = sum(1 for b in data if b > 0x7F)
    return (
        bool(runs)
        and sum(len(r) for r in runs) >= 0.7 * high
        and high >= 6
        and (_thai_share(data.decode(_THAI_CODEC, "replace")) >= 0.9)
    )


def decode_text(data: bytes, charset: str | None, what: str = "text") -> tuple[str, list[str]]:
    """Decode a text body or attachment; return (text, defects in words).

    ``charset`` is the declared MIME charset (or None). Windows-874 and its aliases, TIS-620
    and ISO-8859-11 are decoded as cp874. With no charset (or a wrong or unknown one), the
    bytes are tried as UTF-8, then as Thai. Undecodable bytes become U+FFFD and a defect
    is written; nothing is dropped silently.
    """
    defects: list[str] = []
    if not data:
        return "", defects
    declared = (charset or "").strip().strip("\"'").lower() or None
    codec = _codec_for(declared)
    if declared and codec is None:
        text, used = _guess_decode(data)
        defects.append(
            f"unknown charset {declared!r} in {what}, decoded as {_display_charset(used)}"
        )
    elif codec is None or (declared in _ASCII_NAMES and not data.isascii()):
        text, used = _guess_decode(data)
        if used != "utf-8" or not data.isascii():
            label = "undeclared charset" if not declared else f"8-bit text declared {declared}"
            if used == _THAI_CODEC:
                defects.append(f"{label} in {what}, decoded as TIS-620")
            elif "\ufffd" not in text and declared:
                defects.append(f"{label} in {what}, decoded as UTF-8")
    elif declared in _LATIN_NAMES and not data.isascii() and _looks_like_mislabelled_thai(data):
        text, used = data.decode(_THAI_CODEC, "replace"), _THAI_CODEC
        defects.append(f"{what} declared {declared} but is Thai, decoded as TIS-620")
    else:
        used = codec
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            if codec == "utf-8":
                text, used = _guess_decode(data)
                if used == _THAI_CODEC:
                    defects.append(f"{what} declared UTF-8 but is not, decoded as TIS-620")
            else:
                text = data.decode(codec, "replace")
        except (LookupError, ValueError, TypeError) as exc:  # broken codec module
            text, used = _guess_decode(data)
            defects.append(f"charset {declared!r} in {what} failed ({exc}), decoded as {used}")
    if "\ufffd" in text:
        bad = text.count("\ufffd")
        defects.append(lossy(
            f"{bad} undecodable byte(s) in {what} (charset {declared or 'undeclared'}, "
            f"decoded as {_display_charset(used)}) shown as U+FFFD"
        ))
    return text, defects


# --------------------------------------------------------------------------- header words

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def _lenient_b64(text: str) -> bytes:
    clean = re.sub(r"[^A-Za-z0-9+/]", "", text.split("=", 1)[0])
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    return base64.b64decode(clean + "=" * (-len(clean) % 4))


def decode_8bit_header(value: str, name: str, defects: list[str]) -> str:
    """Header text that holds raw 8-bit bytes (kept by the parser as surrogates)."""
    if not re.search(r"[\udc80-\udcff]", value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    text, used = _guess_decode(raw)
    if used == _THAI_CODEC:
        defects.append(f"raw 8-bit {name} header (not RFC 2047), decoded as TIS-620")
    elif "\ufffd" in text:
        defects.append(f"raw 8-bit {name} header is not UTF-8 or Thai; bad bytes shown as U+FFFD")
    return text


def decode_words(value: str, name: str, defects: list[str]) -> str:
    """Decode RFC 2047 encoded words, joining adjacent words of one charset as bytes.

    Joining matters for Thai: some mailers split a UTF-8 subject in the middle of a
    3-byte character across two encoded words. Whitespace between two encoded words is
    dropped, as RFC 2047 says.
    """
    out: list[str] = []
    pending: list[bytes] = []
    pending_cs: str | None = None
    pos = 0
    last_end: int | None = None  # end of the previous encoded word

    def flush() -> None:
        nonlocal pending, pending_cs
        if pending:
            text, errs = decode_text(b"".join(pending), pending_cs, f"{name} header")
            out.append(text)
            defects.extend(errs)
        pending, pending_cs = [], None

    for m in _ENCODED_WORD.finditer(value):
        between = value[pos : m.start()]
        adjacent = last_end == pos and not between.strip()
        charset = m.group(1).split("*", 1)[0].lower()  # drop an RFC 2231 language suffix
        if not (adjacent and charset == pending_cs):
            flush()
        if not adjacent:
            out.append(between)
        try:
            if m.group(2) in "Bb":
                raw = _lenient_b64(m.group(3))
            else:
                raw = binascii.a2b_qp(m.group(3).encode("ascii", "replace"), header=True)
        except (binascii.Error, ValueError):
            defects.append(f"broken encoded word in {name} header kept as written")
            flush()
            out.append(m.group(0))
            pos, last_end = m.end(), None
            continue
        pending.append(raw)
        pending_cs = charset
        pos = last_end = m.end()
    flush()
    out.append(value[pos:])
    return "".join(out)
