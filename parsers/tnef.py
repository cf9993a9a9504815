"""Read Outlook's winmail.dat (application/ms-tnef): its attachments as members, its body as text.

Outlook sends a message in its own TNEF container when the sender's client or Exchange
thinks the recipient is Outlook too: the mail then carries one ``winmail.dat`` holding the
real attachments (and often the body again, as compressed RTF). ``tnefparse`` decodes the
container; each attachment comes back in ``ReadResult.members`` and is read like a mail's
attachment (at depth + 1, with the message's limits). A plain or HTML body becomes the
text; an RTF-only body is decompressed (``compressed_rtf``) and handed back as the member
``winmail-body.rtf`` for the RTF reader. A message embedded in the container is TNEF
itself and is read the same way, one level deeper.
"""

from __future__ import annotations

import logging

from areaplan.parsers.charsets import decode_text
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.html_text import html_to_text
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

__all__ = ["read_tnef"]

TNEF_MAGIC = b"\x78\x9f\x3e\x22"
RTF_BODY_NAME = "winmail-body.rtf"


# --------------------------------------------------------------------------- structure check
# tnefparse trusts the counts in MAPI blocks: a block claiming 4 billion properties (or a
# multi-valued one claiming 4 billion values) loops that many times past the end of its
# bytes, in Python. The counts are checked here first, walking the blocks as it does.

_FIXED_SIZE = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0005: 8, 0x0006: 8,
               0x0007: 8, 0x0014: 8, 0x0040: 8, 0x0048: 16}
_VARIABLE = {0x0000, 0x000D, 0x001E, 0x001F, 0x0102}
_MAPI_BLOCKS = {(1, 0x9003), (2, 0x9005)}  # attMAPIProps (message), attAttachment
_RECIPIENTS = (1, 0x9004)  # attRecipTable: a row count, then one MAPI block per row


def _u32(data: bytes, pos: int) -> int:
    if pos + 4 > len(data):
        raise ValueError("cut short")
    return int.from_bytes(data[pos : pos + 4], "little")


def _padded(n: int) -> int:
    return n + (-n % 4)


def _value_end(block: bytes, off: int, ptype: int, multi: bool) -> int:
    if ptype in _FIXED_SIZE:
        return off + _FIXED_SIZE[ptype]
    if ptype not in _VARIABLE:
        raise LookupError  # tnefparse refuses the type itself
    values = 1
    if not multi:
        values = _u32(block, off)
        off += 4
    if values > len(block):
        raise ValueError("more values than bytes")
    for _ in range(values):
        off += 4 + _padded(_u32(block, off))
    return off


def _mapi_end(block: bytes, off: int) -> int:
    """Where the MAPI property list at ``off`` ends; ValueError if its counts overrun its bytes."""
    count = _u32(block, off)
    off += 4
    if count > len(block) // 4:
        raise ValueError(f"a property list claims {count:,} properties in {len(block):,} bytes")
    for _ in range(count):
        ptype, pid = int.from_bytes(block[off : off + 2], "little"), _u32(block, off) >> 16
        off += 4
        if pid >= 0x8000:  # named property: GUID, kind, then an id or a name
            kind = _u32(block, off + 16)
            off += 24 if kind == 0 else 24 + _padded(_u32(block, off + 20))
        values, multi = 1, bool(ptype & 0x1000)
        if multi:
            ptype ^= 0x1000
            values = _u32(block, off)
            off += 4
            if values > len(block) // 2:
                raise ValueError(f"a property claims {values:,} values in {len(block):,} bytes")
        for _ in range(values):
            off = _value_end(block, off, ptype, multi)
            if off > len(block):
                raise ValueError("a property runs past the end of its list")
        if values % 2 and ptype in (0x0002, 0x000B):
            off += 2
    return off


def _structure_problem(data: bytes) -> str | None:
    """Why tnefparse must not be given this file (counts that overrun their bytes), or None."""
    pos = 6
    try:
        while pos + 12 < len(data):
            level, ident, length = data[pos], _u32(data, pos + 1), _u32(data, pos + 5)
            body = data[pos + 9 : pos + 9 + length]
            if (level, ident & 0xFFFF) in _MAPI_BLOCKS:
                _mapi_end(body, 0)
            elif (level, ident & 0xFFFF) == _RECIPIENTS:
                rows, off = _u32(body, 0), 4
                if rows > len(body) // 4:
                    raise ValueError(f"the recipient table claims {rows:,} rows in {len(body):,} bytes")
                for _ in range(rows):
                    off = _mapi_end(body, off)
            pos += 11 + length
    except LookupError:
        return None  # a type tnefparse does not know: it raises, and that is reported
    except ValueError as exc:
        return str(exc)
    return None


