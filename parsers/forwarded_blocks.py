"""Messages forwarded inside a body: ``---------- Forwarded message ---------`` blocks.

A zone office that forwards several provinces' mails in one message either attaches each
(message/rfc822, read by ``parsers.mime``) or pastes each into the body after a forward
marker line and its header lines (Gmail: ``From:/Date:/Subject:/To:``; Thai Gmail:
``จาก:/วันที่:/หัวเรื่อง:/ถึง:``; Outlook: ``From:/Sent:/To:/Subject:`` after ``-----Original
Message-----`` or a rule). Each block is what one sender wrote: its own From and Subject can
say which province it is when the form it holds does not.
"""

from __future__ import annotations

import email.utils
import itertools
import re
from dataclasses import dataclass

__all__ = ["MARKER_WORDS", "ForwardedBlock", "forwarded_blocks"]

MAX_BLOCKS = 80  # more than every province: the rest stays in the last block
# the words of the dashed line Gmail and Outlook put before a forwarded or quoted message
MARKER_WORDS = r"Forwarded message|ข้อความที่ส่งต่อ|Original Message|ข้อความต้นฉบับ"
_MARKER = re.compile(
    rf"^[ \t]*(?:-{{5,}}[ \t]*(?:{MARKER_WORDS})[ \t]*-{{5,}}"
    r"|Begin forwarded message:|เริ่มข้อความที่ส่งต่อ:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER = re.compile(
    r"^[ \t]*\*?(?P<name>From|จาก|Subject|หัวเรื่อง|เรื่อง|Date|Sent|วันที่|ส่ง|To|ถึง|Cc|สำเนาถึง)\*?[ \t]*[:：]"
    r"\*?[ \t]*(?P<value>[^\n]*)$",
    re.IGNORECASE,
)
_FROM = {"from", "จาก"}
_SUBJECT = {"subject", "หัวเรื่อง", "เรื่อง"}


@dataclass(frozen=True)
class ForwardedBlock:
    """One message pasted into a body after a forward marker."""

    origin: str  # "i1", "i2", ... in body order
    from_name: str
    from_addr: str
    subject: str
    text: str  # what its sender wrote (its header lines removed)


def _headers(lines: list[str]) -> tuple[dict[str, str], int]:
    """The header lines at the top of a block (by lower-case name) and where its text starts."""
    found: dict[str, str] = {}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    while i < len(lines) and len(found) < 8:
        m = _HEADER.match(lines[i])
        if not m:
            break
        found.setdefault(m.group("name").lower(), m.group("value").strip())
        i += 1
    return found, i


def forwarded_blocks(body: str) -> list[ForwardedBlock]:
    """The messages forwarded inline in ``body``, in order ([] when it has no forward marker)."""
    marks = list(itertools.islice(_MARKER.finditer(body or ""), MAX_BLOCKS))
    out: list[ForwardedBlock] = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(body)
        lines = body[m.end():end].split("\n")
        headers, start = _headers(lines)
        sender = next((v for n, v in headers.items() if n in _FROM), "")
        name, addr = email.utils.parseaddr(sender)
        if not addr or "@" not in addr:
            name, addr = sender, ""
        subject = next((v for n, v in headers.items() if n in _SUBJECT), "")
        text = "\n".join(lines[start:]).strip()
        out.append(ForwardedBlock(f"i{k + 1}", name.strip().strip('"'), addr.strip().lower(), subject, text))
    return out
