"""Read an Outlook .msg (application/vnd.ms-outlook): its body as text, its attachments as members.

A .msg is what Outlook saves with "Save as" or drag-and-drop: a compound file (OLE, like a
.doc) holding the message's properties as ``__substg1.0_`` streams ([MS-OXMSG]). It is
opened with ``extract-msg`` (which reads the compound file with ``olefile``). As for an
attached .eml or a winmail.dat (``parsers/tnef.py``), the attachments come back in
``ReadResult.members`` and are read like the mail's own, at depth + 1 with the message's
limits. The body is the plain text if Outlook saved one, else the HTML body as text, else
the compressed RTF body, decompressed and handed back as the member ``msg-body.rtf`` for
the RTF reader. A message attached inside it as an Outlook item (Outlook's "Forward as
attachment") is saved as a .msg of its own and read the same way, one level deeper.

Before extract-msg reads anything, the compound file's directory is read with olefile and
the sizes it declares are added up: a compound file can point many streams at the same
sectors, and extract-msg loads every attachment into memory when it opens the file.
"""

from __future__ import annotations

import logging

from areaplan.parsers.charsets import decode_text
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.html_text import html_meta_charset, html_to_text
from areaplan.parsers.types import ReadLimits, ReadResult

log = logging.getLogger(__name__)