# --------------------------------------------------------------------------- reading


def _text(value: object, codepage: str | None, what: str) -> tuple[str, list[str]]:
    if isinstance(value, bytes):
        return decode_text(value.rstrip(b"\x00"), codepage, what)
    return (str(value).rstrip("\x00"), []) if value else ("", [])


def _attachment_name(attachment: object, index: int) -> str:
    """The long file name if Outlook wrote one, else the 8.3 title, else a made-up name."""
    try:
        name = attachment.long_filename()  # type: ignore[attr-defined]
    except UnicodeDecodeError:  # a title in the sender's code page (cp874), not UTF-8
        raw = getattr(attachment, "_name", b"")
        name = raw.decode("cp874", "replace").strip("\x00") if isinstance(raw, bytes) else ""
    if isinstance(name, bytes):
        name = name.decode("utf-8", "replace")
    name = (name or "").strip("\x00").strip()
    return name if name and name != "unknown.dat" else f"winmail-attachment-{index + 1}.dat"


def _rtf_body(tnef: object) -> bytes | None:
    """The body as RTF (tnefparse decompresses it with compressed_rtf); None if there is none."""
    try:
        rtf = tnef.rtfbody  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - a damaged RTF body is noted, the rest is read
        log.info("TNEF compressed RTF body not decompressed: %s", exc)
        return None
    return rtf if isinstance(rtf, bytes) and rtf.lstrip()[:5] == b"{\\rtf" else None


def read_tnef(data: bytes, limits: ReadLimits) -> ReadResult:
    """Read a winmail.dat: kind "tnef", its attachments in ``members``, its body in ``text``.

    Raises UnreadableAttachment when the container cannot be decoded at all.
    """
    from tnefparse import TNEF

    if not data.startswith(TNEF_MAGIC):
        raise UnreadableAttachment("no TNEF signature at the start of the file")
    problem = _structure_problem(data)
    if problem:
        raise UnreadableAttachment(f"damaged winmail.dat: {problem}")
    try:
        tnef = TNEF(data, do_checksum=True)
    except Exception as exc:  # noqa: BLE001 - tnefparse raises many kinds on damage
        raise UnreadableAttachment(f"damaged winmail.dat ({type(exc).__name__}: {str(exc)[:200]})") from None
    result = ReadResult(kind="tnef", method="tnefparse")
    codepage = getattr(tnef, "codepage", None)
    text, defects = _text(tnef.body, codepage, "winmail.dat body")
    if not text and tnef.htmlbody:
        html, defects = _text(tnef.htmlbody, codepage, "winmail.dat body")
        text = html_to_text(html)
    result.notes.extend(defects)
    result.text = text[: limits.max_text_chars]
    if not text:
        rtf = _rtf_body(tnef)
        if rtf is not None:
            result.members.append((RTF_BODY_NAME, rtf))
    attachments = list(tnef.attachments)
    if len(attachments) > limits.max_members:
        result.problems.append(f"winmail.dat holds {len(attachments)} attachments; only the first "
                               f"{limits.max_members} are read")
        attachments = attachments[: limits.max_members]
    for i, attachment in enumerate(attachments):
        name = _attachment_name(attachment, i)
        payload = attachment.data
        if not payload:
            result.notes.append(f"{name}: empty attachment in winmail.dat")
            continue
        result.members.append((name, bytes(payload)))
    n = len(attachments)
    if not result.text and not result.members:
        if any(getattr(o, "level", None) in (1, 2) for o in tnef.objects):  # properties only (a meeting)
            result.notes.append("winmail.dat (TNEF) holds no attachment and no body, only message properties")
        else:
            result.problems.append("winmail.dat (TNEF) holds nothing that could be read: damaged")
    result.notes.append(f"{n} attachment{'s' if n != 1 else ''} taken from winmail.dat")
    return result
