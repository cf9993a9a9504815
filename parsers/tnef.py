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
        result.problems.append("winmail.dat (TNEF) holds no attachment and no body that could be read")
    result.notes.append(f"{n} attachment{'s' if n != 1 else ''} taken from winmail.dat")
    return result
