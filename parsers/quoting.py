"""What the sender of a reply wrote, apart from what it quotes.

A reply often carries the message it answers: the circular's blank form, or the province's
own submission that we acknowledged. Quoted text is not a new submission, so the form reader
reads only the reply's own text. Recognised quote markers (Gmail, Outlook, Thunderbird,
Apple Mail; Thai and English): ``> `` lines, ``On ... wrote:``, ``เมื่อ ... เขียนว่า:``,
Outlook's ``From:/Sent:`` (``จาก:/ส่ง:``) header block and ``-----Original Message-----``,
and in HTML ``<div class="gmail_quote">``, ``<blockquote>`` and Outlook's ``divRplyFwdMsg``.

A forwarded message (``---------- Forwarded message ---------``, ``Fwd:`` / ``FW:`` subject)
is *not* a quote: a zone office forwarding a province's form is sending it.
"""

from __future__ import annotations

import re

from areaplan.core.rfc822 import subject_key

__all__ = ["has_quote", "html_own_part", "is_forward", "is_reply", "own_text", "quote_marker", "subject_key"]

_REPLY_SUBJECT = re.compile(r"^\s*(?:(?:re|aw|sv|antw|ตอบกลับ|ตอบ)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:fwd?|fw|tr|wg|ส่งต่อ)\s*[:：]\s*)+", re.IGNORECASE)

# A line where the quoted message starts (the rest of the body is the quote).
_QUOTE_HEADER = re.compile(
    r"^[ \t]*(?:"
    r"On\b[^\n]{0,200}?(?:\n[^\n]{0,200}?)?wrote\s*:"  # Gmail / Apple Mail, may wrap once
    r"|เมื่อ[^\n]{0,200}?(?:\n[^\n]{0,200}?)?เขียนว่า\s*:?"
    r"|Le\b[^\n]{0,200}a écrit\s*:"
    r"|-{3,}\s*(?:Original Message|ข้อความต้นฉบับ)\s*-{3,}"
    r"|_{20,}\s*$"  # Outlook web's rule above the header block
    r")",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook desktop: a "From:" line followed within three lines by "Sent:" (or Thai labels).
_OUTLOOK_BLOCK = re.compile(
    r"^[ \t]*\*?(?:From|จาก)\s*:\*?[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*\*?(?:Sent|Date|ส่ง|วันที่ส่ง|วันที่)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>")
_HTML_QUOTE = re.compile(
    r"<(?:div|span)\b[^>]*(?:class\s*=\s*[\"']?[^\"'>]*\b(?:gmail_quote|gmail_extra|yahoo_quoted"
    r"|moz-cite-prefix)\b|id\s*=\s*[\"']?(?:divRplyFwdMsg|appendonsend))[^>]*>|<blockquote\b",
    re.IGNORECASE,
)


def is_reply(subject: str, in_reply_to: str | None = None) -> bool:
    """A reply (``Re:`` and the like, or an In-Reply-To header), and not a forward."""
    if _FORWARD_SUBJECT.match(subject or ""):
        return False
    return bool(_REPLY_SUBJECT.match(subject or "")) or bool(in_reply_to)


def is_forward(subject: str) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def own_text(body: str) -> str:
    """The part of a reply its sender wrote: ``>`` lines dropped, and everything from the first
    quote header (``On ... wrote:``, ``เมื่อ ... เขียนว่า:``, an Outlook block) on."""
    if not body:
        return ""
    cut = len(body)
    for pattern in (_QUOTE_HEADER, _OUTLOOK_BLOCK):
        m = pattern.search(body)
        if m and m.start() < cut:
            cut = m.start()
    head = body[:cut]
    return "\n".join(line for line in head.split("\n") if not _QUOTED_LINE.match(line)).strip()


def html_own_part(html: str) -> str:
    """The HTML before its first quote container (gmail_quote, blockquote, Outlook's reply header)."""
    m = _HTML_QUOTE.search(html or "")
    return html[: m.start()] if m else (html or "")


def has_quote(body: str) -> bool:
    return own_text(body) != (body or "").strip()


def quote_marker(body: str, html: str = "") -> str:
    """Where the quoted message starts, as written: the quote header line (``On ... wrote:``,
    ``เมื่อ ... เขียนว่า:``, Outlook's ``From:`` line), the first ``>`` line, or the HTML quote
    container's tag; empty when there is no quote. The evidence that a form is only quoted."""
    found: list[tuple[int, str]] = []
    for pattern in (_QUOTE_HEADER, _OUTLOOK_BLOCK):
        m = pattern.search(body or "")
        if m:
            found.append((m.start(), m.group(0)))
    for m in re.finditer(r"^[ \t]*>[^\n]*", body or "", re.MULTILINE):
        found.append((m.start(), m.group(0)))
        break
    if found:
        line = min(found)[1].strip().splitlines()[0]
        return line[:120]
    m = _HTML_QUOTE.search(html or "")
    return m.group(0)[:120] if m else ""