__all__ = ["read_msg"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_BODY_NAME = "msg-body.rtf"
MAX_ENTRIES = 20_000  # directory entries; a message with 500 attachments has about 5,000


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"


def _structure_problem(data: bytes, limits: ReadLimits) -> str | None:
    """Why extract-msg must not be given this file, or None. Raises UnreadableAttachment if damaged."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            names = ole.listdir()
            entries = [e for e in ole.direntries if e is not None]
    except Exception as exc:  # noqa: BLE001 - olefile raises OSError, struct.error, IndexError, RecursionError ...
        raise UnreadableAttachment(f"damaged Outlook .msg ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not any(path[-1].startswith("__substg1.0_") for path in names):
        raise UnreadableAttachment("an OLE file without Outlook message properties (damaged?)")
    if len(entries) > MAX_ENTRIES:
        return f"its directory lists {len(entries):,} entries"
    declared = sum(e.size for e in entries if e.entry_type == olefile.STGTY_STREAM)
    if declared > limits.max_decompressed:
        return (f"its streams declare {_mb(declared)}, over the {_mb(limits.max_decompressed)} "
                "limit (sectors shared between streams?)")
    return None


def _attachment_name(attachment: object, index: int) -> str:
    for attr in ("longFilename", "shortFilename", "displayName"):
        name = getattr(attachment, attr, None)
        if isinstance(name, str) and name.strip("\x00").strip():
            return name.strip("\x00").strip()
    return f"msg-attachment-{index + 1}.dat"


def _embedded_message(item: object, name: str, result: ReadResult) -> bytes | bool:
    """A message attached as an Outlook item, saved as a .msg of its own (read at depth + 1);
    False when it cannot be (the problem is written)."""
    try:
        return item.exportBytes(allowBadEmbed=True)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - extract-msg's writer on a damaged item
        result.problems.append(f"{name}: message inside the .msg could not be taken out "
                               f"({type(exc).__name__}: {str(exc)[:200]}): not read")
        return False


def _rtf_body(msg: object) -> bytes | None:
    """The compressed RTF body (PR_RTF_COMPRESSED), decompressed; None if there is none."""
    import compressed_rtf

    compressed = msg.getStream("__substg1.0_10090102")  # type: ignore[attr-defined]
    if not compressed:
        return None
    try:
        rtf = compressed_rtf.decompress(compressed)
    except Exception as exc:  # noqa: BLE001 - a damaged RTF body is noted, the rest is read
        log.info(".msg compressed RTF body not decompressed: %s", exc)
        return None
    return rtf if isinstance(rtf, bytes) and rtf.lstrip()[:5] == b"{\\rtf" else None


def _text(msg: object, result: ReadResult) -> str:
    """The plain body, else the HTML body as text; notes the decoding defects."""
    plain = msg.getStringStream("__substg1.0_1000")  # type: ignore[attr-defined]
    if plain and plain.strip("\x00").strip():
        return plain.strip("\x00")
    html = msg.getStream("__substg1.0_10130102")  # type: ignore[attr-defined]
    if html:
        decoded, defects = decode_text(html, html_meta_charset(html), ".msg body")
        result.notes.extend(defects)
        return html_to_text(decoded)
    return ""


def read_msg(data: bytes, limits: ReadLimits) -> ReadResult:
    """Read an Outlook .msg: kind "msg", its text, its attachments in ``members``.

    Raises UnreadableAttachment when the file cannot be opened at all.
    """
    if not data.startswith(OLE_MAGIC):
        raise UnreadableAttachment("no OLE (compound file) signature at the start of the file")
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    problem = _structure_problem(data, limits)
    if problem:
        raise UnreadableAttachment(f"Outlook .msg not opened: {problem}")
    try:
        msg = extract_msg.MSGFile(data, errorBehavior=ErrorBehavior.ATTACH_SUPPRESS_ALL)
    except Exception as exc:  # noqa: BLE001 - extract-msg and olefile raise many kinds on damage
        raise UnreadableAttachment(f"damaged Outlook .msg ({type(exc).__name__}: {str(exc)[:200]})") from None
    result = ReadResult(kind="msg", method="extract-msg")
    with msg:
        try:
            subject = (msg.getStringStream("__substg1.0_0037") or "").strip("\x00")
            sender = (msg.getStringStream("__substg1.0_0C1A") or "").strip("\x00")
            address = (msg.getStringStream("__substg1.0_0C1F") or msg.getStringStream("__substg1.0_5D01") or "")
            address = address.strip("\x00")
            body = _text(msg, result)
            rtf = None if body else _rtf_body(msg)
            attachments = list(msg.attachments)
        except Exception as exc:  # noqa: BLE001 - properties that cannot be decoded
            raise UnreadableAttachment(f"damaged Outlook .msg ({type(exc).__name__}: {str(exc)[:200]})") from None
        header = "\n".join(line for line in (
            f"From: {sender} <{address}>" if sender and address else f"From: {sender or address}"
            if sender or address else "",
            f"Subject: {subject}" if subject else "") if line)
        result.text = f"{header}\n\n{body}".strip()[: limits.max_text_chars]
        if rtf is not None:
            result.members.append((RTF_BODY_NAME, rtf))
        if len(attachments) > limits.max_members:
            result.problems.append(f".msg holds {len(attachments)} attachments; only the first "
                                   f"{limits.max_members} are read")
            attachments = attachments[: limits.max_members]
        for i, attachment in enumerate(attachments):
            try:  # extract-msg reads names and data lazily: damage shows here
                name = _attachment_name(attachment, i)
                payload = getattr(attachment, "data", None)
            except Exception as exc:  # noqa: BLE001 - olefile's errors on a damaged stream
                result.problems.append(f"attachment {i + 1} of the .msg is damaged "
                                       f"({type(exc).__name__}: {str(exc)[:200]}): not read")
                continue
            if hasattr(payload, "exportBytes"):  # a message dragged in (Outlook's "forward as attachment")
                payload = _embedded_message(payload, name, result)
                name = name if name.lower().endswith(".msg") else f"{name}.msg"
            if not isinstance(payload, bytes):
                if payload is not False:
                    result.problems.append(f"{name}: not a file (an Outlook item) or damaged, inside the .msg: "
                                           "not read")
                continue
            if not payload:
                result.notes.append(f"{name}: empty attachment in the .msg")
                continue
            result.members.append((name, payload))
    if not body and not result.members and not subject:
        result.problems.append("Outlook .msg holds no body and no attachment that could be read")
    n = len(attachments)
    result.notes.append(f"{n} attachment{'s' if n != 1 else ''} taken from the .msg")
    return result
